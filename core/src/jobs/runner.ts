import type { ReceivedMessageItem } from '@azure/storage-queue';
import { exponentialBackoff, type Backoff } from './backoff.js';
import { MessageLease } from './lease.js';
import { noopLogger, type LoggerLike } from './logger.js';
import type { JobQueue } from './queue.js';
import { RetryLater } from './retry-later.js';

export type JobContext = {
  /** 1 on first delivery; the message's dequeue count. */
  attempt: number;
  messageId: string;
  insertedOn: Date;
};

export type JobHandler<T> = (job: T, ctx: JobContext) => Promise<void>;

/** A job that gave up, as its poison record says; `job` is undefined when the message was not a job at all (`raw` holds its text). */
export type PoisonedJobInfo = { error: string; attempts: number; messageId: string; raw?: string };

/**
 * Called once a job has failed for good, before it moves to the poison queue, so the app can record
 * the outcome (a recipient failed, a message stopped) instead of leaving work silently unfinished.
 * It may run more than once for one job (a worker dying mid-way redelivers the message): make it idempotent.
 * If it throws, the job is poisoned all the same and the hook's error is added to the poison record.
 */
export type PoisonedHandler<T> = (job: T | undefined, info: PoisonedJobInfo) => Promise<void>;

export type JobRunnerOptions<T> = {
  queue: JobQueue<T>;
  handler: JobHandler<T>;
  visibilityTimeoutSeconds?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Pause between polls while the queue is empty. */
  pollIntervalMs?: number;
  backoff?: Backoff;
  logger?: LoggerLike;
  now?: () => Date;
  /** What to do when a job gives up (see PoisonedHandler). */
  onPoisoned?: PoisonedHandler<T>;
  /** Shares the slots between kinds of job (see FairShare); without it, jobs run in the order received. */
  fairBy?: FairShare<T>;
};

/**
 * Jobs of one key (e.g. a tenant) must not keep those of another waiting while their own work is paced
 * elsewhere: a free slot goes to the received job whose key has the fewest handlers running here, first
 * received first among equals. To have a choice, once jobs of more than one key are here, up to `lookahead`
 * received jobs wait for a slot (their messages stay hidden from other workers meanwhile, so not with a
 * single key, whose jobs another worker may be free to run; stop() hands them back to the queue).
 *
 * A key running its share of the slots (the slots divided among the keys running here) does not take a slot
 * that frees while another key runs fewer than its share: the slot is kept for that key's next job, for up to
 * `holdMs`, after which it goes to whoever waits. Without this, a key whose jobs arrived first keeps most slots
 * for as long as new jobs of both keys keep coming, since each key's slots free up as fast as its jobs arrive.
 */
export type FairShare<T> = { key: (job: T) => string; lookahead?: number; holdMs?: number };

type WaitingJob<T> = { item: ReceivedMessageItem; job: T; key: string; lease: MessageLease };

const maxVisibilitySeconds = 7 * 24 * 3600;
const maxErrorLength = 1024;
const maxReceiveBatch = 32;
const defaultHoldMs = 1000;

/**
 * Runs a queue's jobs at least once: a message is deleted only after its handler succeeds,
 * and a job that keeps failing ends in the poison queue.
 */
export class JobRunner<T> {
  private readonly queue: JobQueue<T>;
  private readonly handler: JobHandler<T>;
  private readonly visibilitySeconds: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly backoff: Backoff;
  private readonly logger: LoggerLike;
  private readonly now: () => Date;
  private readonly onPoisoned: PoisonedHandler<T> | undefined;
  private readonly fairBy: Required<FairShare<T>> | undefined;

