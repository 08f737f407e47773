import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capJitterMs, capRate, limitedFetch, parseRetryAfter, reservedBy, shareOf, teamsRateLimits, TokenBucketLimiter, windowHandover, type RateLimit } from '../src/limits/index.js';

/** Virtual time: sleeps resolve in time order as the clock is run forward; nothing waits for real. */
class FakeClock {
  private time = 0;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  readonly now = () => this.time;
  /** Moves the clock without firing timers (as if the event loop were busy). */
  advanceTo(ms: number): void { this.time = Math.max(this.time, ms); }
  readonly sleep = (ms: number) => new Promise<void>((resolve) => {
    this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, resolve });
  });

  /** Fires timers in order, letting promise callbacks settle after each, until none are pending. */
  async runAll(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
  }
}

function limiterWith<A extends string>(limits: Record<A, RateLimit>) {
  const clock = new FakeClock();
  return { clock, limiter: new TokenBucketLimiter<A>({ limits, now: clock.now, sleep: clock.sleep }) };
}

/** Starts acquisitions in order and records when each is granted, by the fake clock. */
function acquireAll<A extends string>(limiter: TokenBucketLimiter<A>, clock: FakeClock, tenantId: string, api: A, count: number) {
  const granted: number[] = [];
  const order: number[] = [];
  const done = Promise.all(Array.from({ length: count }, (_, k) => limiter.acquire(tenantId, api).then(() => {
    granted[k] = clock.now();
    order.push(k);
  })));
  return { granted, order, done };
}

