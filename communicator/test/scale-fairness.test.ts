import assert from 'node:assert/strict';
import { otherTenant, ScaleStack, summary, tenantId } from './helpers/scale-stack.js';

/**
 * Issue #4, tenants side by side: every tenant's send jobs share one queue, and Teams gives each tenant a rate
 * of its own. A large broadcast in one tenant must not hold another tenant's broadcast until it ends: its jobs
 * are released at its own rate, so the other tenant's jobs are reached within seconds, even by a worker with
 * only two job slots. Black-box: the API and the simulator's record.
 */
describe('Company Communicator at scale: two tenants sending at once', function () {
  this.timeout(120_000);
  const big = 1500;
  const small = 100;
  let stack: ScaleStack | undefined;
  let bigAudience: string[] = [];
  let smallAudience: string[] = [];

  before(async function () {
    stack = await ScaleStack.start({ workers: 1, botConnectorRate: 100, sim: { capPerTenant: 150 }, workerEnv: { CC_SEND_CONCURRENCY: '2' } });
    bigAudience = await stack.seedInstalls(big);
    smallAudience = await stack.seedInstalls(small, { as: otherTenant });
  });

  after(async function () {
    await stack?.stop();
  });

  it("reaches the second tenant's broadcast within seconds of the first one's start, not after it, each exactly once", async function () {
    const s = stack!;
    const startedAt = Date.now();
    const first = await s.broadcast('A large broadcast');
    // the first tenant's jobs are on the queue and its cards going out before the second tenant sends
    await s.waitForDeliveries(50, startedAt);
    const second = await s.broadcast('A small broadcast', otherTenant);
    const [endFirst, endSecond] = await Promise.all([s.waitForEnd(first, 90_000), s.waitForEnd(second, 90_000, otherTenant)]);

    const report = s.sim.report({ expected: { [tenantId]: bigAudience, [otherTenant.tenantId]: smallAudience }, startedAt });
    const times = (tenant: string) => s.sim.deliveries.filter((d) => d.tenantId === tenant && d.at >= startedAt).map((d) => d.at).sort((a, b) => a - b);
    const bigTimes = times(tenantId);
    const smallTimes = times(otherTenant.tenantId);
    const bigBeforeSmallStarted = bigTimes.filter((at) => at < smallTimes[0]!).length;
    const detail = `${summary(report)}; the first tenant had delivered ${bigBeforeSmallStarted} of ${big} when the second tenant's first card arrived`;

    assert.deepEqual(
      [endFirst.message.status, endFirst.message.counts.sent, endSecond.message.status, endSecond.message.counts.sent, report.duplicateCount, report.missingCount],
      ['sent', big, 'sent', small, 0, 0], detail,
    );
    // enqueued all at once, the first tenant's fifteen jobs would fill both slots and the queue ahead of the
    // second tenant's until all but the last two or so were done (over 1,300 cards)
    assert.ok(bigBeforeSmallStarted < big / 2, detail);
    assert.ok(smallTimes.at(-1)! < bigTimes.at(-1)!, `the second tenant finished after the first: ${detail}`);
  });
});
