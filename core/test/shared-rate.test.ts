import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SharedRateLimiter, shareOf } from '../src/limits/shared-rate.js';
import { capRate } from '../src/limits/rates.js';

const tenantA = '00000000-0000-0000-0000-0000000000001';
const tenantB = '11111111-1111-1111-1111-111111111111';
const limits = { send: { ratePerSecond: 100, burst: 10 } };

/** Polls until check() holds. */
async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('shared rate limiter across processes (Azurite)', function () {
  const made: SharedRateLimiter<'send'>[] = [];
  let tableName: string;

  const peer = (options: { processId?: string; peerTtlMs?: number; idleMs?: number; heartbeatMs?: number } = {}) => {
    const limiter = new SharedRateLimiter<'send'>({
      connectionString: process.env.STORAGE_CONNECTION_STRING!, tableName, limits, heartbeatMs: options.heartbeatMs ?? 100, peerTtlMs: options.peerTtlMs ?? 400, idleMs: options.idleMs ?? 60_000, processId: options.processId,
    });
    made.push(limiter);
    return limiter;
  };

  beforeEach(function () {
    tableName = `rate${randomBytes(4).toString('hex')}`;
  });

  afterEach(async function () {
    await Promise.all(made.splice(0).map((l) => l.stop()));
  });

  it('splits a rate, its burst and its window evenly, never below one token of burst', function () {
    assert.deepEqual(shareOf({ ratePerSecond: 500, burst: 10 }, 2), { ratePerSecond: 250, burst: 5 });
    assert.deepEqual(shareOf({ ratePerSecond: 50, burst: 1 }, 4), { ratePerSecond: 12.5, burst: 1 });
    assert.deepEqual(shareOf({ ratePerSecond: 50, burst: 50 }, 0), { ratePerSecond: 50, burst: 50 });
    // a leaving window too, rounded down so the shares never add up to more
    assert.deepEqual(shareOf({ ratePerSecond: 485, burst: 5, window: { limit: 495, ms: 1020 } }, 2), { ratePerSecond: 242.5, burst: 2.5, window: { limit: 247, ms: 1020 } });
  });

  it('two processes sending for one tenant each see the other and take half', async function () {
    const one = peer();
    const two = peer();
    await one.acquire(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2 && two.peersOf(tenantA, 'send') === 2, 'both to see two peers');
    // another tenant has its own, unshared rate
    await one.acquire(tenantB, 'send');
    assert.equal(one.peersOf(tenantB, 'send'), 1);
  });

  it('a process that stops, or is killed and stops renewing, gives its share back', async function () {
    const one = peer();
    const two = peer();
    await one.acquire(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2, 'one to see two');
    await two.stop();
    await until(() => one.peersOf(tenantA, 'send') === 1, 'one to see itself alone after a clean stop');

    // a "killed" peer: its row stays but is never renewed, so it expires after peerTtlMs
    const ghost = peer({ processId: 'ghost' });
    await ghost.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2, 'one to see the ghost');
    (ghost as unknown as { memberships: Map<string, { timer: NodeJS.Timeout }> }).memberships.forEach((m) => clearInterval(m.timer));
    await until(() => one.peersOf(tenantA, 'send') === 1, 'the ghost to expire');
  });

  it('a process whose calls stopped leaves after idleMs, its last call leaving counting as use, and its peer takes the whole rate back', async function () {
    const one = peer({ idleMs: 1200 });
    const two = peer({ idleMs: 1200 });
    await one.acquire(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2 && two.peersOf(tenantA, 'send') === 2, 'both to see two peers');
    const oneSends = setInterval(() => { void one.acquire(tenantA, 'send'); }, 50);
    try {
      // two acquires no more, but calls it planned still leave: it stays a peer past its idle time
      const twoCallsLeave = setInterval(() => { void two.beforeRequest(tenantA, 'send'); }, 100);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      clearInterval(twoCallsLeave);
      assert.equal(one.peersOf(tenantA, 'send'), 2);
      const stoppedAt = Date.now();
      await until(() => one.peersOf(tenantA, 'send') === 1, 'one to see two gone', 5000);
      assert.ok(Date.now() - stoppedAt >= 1200, 'not before two was idle for idleMs');
    } finally {
      clearInterval(oneSends);
    }
  });

  it('a process leaves as soon as its last hold (work under way) is released, not after its idle time; its peer takes the whole rate back', async function () {
    const one = peer();
    const two = peer();
    const firstJob = two.hold(tenantA, 'send');
    const secondJob = two.hold(tenantA, 'send');
    await one.acquire(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2 && two.peersOf(tenantA, 'send') === 2, 'both to see two peers');
    firstJob();
    firstJob();
    // a job is still under way: two stays a peer although idle (its idle time is a minute)
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(one.peersOf(tenantA, 'send'), 2, 'two left with a job still under way');
    const releasedAt = Date.now();
    secondJob();
    await until(() => one.peersOf(tenantA, 'send') === 1, 'one to see two gone', 5000);
    const left = Date.now() - releasedAt;
    assert.ok(left < 600, `one saw two leave ${left} ms after its last job ended (heartbeat 100 ms)`);
    assert.equal(two.peersOf(tenantA, 'send'), 1, 'two is no longer a member');
    // the next job joins again
    const thirdJob = two.hold(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => one.peersOf(tenantA, 'send') === 2, 'one to see two back');
    thirdJob();
  });

  it("by default a process leaves 300 ms after its last call when the rate has a window (capRate), else once its last call is out of the limit's window (plus 100 ms)", async function () {
    const sharing = (api: 'cap' | 'presence') => {
      const limiter = new SharedRateLimiter<'cap' | 'presence'>({
        connectionString: process.env.STORAGE_CONNECTION_STRING!, tableName, heartbeatMs: 100, peerTtlMs: 400,
        limits: { cap: capRate(100), presence: { perWindow: 300, windowSeconds: 30 } },
      });
      made.push(limiter as unknown as SharedRateLimiter<'send'>);
      return { limiter, api };
    };
    for (const api of ['cap', 'presence'] as const) {
      const one = sharing(api).limiter;
      const two = sharing(api).limiter;
      await one.acquire(tenantA, api);
      await two.acquire(tenantA, api);
      const stoppedAt = Date.now();
      await until(() => one.peersOf(tenantA, api) === 2, 'one to see two');
      const oneSends = setInterval(() => { void one.acquire(tenantA, api); }, 100);
      try {
        if (api === 'cap') {
          // capRate's window: its last calls are left in a residual row
          await until(() => one.peersOf(tenantA, api) === 1, 'one to see two gone', 5000);
          const left = Date.now() - stoppedAt;
          assert.ok(left >= 300 && left < 1000, `two left ${left} ms after its last call`);
        } else {
          await new Promise((resolve) => setTimeout(resolve, 2500));
          assert.equal(one.peersOf(tenantA, api), 2, 'two left before its calls were out of the 30 s window');
        }
      } finally {
        clearInterval(oneSends);
      }
    }
  });

  it('a process that stops sending leaves at once, leaving room for its last calls: its peer goes back to the whole rate within a heartbeat, and no window of theirs together holds more than the cap', async function () {
    const capped = () => {
      const limiter = new SharedRateLimiter<'cap'>({
        connectionString: process.env.STORAGE_CONNECTION_STRING!, tableName, heartbeatMs: 100, peerTtlMs: 400, limits: { cap: capRate(100) }, reserveCatchUpMs: 25,
      });
      made.push(limiter as unknown as SharedRateLimiter<'send'>);
      return limiter;
    };
    const one = capped();
    const two = capped();
    const sent: Array<{ by: 'one' | 'two'; at: number }> = [];
    const sendUntil = async (limiter: SharedRateLimiter<'cap'>, by: 'one' | 'two', stopAt: number) => {
      while (Date.now() < stopAt) {
        await limiter.acquire(tenantA, 'cap');
        sent.push({ by, at: Date.now() });
      }
    };
    const start = Date.now();
    await Promise.all([sendUntil(one, 'one', start + 4500), sendUntil(two, 'two', start + 2000)]);
    const twoStopped = Math.max(...sent.filter((s) => s.by === 'two').map((s) => s.at));
    const window = capRate(100).window!;
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = window.limit; i < times.length; i++) {
      assert.ok(times[i]! - times[i - window.limit]! > window.ms - 5, `${window.limit + 1} calls within ${times[i]! - times[i - window.limit]!} ms`);
    }
    // waiting a whole window to know two's calls had aged out would leave one at half rate for 1.1–1.4 s
    const oneAfter = (from: number, to: number) => sent.filter((s) => s.by === 'one' && s.at >= twoStopped + from && s.at < twoStopped + to).length;
    assert.ok(oneAfter(700, 1200) >= 40, `one sent ${oneAfter(700, 1200)} calls 0.7–1.2 s after two stopped (the whole rate is 48 a half second, half of it 24)`);
  });

  it('a process whose row expires before it renews it sends nothing more until its peers have made room again, and they leave room for what it sent: no window of theirs together holds more than the cap', async function () {
    const capped = (options: { heartbeatMs: number }) => {
      const limiter = new SharedRateLimiter<'cap'>({
        connectionString: process.env.STORAGE_CONNECTION_STRING!, tableName, heartbeatMs: options.heartbeatMs, peerTtlMs: 400, limits: { cap: capRate(100) }, reserveCatchUpMs: 25,
      });
      made.push(limiter as unknown as SharedRateLimiter<'send'>);
      return limiter;
    };
    const one = capped({ heartbeatMs: 100 });
    // renews every second, its row expiring 400 ms after each renewal: as if its renewals kept coming late
    const late = capped({ heartbeatMs: 1000 });
    const sent: Array<{ by: string; at: number }> = [];
    const sendUntil = async (limiter: SharedRateLimiter<'cap'>, by: string, stopAt: number) => {
      while (Date.now() < stopAt) {
        await limiter.acquire(tenantA, 'cap');
        sent.push({ by, at: Date.now() });
      }
    };
    const start = Date.now();
    await Promise.all([sendUntil(one, 'one', start + 4000), sendUntil(late, 'late', start + 4000)]);
    const window = capRate(100).window!;
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = window.limit; i < times.length; i++) {
      assert.ok(times[i]! - times[i - window.limit]! > window.ms - 5, `${window.limit + 1} calls within ${times[i]! - times[i - window.limit]!} ms`);
    }
    const byLate = sent.filter((s) => s.by === 'late').length;
    assert.ok(byLate >= 20, `the late process still sent (${byLate} calls)`);
  });

  it("a 429's Retry-After reaches every peer, and none acquires before it expires", async function () {
    const one = peer();
    const two = peer();
    await one.acquire(tenantA, 'send');
    await two.acquire(tenantA, 'send');
    await until(() => two.peersOf(tenantA, 'send') === 2, 'two to see one');
    const pausedAt = Date.now();
    one.pauseFor(tenantA, 'send', 1500);
    // let the pause reach storage and the other peer's next heartbeat
    await new Promise((resolve) => setTimeout(resolve, 400));
    await two.acquire(tenantA, 'send');
    assert.ok(Date.now() - pausedAt >= 1500, `the other process acquired ${Date.now() - pausedAt} ms after a 1500 ms pause`);
  });

  it('a process joining late takes no token until the peer already sending has shrunk its share, however slow its heartbeat', async function () {
    // the first renews only every 1.5 s (a busy process), the newcomer every 100 ms
    const one = peer({ heartbeatMs: 1500, peerTtlMs: 5000 });
    await one.acquire(tenantA, 'send');
    const two = peer();
    await two.acquire(tenantA, 'send');
    assert.equal(one.peersOf(tenantA, 'send'), 2, 'the newcomer took a token while the first still sent at the whole rate');
    assert.equal(two.peersOf(tenantA, 'send'), 2);
    // a lone process is ready at once
    const alone = peer();
    const started = Date.now();
    await alone.acquire(tenantB, 'send');
    assert.ok(Date.now() - started < 1000);
  });

  it('a process joining peers already sending starts from an empty bucket, not with the tokens it gathered while it waited for them', async function () {
    const withCatchUp = (heartbeatMs: number) => {
      const limiter = new SharedRateLimiter<'send'>({
        connectionString: process.env.STORAGE_CONNECTION_STRING!, tableName, limits, heartbeatMs, peerTtlMs: 5000, idleMs: 60_000, reserveCatchUpMs: 100,
      });
      made.push(limiter);
      return limiter;
    };
    // the first renews only every 800 ms, so the newcomer waits that long for it to shrink its share
    const one = withCatchUp(800);
    await one.acquire(tenantA, 'send');
    const two = withCatchUp(100);
    const started = Date.now();
    await two.acquire(tenantA, 'send');
    assert.ok(Date.now() - started >= 300, 'the newcomer waited for the first to shrink its share');
    assert.equal(two.peersOf(tenantA, 'send'), 2);
    // half of 100/s with 100 ms of catch-up would have saved 5 + 5 tokens meanwhile; none are left
    let atOnce = 0;
    while (two.tryAcquire(tenantA, 'send')) atOnce += 1;
    assert.equal(atOnce, 0, `${atOnce} more tokens free right after joining`);
  });
});