  private running = false;
  /** received jobs waiting for a slot (fair sharing only), in the order received */
  private readonly waiting: WaitingJob<T>[] = [];
  private readonly runningByKey = new Map<string, number>();
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  /** since when a free slot has been kept for a key running below its share (fair sharing only) */
  private holdingSince: number | undefined;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(options: JobRunnerOptions<T>) {
    this.queue = options.queue;
    this.handler = options.handler;
    this.visibilitySeconds = Math.max(1, Math.ceil(options.visibilityTimeoutSeconds ?? 30));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.backoff = options.backoff ?? exponentialBackoff();
    this.logger = options.logger ?? noopLogger;
    this.now = options.now ?? (() => new Date());
    this.onPoisoned = options.onPoisoned;
    if (options.fairBy) {
      this.fairBy = {
        key: options.fairBy.key,
        lookahead: Math.max(1, options.fairBy.lookahead ?? Math.ceil(this.concurrency / 2)),
        holdMs: Math.max(0, options.fairBy.holdMs ?? defaultHoldMs),
      };
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops polling, hands jobs still waiting for a slot back to the queue, and waits for the handlers already running. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    clearTimeout(this.holdTimer);
    await this.loop;
    await Promise.all(this.waiting.splice(0).map(({ lease, item }) => lease.release(0).catch((err: unknown) => {
      this.logger.warn({ err, queue: this.queue.name, messageId: item.messageId }, 'could not hand a waiting job back; it returns when its visibility timeout ends');
    })));
    await Promise.all(this.inFlight);
  }

  /** Resolves once the queue holds no message (delayed ones included) and no handler runs. Needs start(). */
  async drain(): Promise<void> {
    for (;;) {
      // Count first: a handler deletes its message before it leaves inFlight.
      if (this.idleHere() && (await this.queue.approximateCount()) === 0 && this.idleHere()) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollIntervalMs, 100)));
    }
  }

  private idleHere(): boolean {
    return this.inFlight.size === 0 && this.waiting.length === 0;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      this.dispatch();
      const room = this.concurrency - this.inFlight.size + this.lookaheadNow() - this.waiting.length;
      if (room <= 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      let items: ReceivedMessageItem[];
      try {
        ({ receivedMessageItems: items } = await this.queue.client.receiveMessages({
          numberOfMessages: Math.min(maxReceiveBatch, room),
          visibilityTimeout: this.visibilitySeconds,
        }));
      } catch (err) {
        this.logger.error({ err, queue: this.queue.name }, 'receiving jobs failed');
        await this.idle();
        continue;
      }
      // Messages received while stopping are still run: they are already hidden from other workers.
      for (const item of items) this.accept(item);
      // the whole batch first, so the choice covers it
      this.dispatch();
      if (items.length === 0) await this.idle();
    }
  }

  /**
   * A received message: one that is not a job, or has run out of attempts, is poisoned at once; a job runs at
   * once (the receive asked for no more than the free slots) or, sharing fairly, waits for dispatch().
   */
  private accept(item: ReceivedMessageItem): void {
    const lease = new MessageLease(this.queue.client, item.messageId, item.popReceipt, this.visibilitySeconds, this.logger);
    let job: T;
    try {
      job = this.queue.decode(item.messageText);
    } catch (err) {
      this.track(this.settle(lease, item, () => this.poison(lease, item, { raw: item.messageText }, `malformed job message: ${describe(err)}`)));
      return;
    }
    if (item.dequeueCount > this.maxAttempts) {
      // The previous attempt never reported back (worker stopped, or its lease expired).
      this.track(this.settle(lease, item, () => this.poison(lease, item, { job }, `gave up after ${this.maxAttempts} attempts; the last one ended without a result`)));
      return;
    }
    lease.startRenewing();
    if (!this.fairBy) {
      this.track(this.settle(lease, item, () => this.run(lease, item, job)));
      return;
    }
    this.waiting.push({ item, job, key: this.fairBy.key(job), lease });
  }

  /** Fills free slots from the waiting jobs, each time with one of the key running least here. */
  private dispatch(): void {
    while (this.inFlight.size < this.concurrency && this.waiting.length > 0) {
      let pick = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        if (this.runningOf(this.waiting[i]!.key) < this.runningOf(this.waiting[pick]!.key)) pick = i;
      }
      if (this.keepSlotFrom(this.waiting[pick]!.key)) return;
      const { item, job, key, lease } = this.waiting.splice(pick, 1)[0]!;
      this.runningByKey.set(key, this.runningOf(key) + 1);
      const work = this.settle(lease, item, () => this.run(lease, item, job)).finally(() => {
        const left = this.runningOf(key) - 1;
        if (left > 0) this.runningByKey.set(key, left);
        else this.runningByKey.delete(key);
      });
      this.track(work);
    }
    // no slot kept now: every slot is taken, or no job waits for one
    this.holdingSince = undefined;
  }

  /**
   * Whether a free slot stays free rather than go to a job of `key`: the key runs its share of the slots here
   * while another runs fewer than its share, and the slot has not yet been kept for `holdMs` (see FairShare).
   */
  private keepSlotFrom(key: string): boolean {
    const holdMs = this.fairBy?.holdMs ?? 0;
    const share = Math.ceil(this.concurrency / Math.max(1, this.runningByKey.size));
    const anotherBelowShare = [...this.runningByKey].some(([other, running]) => other !== key && running < share);
    if (holdMs === 0 || this.runningOf(key) < share || !anotherBelowShare) {
      this.holdingSince = undefined;
      return false;
    }
    const now = this.now().getTime();
    this.holdingSince ??= now;
    const left = this.holdingSince + holdMs - now;
    if (left <= 0) {
      // held long enough: this slot goes to the waiting job, and the next one is kept anew
      this.holdingSince = undefined;
      return false;
    }
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => {
      if (this.running) this.dispatch();
    }, left);
    return true;
  }

  /**
   * How many received jobs may wait for a slot: none with a single key; `lookahead` with more; and while a slot is
   * kept for a key none of whose jobs wait here, as many again as there are slots, to reach that key's next jobs
   * behind other keys' on the queue.
   */
  private lookaheadNow(): number {
    if (!this.fairBy || this.keysHere() <= 1) return 0;
    return this.fairBy.lookahead + (this.holdingSince !== undefined ? this.concurrency : 0);
  }

  /** Keys with jobs running or waiting here: with one, jobs run in the order received and none wait. */
  private keysHere(): number {
    const keys = new Set(this.runningByKey.keys());
    for (const { key } of this.waiting) keys.add(key);
    return keys.size;
  }

  private runningOf(key: string): number {
    return this.runningByKey.get(key) ?? 0;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    // a slot frees: a waiting job takes it now, not at the next turn of the poll loop
    void work.finally(() => {
      this.inFlight.delete(work);
      if (this.running) this.dispatch();
    });
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }

  /** Never rejects: every outcome is settled on the queue or logged. */
  private async settle(lease: MessageLease, item: ReceivedMessageItem, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.error({ queue: this.queue.name, messageId: item.messageId, attempt: item.dequeueCount, err }, 'could not settle a job; it will be delivered again');
    } finally {
      lease.stopRenewing();
    }
  }

  private async run(lease: MessageLease, item: ReceivedMessageItem, job: T): Promise<void> {
    try {
      await this.handler(job, { attempt: item.dequeueCount, messageId: item.messageId, insertedOn: item.insertedOn });
    } catch (err) {
      await this.failed(lease, item, job, err);
      return;
    }
    await lease.delete();
    this.logger.debug({ queue: this.queue.name, messageId: item.messageId, attempt: item.dequeueCount }, 'job done');
  }

  private async failed(lease: MessageLease, item: ReceivedMessageItem, job: T, err: unknown): Promise<void> {
    const attempt = item.dequeueCount;
    const log = { queue: this.queue.name, messageId: item.messageId, attempt };
    if (attempt >= this.maxAttempts) {
      const reason = err instanceof RetryLater ? `still waiting on the last attempt: ${err.message}` : describe(err);
      await this.poison(lease, item, { job }, reason);
      return;
    }
    if (err instanceof RetryLater) {
      this.logger.info({ ...log, seconds: err.seconds }, 'job asked to run later');
      await lease.release(clampVisibility(err.seconds));
      return;
    }
    const seconds = clampVisibility(this.backoff(attempt));
    this.logger.warn({ ...log, err, retryInSeconds: seconds }, 'job failed; will retry');
    await lease.release(seconds);
  }

  private async poison(lease: MessageLease, item: ReceivedMessageItem, content: { job?: T; raw?: string }, error: string): Promise<void> {
    // The app's hook first: should this process die before the delete, the message comes back and the hook runs again.
    if (this.onPoisoned) {
      try {
        await this.onPoisoned(content.job, { error, attempts: item.dequeueCount, messageId: item.messageId, ...(content.raw !== undefined ? { raw: content.raw } : {}) });
      } catch (err) {
        this.logger.error({ queue: this.queue.name, messageId: item.messageId, err }, 'the poisoned-job hook failed');
        error = `${error} (and recording the failure failed: ${describe(err)})`;
      }
    }
    // Poison copy first, delete second: if either fails the message comes back and is poisoned again.
    await this.queue.sendToPoison({
      ...content,
      error: error.slice(0, maxErrorLength),
      attempts: item.dequeueCount,
      failedAt: this.now().toISOString(),
      messageId: item.messageId,
    });
    await lease.delete();
    this.logger.error({ queue: this.queue.name, messageId: item.messageId, attempts: item.dequeueCount, error }, 'job moved to the poison queue');
  }
}

function clampVisibility(seconds: number): number {
  return Math.min(maxVisibilitySeconds, Math.max(0, Math.ceil(seconds)));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
