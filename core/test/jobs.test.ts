import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { QueueServiceClient } from '@azure/storage-queue';
import { pino } from 'pino';
import { JobQueue, JobRunner, RetryLater, type JobContext, type JobRunnerOptions } from '../src/jobs/index.js';

type Job = { id: string; payload?: string };

describe('jobs on Azure Storage Queues', function () {
  let service: QueueServiceClient;
  const queues: JobQueue<Job>[] = [];
  const runners: JobRunner<Job>[] = [];
  const finishers: Array<() => void> = [];
  let counter = 0;

  before(function () {
    const connectionString = process.env.STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new Error('STORAGE_CONNECTION_STRING is not set: run through mocha with the suite root hooks');
    service = QueueServiceClient.fromConnectionString(connectionString);
  });

  afterEach(async function () {
    for (const finish of finishers.splice(0)) finish();
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await Promise.all(queues.splice(0).flatMap((queue) => [queue.client.deleteIfExists(), queue.poisonClient.deleteIfExists()]));
  });

  async function newQueue(): Promise<JobQueue<Job>> {
    const queue = new JobQueue<Job>(service, `jobs-${process.pid}-${Date.now().toString(36)}-${counter++}`);
    await queue.create();
    queues.push(queue);
    return queue;
  }

  function newRunner(options: Omit<JobRunnerOptions<Job>, 'pollIntervalMs' | 'backoff'> & Partial<JobRunnerOptions<Job>>): JobRunner<Job> {
    const runner = new JobRunner<Job>({ pollIntervalMs: 50, backoff: () => 0, visibilityTimeoutSeconds: 2, ...options });
    runners.push(runner);
    runner.start();
    return runner;
  }

  async function rawTexts(queue: JobQueue<Job>): Promise<string[]> {
    return (await queue.client.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((item) => item.messageText);
  }

  async function waitFor(condition: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (condition()) return;
      await delay(25);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('stores jobs as base64-encoded JSON, the encoding Azure Functions and Storage Explorer read', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'a', payload: 'grüße <b>&</b>' });
    const [text] = await rawTexts(queue);
    assert.ok(text);
    assert.match(text, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(JSON.parse(Buffer.from(text, 'base64').toString('utf8')), { id: 'a', payload: 'grüße <b>&</b>' });
  });

  it('handles a job once and deletes it', async function () {
    const queue = await newQueue();
    const seen: { job: Job; ctx: JobContext }[] = [];
    const messageId = await queue.enqueue({ id: 'once' });
    // A pino logger fits the runner's logger type.
    const runner = newRunner({ queue, logger: pino({ level: 'silent' }), handler: async (job, ctx) => void seen.push({ job, ctx }) });
    await runner.drain();
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]?.job, { id: 'once' });
    assert.equal(seen[0]?.ctx.attempt, 1);
    assert.equal(seen[0]?.ctx.messageId, messageId);
    assert.ok(seen[0]?.ctx.insertedOn instanceof Date);
    assert.equal(await queue.approximateCount(), 0);
    assert.deepEqual(await queue.poisoned(), []);
  });

  it('enqueues many jobs and runs each once, no more than `concurrency` at a time', async function () {
    const queue = await newQueue();
    const ids = Array.from({ length: 10 }, (_, i) => `job-${i}`);
    const messageIds = await queue.enqueueMany(ids.map((id) => ({ id })));
    assert.equal(new Set(messageIds).size, 10);
    const handled: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const runner = newRunner({
      queue,
      concurrency: 3,
      handler: async (job) => {
        maxRunning = Math.max(maxRunning, ++running);
        await delay(100);
        running--;
        handled.push(job.id);
      },
    });
    await runner.drain();
    assert.deepEqual([...handled].sort(), [...ids].sort());
    assert.ok(maxRunning <= 3, `ran ${maxRunning} at once`);
  });

  it('shares the slots between keys: once jobs of two keys are here, a free slot goes to the key running fewer', async function () {
    const queue = await newQueue();
    // in queue order: another key's jobs arrived ahead of this key's later ones, as when a second tenant starts a send
    const ids = ['a-0', 'a-1', 'b-0', 'b-1', 'b-2', 'b-3', 'a-2', 'a-3'];
    await queue.enqueueMany(ids.map((id) => ({ id })));
    const started: string[] = [];
    const handled: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const runner = newRunner({
      queue,
      concurrency: 2,
      fairBy: { key: (job) => job.id.slice(0, 1), lookahead: 8 },
      handler: async (job) => {
        started.push(job.id);
        maxRunning = Math.max(maxRunning, ++running);
        await delay(job.id === 'a-0' ? 100 : 300);
        running--;
        handled.push(job.id);
      },
    });
    await runner.drain();
    assert.deepEqual([...handled].sort(), [...ids].sort());
    assert.ok(maxRunning <= 2, `ran ${maxRunning} at once`);
    // when a-1 ends, b-0 runs and a runs nothing: a-2 goes first; first come, first served would start every b before it
    assert.ok(started.indexOf('a-2') < started.indexOf('b-1'), `started in the order ${started.join(', ')}`);
    assert.ok(started.indexOf('a-3') < started.indexOf('b-3'), `started in the order ${started.join(', ')}`);
  });

  it('lets a key alone use every slot when sharing fairly', async function () {
    const queue = await newQueue();
    await queue.enqueueMany(Array.from({ length: 6 }, (_, i) => ({ id: `a-${i}` })));
    let running = 0;
    let maxRunning = 0;
    const runner = newRunner({
      queue,
      concurrency: 3,
      fairBy: { key: (job) => job.id.slice(0, 1) },
      handler: async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await delay(150);
        running--;
      },
    });
    await runner.drain();
    assert.equal(maxRunning, 3);
  });

  /** Jobs whose handlers run until the test ends them, one by one, or all at once with finish() (after each test too). */
  function heldJobs() {
    const started = new Map<string, number>();
    const ends = new Map<string, () => void>();
    let finished = false;
    const finish = () => {
      finished = true;
      for (const end of ends.values()) end();
    };
    finishers.push(finish);
    return {
      started,
      handler: (job: Job) => new Promise<void>((resolve) => {
        started.set(job.id, Date.now());
        ends.set(job.id, resolve);
        if (finished) resolve();
      }),
      end(id: string) {
        const end = ends.get(id);
        if (!end) throw new Error(`${id} has not started`);
        end();
      },
      finish,
    };
  }

  /** Four slots shared by key (the id's first letter): a's jobs take three, then b's first takes the fourth. */
  async function threeOfAOneOfB(fairness: { lookahead: number; holdMs: number }) {
    const queue = await newQueue();
    const jobs = heldJobs();
    const runner = newRunner({ queue, concurrency: 4, fairBy: { key: (job) => job.id.slice(0, 1), ...fairness }, handler: jobs.handler });
    await queue.enqueueMany(['a-0', 'a-1', 'a-2'].map((id) => ({ id })));
    await waitFor(() => jobs.started.size === 3, 'a to take three slots');
    await queue.enqueue({ id: 'b-0' });
    await waitFor(() => jobs.started.size === 4, 'b to take the fourth');
    return { queue, jobs, runner };
  }

  it('keeps a freed slot for a key running below its share rather than give it to a key already at its share', async function () {
    const { queue, jobs, runner } = await threeOfAOneOfB({ lookahead: 4, holdMs: 60_000 });
    await queue.enqueue({ id: 'a-3' });
    await delay(300); // a-3 received and waiting: every slot is taken
    // a runs 2 of its share of 2 once a-0 ends, b runs 1: the slot is kept for b
    jobs.end('a-0');
    await delay(400);
    assert.equal(jobs.started.has('a-3'), false, 'a-3 took the slot kept for b');
    await queue.enqueue({ id: 'b-1' });
    await waitFor(() => jobs.started.has('b-1'), 'b-1 to take the kept slot');
    assert.equal(jobs.started.has('a-3'), false);
    // a below its share again: its waiting job runs
    jobs.end('a-1');
    await waitFor(() => jobs.started.has('a-3'), 'a-3 to start once a runs below its share');
    jobs.finish();
    await runner.drain();
    assert.equal(jobs.started.size, 6);
  });

  it('reaches the next job of the key a slot is kept for behind other keys\' jobs on the queue', async function () {
    const { queue, jobs, runner } = await threeOfAOneOfB({ lookahead: 1, holdMs: 60_000 });
    // more of a's jobs than the lookahead ahead of b's next one
    await queue.enqueueMany(['a-3', 'a-4', 'a-5'].map((id) => ({ id })));
    await queue.enqueue({ id: 'b-1' });
    await delay(300);
    jobs.end('a-0');
    await waitFor(() => jobs.started.has('b-1'), 'b-1 to take the slot kept for b');
    assert.deepEqual(['a-3', 'a-4', 'a-5'].filter((id) => jobs.started.has(id)), []);
    jobs.finish();
    await runner.drain();
    assert.equal(jobs.started.size, 8);
  });

  it('gives a kept slot to the waiting job once it has been kept for holdMs', async function () {
    const { queue, jobs, runner } = await threeOfAOneOfB({ lookahead: 4, holdMs: 500 });
    await queue.enqueue({ id: 'a-3' });
    await delay(300);
    const freedAt = Date.now();
    jobs.end('a-0');
    await waitFor(() => jobs.started.has('a-3'), 'a-3 to start when the hold ends');
    const after = jobs.started.get('a-3')! - freedAt;
    assert.ok(after >= 450, `a-3 started ${after} ms after the slot freed, before the hold ended`);
    jobs.finish();
    await runner.drain();
  });

  it('hands jobs still waiting for a slot back to the queue when stopped, for another worker to run at once', async function () {
    const queue = await newQueue();
    const ids = ['a-0', 'a-1', 'a-2', 'a-3'];
    await queue.enqueueMany(ids.map((id) => ({ id })));
    const handled: string[] = [];
    let started = 0;
    const handler = async (job: Job) => {
      started++;
      await delay(300);
      handled.push(job.id);
    };
    // a long visibility timeout: without the hand-back the waiting jobs would stay hidden for 30 s
    const first = newRunner({ queue, concurrency: 1, visibilityTimeoutSeconds: 30, fairBy: { key: (job) => job.id, lookahead: 3 }, handler });
    await waitFor(() => started === 1, 'the first job to start');
    await delay(200); // the other three received and waiting
    await first.stop();
    assert.equal(handled.length, 1);
    const startedAt = Date.now();
    const second = newRunner({ queue, concurrency: 3, handler });
    await second.drain();
    assert.deepEqual([...handled].sort(), [...ids].sort());
    assert.ok(Date.now() - startedAt < 5000, `the waiting jobs came back after ${Date.now() - startedAt} ms`);
  });

  it('retries a failing handler, counting attempts by dequeue count, until it succeeds', async function () {
    const queue = await newQueue();
    const attempts: number[] = [];
    await queue.enqueue({ id: 'flaky' });
    const runner = newRunner({
      queue,
      handler: async (_job, ctx) => {
        attempts.push(ctx.attempt);
        if (attempts.length <= 2) throw new Error(`transient failure ${attempts.length}`);
      },
    });
    await runner.drain();
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(await queue.approximateCount(), 0);
    assert.deepEqual(await queue.poisoned(), []);
  });

  it('moves a job that always fails to the poison queue after exactly 5 attempts, with its error', async function () {
    const queue = await newQueue();
    const attempts: number[] = [];
    const messageId = await queue.enqueue({ id: 'doomed' });
    const before = Date.now();
    const runner = newRunner({
      queue,
      handler: async (_job, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error('recipient not found');
      },
    });
    await runner.drain();
    assert.deepEqual(attempts, [1, 2, 3, 4, 5]);
    assert.equal(await queue.approximateCount(), 0);
    const poisoned = await queue.poisoned();
    assert.equal(poisoned.length, 1);
    const [entry] = poisoned;
    assert.deepEqual(entry?.job, { id: 'doomed' });
    assert.equal(entry?.error, 'recipient not found');
    assert.equal(entry?.attempts, 5);
    assert.equal(entry?.originalMessageId, messageId);
    assert.ok(entry && entry.failedAt.getTime() >= before);
  });

  it('tells onPoisoned about a job that gave up, once, with its error, before it reaches the poison queue', async function () {
    const queue = await newQueue();
    const doomedId = await queue.enqueue({ id: 'doomed' });
    await queue.enqueue({ id: 'flaky' });
    const calls: Array<{ job: Job | undefined; error: string; attempts: number; messageId: string; poisonedBefore: number }> = [];
    let flakyRuns = 0;
    const runner = newRunner({
      queue,
      handler: async (job) => {
        if (job.id === 'flaky' && ++flakyRuns > 1) return;
        throw new Error(`cannot deliver ${job.id}`);
      },
      onPoisoned: async (job, info) => {
        calls.push({ job, ...info, poisonedBefore: (await queue.poisoned()).length });
      },
    });
    await runner.drain();
    assert.deepEqual(calls, [{ job: { id: 'doomed' }, error: 'cannot deliver doomed', attempts: 5, messageId: doomedId, poisonedBefore: 0 }], 'only the job that gave up, before its poison copy');
    assert.deepEqual((await queue.poisoned()).map((p) => [p.job?.id, p.error]), [['doomed', 'cannot deliver doomed']]);
  });

  it('tells onPoisoned about jobs whose attempts ran out without a result and messages that are not jobs', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'orphan' });
    for (let i = 0; i < 2; i++) {
      const [item] = (await queue.client.receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
      assert.ok(item);
      await queue.client.updateMessage(item.messageId, item.popReceipt, undefined, 0);
    }
    await queue.client.sendMessage('not a job');
    const calls: Array<{ job: Job | undefined; error: string; attempts: number; raw?: string }> = [];
    let handled = 0;
    const runner = newRunner({ queue, maxAttempts: 2, handler: async () => void handled++, onPoisoned: async (job, { error, attempts, raw }) => void calls.push({ job, error, attempts, ...(raw !== undefined ? { raw } : {}) }) });
    await runner.drain();
    assert.equal(handled, 0);
    const byKind = calls.sort((a, b) => String(a.job?.id).localeCompare(String(b.job?.id)));
    assert.equal(byKind.length, 2);
    assert.deepEqual([byKind[0]!.job, byKind[0]!.attempts], [{ id: 'orphan' }, 3]);
    assert.match(byKind[0]!.error, /gave up after 2 attempts/);
    assert.deepEqual([byKind[1]!.job, byKind[1]!.raw], [undefined, 'not a job']);
    assert.match(byKind[1]!.error, /^malformed job message/);
  });

  it('still poisons a job when onPoisoned throws, noting the hook\'s failure in the record', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'doomed' });
    let hookRuns = 0;
    const runner = newRunner({
      queue,
      maxAttempts: 1,
      handler: async () => { throw new Error('downstream unavailable'); },
      onPoisoned: async () => { hookRuns++; throw new Error('storage down too'); },
    });
    await runner.drain();
    assert.equal(hookRuns, 1);
    assert.equal(await queue.approximateCount(), 0);
    const [entry] = await queue.poisoned();
    assert.equal(entry?.job?.id, 'doomed');
    assert.match(entry?.error ?? '', /^downstream unavailable \(and recording the failure failed: storage down too\)$/);
  });

  it('enqueues many jobs with a delay of their own: each stays hidden until its time', async function () {
    const queue = await newQueue();
    await queue.enqueueMany([{ id: 'now' }, { id: 'in-a-minute' }, { id: 'also-now' }], (i) => ({ delaySeconds: i === 1 ? 60 : 0 }));
    const visible = await queue.client.peekMessages({ numberOfMessages: 32 });
    assert.deepEqual(visible.peekedMessageItems.map((m) => queue.decode(m.messageText).id).sort(), ['also-now', 'now']);
    assert.equal(await queue.approximateCount(), 3, 'the delayed job is on the queue, hidden');
  });

  it('requeues a poisoned job as a fresh message, leaving the other poisoned jobs listed', async function () {
    const queue = await newQueue();
    await queue.enqueueMany([{ id: 'first' }, { id: 'second' }, { id: 'third' }]);
    let healthy = false;
    const attempts: { id: string; attempt: number }[] = [];
    const runner = newRunner({
      queue,
      maxAttempts: 1,
      handler: async (job, ctx) => {
        attempts.push({ id: job.id, attempt: ctx.attempt });
        if (!healthy) throw new Error('downstream unavailable');
      },
    });
    await runner.drain();
    const poisoned = await queue.poisoned();
    assert.deepEqual(poisoned.map((p) => p.job?.id).sort(), ['first', 'second', 'third']);

    assert.equal(await queue.requeuePoisoned('no-such-message'), false);
    assert.equal((await queue.poisoned()).length, 3, 'a failed lookup releases what it scanned');

    const second = poisoned.find((p) => p.job?.id === 'second');
    assert.ok(second);
    healthy = true;
    attempts.length = 0;
    assert.equal(await queue.requeuePoisoned(second.id), true);
    await runner.drain();
    assert.deepEqual(attempts, [{ id: 'second', attempt: 1 }]);
    assert.deepEqual((await queue.poisoned()).map((p) => p.job?.id).sort(), ['first', 'third']);
  });

  it('poisons a message that is not a job without running the handler, keeping its text', async function () {
    const queue = await newQueue();
    await queue.client.sendMessage('this is not json');
    let calls = 0;
    const runner = newRunner({ queue, handler: async () => void calls++ });
    await runner.drain();
    assert.equal(calls, 0);
    const [entry] = await queue.poisoned();
    assert.equal(entry?.job, undefined);
    assert.equal(entry?.raw, 'this is not json');
    assert.match(entry?.error ?? '', /^malformed job message/);
  });

  it('poisons a job whose attempts ran out without a result, as when workers died mid-job', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'orphan' });
    for (let i = 0; i < 5; i++) {
      // A worker receives it, then vanishes; the message reappears.
      const [item] = (await queue.client.receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
      assert.ok(item);
      await queue.client.updateMessage(item.messageId, item.popReceipt, undefined, 0);
    }
    let calls = 0;
    const runner = newRunner({ queue, handler: async () => void calls++ });
    await runner.drain();
    assert.equal(calls, 0);
    const [entry] = await queue.poisoned();
    assert.deepEqual(entry?.job, { id: 'orphan' });
    assert.equal(entry?.attempts, 6);
    assert.match(entry?.error ?? '', /gave up after 5 attempts/);
  });

  it('does not run a delayed job before its delay', async function () {
    const queue = await newQueue();
    const enqueuedAt = Date.now();
    await queue.enqueue({ id: 'later' }, { delaySeconds: 2 });
    const handledAt: number[] = [];
    const runner = newRunner({ queue, handler: async () => void handledAt.push(Date.now()) });
    await delay(500);
    assert.deepEqual(handledAt, [], 'not yet visible');
    await runner.drain();
    assert.equal(handledAt.length, 1);
    assert.ok(handledAt[0]! >= enqueuedAt + 2000, `handled ${handledAt[0]! - enqueuedAt} ms after enqueue`);
  });

  it('reschedules on RetryLater without backoff, not before the requested time', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'throttled' });
    const starts: { attempt: number; at: number }[] = [];
    let askedAt = 0;
    const runner = newRunner({
      queue,
      backoff: () => 60,
      handler: async (_job, ctx) => {
        starts.push({ attempt: ctx.attempt, at: Date.now() });
        if (ctx.attempt === 1) {
          askedAt = Date.now();
          throw new RetryLater(1);
        }
      },
    });
    await runner.drain();
    assert.deepEqual(starts.map((s) => s.attempt), [1, 2]);
    assert.ok(starts[1]!.at >= askedAt + 1000, `second run ${starts[1]!.at - askedAt} ms after RetryLater(1)`);
    assert.deepEqual(await queue.poisoned(), []);
  });

  it('poisons a job still asking to retry later on its last attempt', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'never-ready' });
    const runner = newRunner({ queue, maxAttempts: 2, handler: async () => { throw new RetryLater(0, 'tenant paused'); } });
    await runner.drain();
    const [entry] = await queue.poisoned();
    assert.equal(entry?.attempts, 2);
    assert.match(entry?.error ?? '', /tenant paused/);
  });

  it('stop() waits for handlers in flight, which then finish and delete their message', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'slow' });
    let started = false;
    let finished = false;
    const runner = newRunner({
      queue,
      handler: async () => {
        started = true;
        await delay(500);
        finished = true;
      },
    });
    await waitFor(() => started, 'the handler to start');
    await runner.stop();
    assert.equal(finished, true);
    assert.equal(await queue.approximateCount(), 0);
  });

  it('renews the visibility of a slow handler so no other worker runs the job meanwhile', async function () {
    const queue = await newQueue();
    await queue.enqueue({ id: 'long' });
    let running = 0;
    let runs = 0;
    let overlapped = false;
    const handler = async () => {
      runs++;
      if (++running > 1) overlapped = true;
      await delay(3500); // well past the 1 s visibility timeout
      running--;
    };
    // Two workers poll the same queue, as two instances would.
    const first = newRunner({ queue, handler, visibilityTimeoutSeconds: 1 });
    newRunner({ queue, handler, visibilityTimeoutSeconds: 1 });
    await first.drain();
    assert.equal(runs, 1);
    assert.equal(overlapped, false);
  });
});