describe('rate limits', function () {
  describe('TokenBucketLimiter', function () {
    it('grants the k-th acquisition no earlier than (k - burst) / rate, in FIFO order', async function () {
      const rate = 10;
      const burst = 3;
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: rate, burst } });
      const { granted, order, done } = acquireAll(limiter, clock, 'tenant-a', 'test', 12);
      await clock.runAll();
      await done;
      assert.deepEqual(order, [...order].sort((a, b) => a - b));
      granted.forEach((at, index) => {
        const k = index + 1;
        const earliest = (Math.max(0, k - burst) / rate) * 1000;
        assert.ok(at >= earliest - 1e-6, `acquisition ${k} granted at ${at} ms, before ${earliest} ms`);
        assert.ok(at <= earliest + 1, `acquisition ${k} granted at ${at} ms, later than needed (${earliest} ms)`);
      });
    });

    it('keeps a window limit (graph presence: 1,500 per 30 s) within any 30 s window', async function () {
      const { clock, limiter } = limiterWith({ 'graph-presence': teamsRateLimits['graph-presence'] });
      const { granted, done } = acquireAll(limiter, clock, 'tenant-a', 'graph-presence', 4000);
      await clock.runAll();
      await done;
      let start = 0;
      for (let end = 0; end < granted.length; end++) {
        while (granted[end]! - granted[start]! >= 30_000) start++;
        assert.ok(end - start + 1 <= 1500, `${end - start + 1} grants within 30 s ending at ${granted[end]} ms`);
      }
    });

    it('gives each tenant its own bucket', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 1, burst: 1 } });
      const a = acquireAll(limiter, clock, 'tenant-a', 'test', 2);
      const b = acquireAll(limiter, clock, 'tenant-b', 'test', 1);
      await clock.runAll();
      await Promise.all([a.done, b.done]);
      assert.deepEqual(a.granted, [0, 1000]);
      assert.deepEqual(b.granted, [0]);
      assert.equal(limiter.tryAcquire('tenant-c', 'test'), true);
      assert.equal(limiter.tryAcquire('tenant-c', 'test'), false);
    });

    it('pauseFor blocks the key, queued waiters included, until the pause ends; other keys go on', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 1, burst: 1 }, other: { ratePerSecond: 1, burst: 1 } });
      await limiter.acquire('tenant-a', 'test');
      const queued = acquireAll(limiter, clock, 'tenant-a', 'test', 1);
      limiter.pauseFor('tenant-a', 'test', 5000);
      assert.equal(limiter.tryAcquire('tenant-a', 'test'), false);
      assert.equal(limiter.tryAcquire('tenant-b', 'test'), true, 'another tenant is not paused');
      assert.equal(limiter.tryAcquire('tenant-a', 'other'), true, 'another api is not paused');
      const later = acquireAll(limiter, clock, 'tenant-a', 'test', 2);
      await clock.runAll();
      await Promise.all([queued.done, later.done]);
      // After a pause the bucket restarts with a single token.
      assert.deepEqual([...queued.granted, ...later.granted], [5000, 6000, 7000]);
    });

    it('drops an aborted waiter from the queue and serves the next one', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 1, burst: 1 } });
      await limiter.acquire('tenant-a', 'test');
      const controller = new AbortController();
      const aborted = limiter.acquire('tenant-a', 'test', { signal: controller.signal });
      const next = acquireAll(limiter, clock, 'tenant-a', 'test', 1);
      controller.abort(new Error('caller gave up'));
      await assert.rejects(aborted, /caller gave up/);
      await clock.runAll();
      await next.done;
      assert.deepEqual(next.granted, [1000]);
    });

    it('reserve hands out tokens with their due times, spaced at the rate, no further ahead than asked; the next caller queues behind', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 100, burst: 2 } });
      // two free now, then one every 10 ms; 35 ms ahead allows three more
      assert.deepEqual(await limiter.reserve('t', 'test', 25, 35), [0, 0, 10, 20, 30]);
      // the bucket is 35 ms in debt: the next reservation waits until its first token is due within 35 ms
      const later = limiter.reserve('t', 'test', 3, 35);
      await clock.runAll();
      // (woken at 5 ms: the token due at 40 ms is within reach, the one at 50 ms is not)
      assert.deepEqual(await later, [40]);
      assert.equal(clock.now(), 5);
      // an acquire() after them is not granted before the reserved tokens are used up
      const acquired = limiter.acquire('t', 'test').then(() => clock.now());
      await clock.runAll();
      assert.ok((await acquired) >= 50 - 1, 'acquire waited for the debt');
    });

    it('reservers waiting together take aheadMs − leadMs of rate each with leadMs, where without they take one token each', async function () {
      const groupsOf = async (leadMs?: number) => {
        const { clock, limiter } = limiterWith({ test: { ratePerSecond: 100, burst: 1 } });
        // tokens due up to 100 ms ahead are taken: the next is due at 110 ms
        assert.deepEqual(await limiter.reserve('t', 'test', 25, 100), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
        const groups = Promise.all(Array.from({ length: 3 }, () => limiter.reserve('t', 'test', 25, 100, leadMs === undefined ? {} : { leadMs })));
        await clock.runAll();
        return groups;
      };
      const span = (from: number, to: number) => Array.from({ length: (to - from) / 10 + 1 }, (_, i) => from + i * 10);
      // each wakes when the next token is 30 ms away and takes those due within 100 ms: 8 tokens, a group each
      assert.deepEqual(await groupsOf(30), [span(110, 180), span(190, 260), span(270, 340)]);
      // as each token comes within 100 ms, the next caller in line takes it alone
      assert.deepEqual(await groupsOf(), [[110], [120], [130]]);
    });

    it('beforeRequest spaces requests that were reserved on time but leave together late', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 100, burst: 2 } });
      const due = await limiter.reserve('t', 'test', 10, 100);
      assert.equal(due.length, 10);
      // the requests' storage write held them all until 500 ms, long past their tokens' times
      const pending = clock.sleep(500);
      await clock.runAll();
      await pending;
      const left: number[] = [];
      const all = Promise.all(due.map(() => limiter.beforeRequest('t', 'test').then(() => { left.push(clock.now()); })));
      await clock.runAll();
      await all;
      // the burst goes at once, then one every 10 ms: no 1-second (or 100 ms) window holds more than the bucket allows
      assert.deepEqual(left.slice(0, 2), [500, 500]);
      for (let i = 2; i < left.length; i++) assert.ok(left[i]! - left[i - 1]! >= 10 - 1e-6, JSON.stringify(left));
    });

    it('beforeRequest lets callers leave in the order they came, woken by one timer rather than one each', async function () {
      const clock = new FakeClock();
      let timers = 0;
      const sleep = (ms: number) => { timers += 1; return clock.sleep(ms); };
      const limiter = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 100, burst: 2 } }, now: clock.now, sleep });
      const order: number[] = [];
      const left: number[] = [];
      const callers = 200;
      const all = Promise.all(Array.from({ length: callers }, (_, k) => limiter.beforeRequest('t', 'test').then(() => { order.push(k); left.push(clock.now()); })));
      await clock.runAll();
      await all;
      assert.deepEqual(order, Array.from({ length: callers }, (_, k) => k));
      // the burst at once, then one every 10 ms
      assert.deepEqual(left.slice(0, 2), [0, 0]);
      for (let i = 2; i < callers; i++) assert.ok(Math.abs(left[i]! - (i - 1) * 10) < 1e-6, `caller ${i} left at ${left[i]} ms`);
      // each caller polling on its own timer would set ~callers²/2 of them (20,000 here): late wake-ups on a busy
      // event loop then lose the tokens beyond the burst
      assert.ok(timers <= callers, `${timers} timers for ${callers} callers`);
      // tryAcquire does not jump the line
      const limiter2 = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 100, burst: 1 } }, reserveCatchUpMs: 50, now: clock.now, sleep: clock.sleep });
      await limiter2.beforeRequest('t', 'test');
      const waiting = limiter2.beforeRequest('t', 'test');
      const later = clock.sleep(20);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advanceTo(20);
      assert.equal(limiter2.tryAcquire('t', 'test'), false, 'a caller is queued for the leaving bucket');
      await clock.runAll();
      await Promise.all([waiting, later]);
    });

    it('with reserveCatchUpMs, a reserver woken late plans the calls it fell behind on, and they leave at once: the leaving bucket caught up too', async function () {
      const clock = new FakeClock();
      const limiter = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 100, burst: 2 } }, reserveCatchUpMs: 50, now: clock.now, sleep: clock.sleep });
      assert.deepEqual(await limiter.reserve('t', 'test', 2, 0), [0, 0]);
      // busy until 100 ms: a plain bucket would hold its burst of 2; this one 2 + 50 ms of rate
      const busy = clock.sleep(100);
      await clock.runAll();
      await busy;
      const due = await limiter.reserve('t', 'test', 20, 0);
      assert.deepEqual(due, [100, 100, 100, 100, 100, 100, 100]);
      const left: number[] = [];
      const leaving = Promise.all(due.map(() => limiter.beforeRequest('t', 'test').then(() => { left.push(clock.now()); })));
      await clock.runAll();
      await leaving;
      // no call was in line while the reserver was late, yet the leaving bucket kept what it would have used
      assert.deepEqual(left, [100, 100, 100, 100, 100, 100, 100]);
      // both buckets are empty now: an acquire() waits for a token from each, at the rate
      const acquired = limiter.acquire('t', 'test').then(() => clock.now());
      await clock.runAll();
      assert.ok((await acquired) >= 110 - 1e-6, 'acquire waited for the rate');
    });

    it('with reserveCatchUpMs, a new key starts from its plain burst, and a lull longer than the catch-up saves no more than it', async function () {
      const clock = new FakeClock();
      const limiter = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 100, burst: 2 } }, reserveCatchUpMs: 50, now: clock.now, sleep: clock.sleep });
      const leaveAll = async (count: number) => {
        const left: number[] = [];
        const all = Promise.all(Array.from({ length: count }, () => limiter.beforeRequest('t', 'test').then(() => { left.push(clock.now()); })));
        await clock.runAll();
        await all;
        return left;
      };
      assert.deepEqual(await leaveAll(4), [0, 0, 10, 20]);
      const lull = clock.sleep(980);
      await clock.runAll();
      await lull;
      // 1,000 ms idle: the burst plus 50 ms of rate (7), then one per 10 ms
      assert.deepEqual(await leaveAll(9), [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1010, 1020]);
    });

    it('with reserveCatchUpMs, calls a late timer held back still leave, and no second holds more than rate + burst', async function () {
      const clock = new FakeClock();
      // every timer fires up to 40 ms late, as on a busy event loop; the plain burst is only 20 ms of rate
      let n = 0;
      const lateSleep = (ms: number) => clock.sleep(ms + ((n++ * 7) % 41));
      const rate = { ratePerSecond: 100, burst: 2 };
      const leave = async (catchUpMs: number) => {
        const limiter = new TokenBucketLimiter<'test'>({ limits: { test: rate }, reserveCatchUpMs: catchUpMs, now: clock.now, sleep: lateSleep });
        const start = clock.now();
        const left: number[] = [];
        const all = Promise.all(Array.from({ length: 300 }, () => limiter.beforeRequest('t', 'test').then(() => { left.push(clock.now() - start); })));
        await clock.runAll();
        await all;
        return left;
      };
      const plain = await leave(0);
      const caughtUp = await leave(50);
      // a perfect bucket: the burst at 0, the rest one per 10 ms, the last at 2,980 ms
      assert.ok(caughtUp.at(-1)! <= 2980 + 40, `with catch-up the last call left at ${caughtUp.at(-1)} ms`);
      assert.ok(plain.at(-1)! > 3300, `the plain bucket loses the late timers' tokens (last call at ${plain.at(-1)} ms)`);
      for (let i = 102; i < caughtUp.length; i++) {
        assert.ok(caughtUp[i]! - caughtUp[i - 102]! >= 1000, `103 calls within one second: ${caughtUp[i - 102]}–${caughtUp[i]} ms`);
      }
    });

    it('a request let go but written late counts in the leaving window from when it was written', async function () {
      const leaveFive = async (writtenLate: boolean) => {
        const clock = new FakeClock();
        const limiter = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 1000, burst: 10, window: { limit: 5, ms: 1000 } } }, reserveCatchUpMs: 50, now: clock.now, sleep: clock.sleep });
        const first = await Promise.all(Array.from({ length: 5 }, () => limiter.beforeRequest('t', 'test')));
        first.slice(0, 3).forEach((written) => written());
        // the last two are written only 50 ms after they were let go (a garbage collection in between)
        clock.advanceTo(50);
        first.slice(3).forEach((written) => { if (writtenLate) written(); });
        const left: number[] = [];
        const next = Promise.all(Array.from({ length: 5 }, () => limiter.beforeRequest('t', 'test').then((written) => { left.push(clock.now()); written(); })));
        await clock.runAll();
        await next;
        return left;
      };
      // at 1,000 ms the two written at 50 are still in the window: only three may go until 1,050
      assert.deepEqual(await leaveFive(true), [1000, 1000, 1000, 1050, 1050]);
      // counted when let go, all five would go at 1,000, with six written in [50, 1,050)
      assert.deepEqual(await leaveFive(false), [1000, 1000, 1000, 1000, 1000]);
    });

    it('leaves room in the window for calls a process that left may still have in it, as they age out', async function () {
      const clock = new FakeClock();
      const limiter = new TokenBucketLimiter<'test'>({ limits: { test: { ratePerSecond: 1000, burst: 20, window: { limit: 10, ms: 1000 } } }, now: clock.now, sleep: clock.sleep });
      // a peer whose last call left at 0 had at most 5 calls in its window, made at up to 10 a second
      limiter.setReserved('t', 'test', reservedBy([{ leftAt: 0, windowCalls: 5, perMs: 0.01, slack: 0 }], 1000, 1));
      const left: number[] = [];
      const all = Promise.all(Array.from({ length: 11 }, () => limiter.beforeRequest('t', 'test').then(() => { left.push(clock.now()); })));
      await clock.runAll();
      await all;
      // 5 at once; then one each time one of the peer's could have aged out (10 a second from 500 ms); the 11th waits for the first 5
      assert.deepEqual(left, [0, 0, 0, 0, 0, 600, 700, 800, 900, 1000, 1000]);
    });

    it('reserve waits out a pause, and capRate keeps 2% of the cap back for uneven arrival', async function () {
      const { clock, limiter } = limiterWith({ test: { ratePerSecond: 100, burst: 1 } });
      limiter.pauseFor('t', 'test', 500);
      const reserved = limiter.reserve('t', 'test', 1, 50);
      await clock.runAll();
      assert.ok((await reserved)[0]! >= 500);
      const cap = capRate(500);
      assert.equal(cap.burst, 5);
      assert.ok(cap.burst + cap.ratePerSecond <= 490);
      assert.ok(capRate(50).burst + capRate(50).ratePerSecond <= 49);
    });

    for (const catchUpMs of [25, 100]) {
      it(`capRate with ${catchUpMs} ms of catch-up: calls woken late leave bunched, yet never fill a second to the cap, however they arrive up to 20 ms late`, async function () {
        const clock = new FakeClock();
        let n = 0;
        // timers up to 40 ms (or the catch-up) late, so the catch-up lets calls leave in bunches
        const lateBy = Math.max(40, catchUpMs);
        const lateSleep = (ms: number) => clock.sleep(ms + ((n++ * 13) % (lateBy + 1)));
        const limiter = new TokenBucketLimiter<'send'>({ limits: { send: capRate(500) }, reserveCatchUpMs: catchUpMs, now: clock.now, sleep: lateSleep });
        const left: number[] = [];
        const all = Promise.all(Array.from({ length: 3000 }, () => limiter.beforeRequest('t', 'send').then(() => { left.push(clock.now()); })));
        await clock.runAll();
        await all;
        // a call arriving 0–20 ms after it left: the worst arrival second holds what left within any 1,020 ms
        let most = 0;
        for (let i = 0, j = 0; i < left.length; i++) {
          while (left[i]! - left[j]! >= 1000 + capJitterMs) j++;
          most = Math.max(most, i - j + 1);
        }
        assert.equal(capJitterMs, 20);
        assert.ok(most <= 495, `${most} left within ${1000 + capJitterMs} ms`);
        // and the late timers cost little: 3,000 calls at 485/s after the burst take 6.2 s on time
        assert.ok(left.at(-1)! - left[0]! < 6600, `the last left at ${left.at(-1)} ms`);
      });
    }

    it('a share halving with a handover keeps sending, and with its newcomer never fills a window past the cap; without one it falls silent', async function () {
      const full = capRate(500);
      const half = shareOf(full, 2);
      const run = async (withHandover: boolean) => {
        const clock = new FakeClock();
        const make = (rate: typeof full) => new TokenBucketLimiter<'send'>({ limits: { send: rate }, reserveCatchUpMs: 100, now: clock.now, sleep: clock.sleep });
        const one = make(full);
        const oneLeft: number[] = [];
        const twoLeft: number[] = [];
        const ones = Promise.all(Array.from({ length: 2000 }, () => one.beforeRequest('t', 'send').then(() => { oneLeft.push(clock.now()); })));
        // a second process joins at 2 s: the first shrinks to half, the newcomer starts empty at half
        const twos = clock.sleep(2000).then(() => {
          one.setRate('t', 'send', half, withHandover ? windowHandover(full.window!, full.ratePerSecond, 1, 2, clock.now()) : undefined);
          const two = make(half);
          two.empty('t', 'send');
          return Promise.all(Array.from({ length: 600 }, () => two.beforeRequest('t', 'send').then(() => { twoLeft.push(clock.now()); })));
        });
        await clock.runAll();
        await Promise.all([ones, twos]);
        const all = [...oneLeft, ...twoLeft].sort((a, b) => a - b);
        let most = 0;
        for (let i = 0, j = 0; i < all.length; i++) {
          while (all[i]! - all[j]! >= full.window!.ms) j++;
          most = Math.max(most, i - j + 1);
        }
        const after = oneLeft.filter((t) => t >= 2000);
        const silence = Math.max(after[0]! - 2000, ...after.slice(1).map((t, i) => t - after[i]!));
        return { most, silence };
      };
      const eased = await run(true);
      assert.ok(eased.most <= full.window!.limit, `${eased.most} left within ${full.window!.ms} ms`);
      assert.ok(eased.silence < 30, `the first process was silent ${eased.silence} ms after its share halved`);
      const abrupt = await run(false);
      assert.ok(abrupt.most <= full.window!.limit);
      assert.ok(abrupt.silence > 300, `without a handover it was silent only ${abrupt.silence} ms`);
    });

    it('refuses an api it has no limit for', async function () {
      const limiter = new TokenBucketLimiter();
      await assert.rejects(limiter.acquire('tenant-a', 'unknown' as 'graph'), /no rate limit configured for api "unknown"/);
    });
  });

  describe('parseRetryAfter', function () {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');

    it('reads delay-seconds', function () {
      assert.equal(parseRetryAfter('120', now), 120);
      assert.equal(parseRetryAfter(' 0 ', now), 0);
    });

    it('reads an HTTP-date as the seconds until then, in all three RFC 9110 forms', function () {
      assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now), 30);
      assert.equal(parseRetryAfter('Wednesday, 21-Oct-15 07:28:00 GMT', now), 30);
      assert.equal(parseRetryAfter('Wed Oct 21 07:28:00 2015', new Date(now)), 30);
      assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now), 0, 'a past date means now');
    });

    it('gives undefined for a missing or unreadable header', function () {
      assert.equal(parseRetryAfter(null, now), undefined);
      assert.equal(parseRetryAfter('', now), undefined);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter('1.5', now), undefined);
      assert.equal(parseRetryAfter('-3', now), undefined);
    });
  });

  describe('limitedFetch against a local HTTP server', function () {
    let server: Server | undefined;

    afterEach(async function () {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
      server = undefined;
    });

    /** Answers each request with the next status and headers; records when requests arrive and responses leave. */
    async function serve(answers: (() => { status: number; headers?: Record<string, string> })[]) {
      const log: { arrivedAt: number; answeredAt: number; status: number; retryAfter?: string; body: string }[] = [];
      server = createServer((req, res) => {
        const arrivedAt = Date.now();
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const answer = (answers[log.length] ?? answers[answers.length - 1]!)();
          const entry = { arrivedAt, answeredAt: 0, status: answer.status, retryAfter: answer.headers?.['retry-after'], body };
          log.push(entry);
          res.writeHead(answer.status, answer.headers);
          entry.answeredAt = Date.now();
          res.end(answer.status === 200 ? 'ok' : 'throttled');
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server!.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}/v1.0/me/presence`, log };
    }

    it('honours Retry-After in seconds: no request before each one expires, and the final answer is returned', async function () {
      const throttle = () => ({ status: 429, headers: { 'retry-after': '1' } });
      const { url, log } = await serve([throttle, throttle, () => ({ status: 200 })]);
      const limiter = new TokenBucketLimiter();
      const response = await limitedFetch(limiter, 'tenant-a', 'graph-presence')(url, { method: 'POST', body: '{"ids":["u1"]}' });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'ok');
      assert.deepEqual(log.map((entry) => entry.status), [429, 429, 200]);
      assert.deepEqual(log.map((entry) => entry.body), ['{"ids":["u1"]}', '{"ids":["u1"]}', '{"ids":["u1"]}']);
      for (let i = 1; i < log.length; i++) {
        const waited = log[i]!.arrivedAt - log[i - 1]!.answeredAt;
        assert.ok(waited >= 1000, `request ${i + 1} came ${waited} ms after a Retry-After of 1 s`);
      }
    });

    it('honours Retry-After as an HTTP-date, without pausing other tenants', async function () {
      let until = 0;
      const { url, log } = await serve([
        () => {
          const header = new Date(Date.now() + 2000).toUTCString();
          until = Date.parse(header);
          return { status: 503, headers: { 'retry-after': header } };
        },
        () => ({ status: 200 }),
      ]);
      const limiter = new TokenBucketLimiter();
      const first = await limitedFetch(limiter, 'tenant-a', 'graph')(url);
      assert.equal(first.status, 200);
      assert.ok(log[1]!.arrivedAt >= until, 'the retry waited for the date');
      assert.equal(limiter.tryAcquire('tenant-b', 'graph'), true);
    });

    it('a Retry-After pauses every caller sharing the limiter and key', async function () {
      const { url, log } = await serve([() => ({ status: 429, headers: { 'retry-after': '1' } }), () => ({ status: 200 })]);
      const limiter = new TokenBucketLimiter();
      let throttled!: () => void;
      const firstThrottled = new Promise<void>((resolve) => (throttled = resolve));
      const ignore = () => {};
      const logger = { info: ignore, debug: ignore, error: ignore, warn: () => throttled() };
      const first = limitedFetch(limiter, 'tenant-a', 'bot-connector', fetch, { logger })(url);
      await firstThrottled;
      // Another sender for the same tenant, with tokens to spare, still waits out the pause.
      const second = await limitedFetch(limiter, 'tenant-a', 'bot-connector')(url);
      assert.equal(second.status, 200);
      assert.equal((await first).status, 200);
      assert.equal(log.length, 3);
      for (const entry of log.slice(1)) assert.ok(entry.arrivedAt >= log[0]!.answeredAt + 1000, 'no request during the pause');
    });

    it('gives up after maxAttempts and returns the last throttled response', async function () {
      const { url, log } = await serve([() => ({ status: 429, headers: { 'retry-after': '0' } })]);
      const response = await limitedFetch(new TokenBucketLimiter(), 'tenant-a', 'graph', fetch, { maxAttempts: 3 })(url);
      assert.equal(response.status, 429);
      assert.equal(log.length, 3);
    });
  });
});
