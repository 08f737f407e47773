import { startAzurite, type RunningAzurite } from '../../devtools/src/harness/azurite.js';
import { crashChecks, everyoneOnceChecks, expectAll, outcomeOf, ScaleStack } from './helpers/scale-stack.js';

/**
 * Issue #4, crashes: a broadcast through the scaled-out pipeline (the API process, worker processes
 * running communicator/src/worker.ts, Azurite, the Bot Connector simulator as every install's service
 * URL) survives a worker SIGKILLed mid-send and an Azurite restart mid-send. Storage going away loses and
 * duplicates nothing: every recipient exactly once. A worker killed mid-call never causes a duplicate;
 * the few calls it may have had on their way are reported "sent, unconfirmed" (Teams cannot be asked whether
 * they arrived), and the message ends sent with counts that match. Black-box: only the API, the
 * simulator's record and the recipient rows the API shows, so this holds whatever the workers become.
 * Bot Connector faults (5xx, 429, recipients who can never be reached): scale-resilience-faults.test.ts.
 */
describe('Company Communicator at scale: crashes mid-send', function () {
  this.timeout(120_000);
  const N = 450;

  describe('a worker killed with SIGKILL mid-send, then a new one started', function () {
    let stack: ScaleStack | undefined;
    let people: string[] = [];

    before(async function () {
      stack = await ScaleStack.start({ workers: 1, botConnectorRate: 100, sim: { capPerTenant: 150 } });
      people = await stack.seedInstalls(N);
    });

    after(async function () {
      await stack?.stop();
    });

    it('sends nobody the card twice, reports any call the dead worker may have had in flight as unconfirmed, and ends sent', async function () {
      const s = stack!;
      const startedAt = Date.now();
      const id = await s.broadcast('Kill a worker');

      // a third of the way through, the only worker dies with no chance to clean up (the whole process group)
      const atKill = await s.waitForDeliveries(Math.round(N / 3), startedAt);
      await s.killWorker(s.workers[0]!);
      const afterKill = s.sim.report({ startedAt }).deliveries;
      await s.startWorker();

      const o = await outcomeOf(s, id, { expected: people, startedAt, timeoutMs: 60_000, note: `worker killed at ${atKill}–${afterKill} deliveries` });
      expectAll(o.detail, {
        'the worker died mid-send': [afterKill < N, true],
        // at 100 calls/s the groups marked but not yet called at any moment hold a few dozen rows at most
        ...crashChecks(o, N, 50),
      });
    });
  });

  describe('Azurite restarted mid-send', function () {
    let azurite: RunningAzurite | undefined;
    let stack: ScaleStack | undefined;
    let people: string[] = [];

    before(async function () {
      // storage of its own, to restart (the suite's Azurite serves every other test)
      azurite = await startAzurite();
      stack = await ScaleStack.start({ connectionString: azurite.connectionString, workers: 2, botConnectorRate: 100, sim: { capPerTenant: 150 } });
      people = await stack.seedInstalls(N);
    });

    after(async function () {
      await stack?.stop();
      await azurite?.stop();
    });

    it('completes the send: every recipient exactly once, the message sent with matching counts', async function () {
      const s = stack!;
      const startedAt = Date.now();
      const id = await s.broadcast('Restart storage');

      const atRestart = await s.waitForDeliveries(Math.round(N / 3), startedAt);
      await azurite!.restart();
      const afterRestart = s.sim.report({ startedAt }).deliveries;

      const o = await outcomeOf(s, id, { expected: people, startedAt, timeoutMs: 90_000, note: `Azurite down and back at ${atRestart}–${afterRestart} deliveries` });
      expectAll(o.detail, {
        'storage went down mid-send': [afterRestart < N, true],
        ...everyoneOnceChecks(o, N),
        'no job gave up (report problems)': [o.report.problems.length, 0],
      });
    });
  });
});
