import { teamsRateLimits, toBucketRate, type BucketRate, type RateLimit, type TeamsApi } from './rates.js';

export type TokenBucketLimiterOptions<A extends string> = {
  /** Limits per api; defaults to teamsRateLimits. */
  limits?: Record<A, RateLimit>;
  /** Milliseconds; injectable with sleep for deterministic tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Beyond this many buckets, idle full ones are forgotten (a full bucket equals a new one). */
  maxBuckets?: number;
  /**
   * How much planning time reserve() may make up after falling behind (a busy event loop woke it late):
   * the planning bucket holds up to this many milliseconds of rate beyond its burst. Requests still leave
   * through beforeRequest's bucket of the plain rate and burst, so what reaches the service is never
   * burstier; a few more calls wait there instead of being lost. Default 0 (both buckets alike).
   */
  reserveCatchUpMs?: number;
};

export type AcquireOptions = { signal?: AbortSignal | null | undefined };

type Waiter = { grant: () => void };

type Bucket = {
  rate: BucketRate;
  tokens: number;
  refilledAt: number;
  pausedUntil: number;
  /** First come, first served: a token goes to the oldest waiter. */
  waiters: Waiter[];
  pumping: boolean;
  /** the bucket requests take from as they leave (beforeRequest), first come, first served */
  wire: { tokens: number; at: number; waiters: Array<() => void>; pumping: boolean };
};

// Refill arithmetic in floating point can leave 0.9999999 of a token.
const epsilon = 1e-9;

/** A token bucket per (tenant, api), as Microsoft's limits are per app per tenant. */
export class TokenBucketLimiter<A extends string = TeamsApi> {
  private readonly rates = new Map<string, BucketRate>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly catchUpMs: number;
  private readonly maxBuckets: number;

  constructor(options: TokenBucketLimiterOptions<A> = {}) {
    const limits: Record<string, RateLimit> = options.limits ?? teamsRateLimits;
    for (const [api, limit] of Object.entries(limits)) this.rates.set(api, toBucketRate(limit));
    this.clock = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxBuckets = options.maxBuckets ?? 10_000;
    this.catchUpMs = Math.max(0, options.reserveCatchUpMs ?? 0);
  }

  now(): number {
    return this.clock();
  }

  /** Waits for a token; rejects with the signal's reason if aborted while waiting. */
  async acquire(tenantId: string, api: A, { signal }: AcquireOptions = {}): Promise<void> {
    signal?.throwIfAborted();
    const bucket = this.bucket(tenantId, api);
    if (!this.take(bucket)) await this.queue(bucket, signal);
    // it leaves now: through the same bucket as reserved requests do when they leave
    if (this.catchUpMs > 0) await this.beforeRequest(tenantId, api);
  }

  private queue(bucket: Bucket, signal: AbortSignal | null | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = bucket.waiters.indexOf(waiter);
        if (index >= 0) bucket.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.waiters.push(waiter);
      if (!bucket.pumping) void this.pump(bucket);
    });
  }

  /**
   * Up to `count` tokens at once, each with the time (ms, this limiter's clock) it may be used: tokens free
   * now are due now, later ones are taken on credit, spaced at the rate, no further ahead than `aheadMs`.
   * Waits (outside a pause) until at least one is due within `aheadMs`; behind queued acquire() callers,
   * the first token is queued like theirs. A caller sends each request at its time, so requests leave spaced
   * as the bucket allows even when they are prepared together.
   */
  async reserve(tenantId: string, api: A, count: number, aheadMs: number, { signal }: AcquireOptions = {}): Promise<number[]> {
    const bucket = this.bucket(tenantId, api);
    const times: number[] = [];
    if (count < 1) return times;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      if (now < bucket.pausedUntil) {
        await this.sleep(bucket.pausedUntil - now);
        continue;
      }
      if (bucket.waiters.length > 0 && times.length === 0) {
        // in line behind them for the first token (not acquire(): the caller's request takes its leaving token itself)
        await this.queue(bucket, signal);
        times.push(this.clock());
      }
      this.refill(bucket, this.clock());
      const at = this.clock();
      while (times.length < count) {
        // the next token is due when the bucket (possibly in debt) has refilled to one
        const due = at + Math.max(0, ((1 - bucket.tokens) / bucket.rate.ratePerSecond) * 1000);
        if (due > at + aheadMs) break;
        bucket.tokens -= 1;
        times.push(Math.ceil(due));
      }
      if (times.length > 0) return times;
      await this.sleep(((1 - bucket.tokens) / bucket.rate.ratePerSecond) * 1000 - aheadMs);
    }
  }

  /**
   * Call right before a request leaves: a second bucket of the same rate and burst, taken at the moment of
   * sending. Tokens plan the requests; this keeps requests that leave late (behind a slow storage write, a
   * busy event loop) from going out together, since a late batch would otherwise be on time and over the cap.
   */
  async beforeRequest(tenantId: string, api: A): Promise<void> {
    const bucket = this.bucket(tenantId, api);
    if (bucket.wire.waiters.length === 0 && this.takeWire(bucket)) return;
    // in line, woken by one timer: hundreds of callers each polling on its own timer would keep the event
    // loop busy enough to wake them all late, and a late wake-up loses the tokens beyond the burst
    await new Promise<void>((resolve) => {
      bucket.wire.waiters.push(resolve);
      if (!bucket.wire.pumping) void this.pumpWire(bucket);
    });
  }

  private async pumpWire(bucket: Bucket): Promise<void> {
    const wire = bucket.wire;
    wire.pumping = true;
    try {
      while (wire.waiters.length > 0) {
        if (this.takeWire(bucket)) wire.waiters.shift()!();
        else await this.sleep(((1 - wire.tokens) / bucket.rate.ratePerSecond) * 1000);
      }
    } finally {
      wire.pumping = false;
    }
  }

  /** Takes a token if one is free now and nobody is queued ahead. */
  tryAcquire(tenantId: string, api: A): boolean {
    const bucket = this.bucket(tenantId, api);
    if (this.catchUpMs === 0) return this.take(bucket);
    this.refillWire(bucket);
    if (bucket.wire.waiters.length > 0 || bucket.wire.tokens < 1 - epsilon || !this.take(bucket)) return false;
    return this.takeWire(bucket);
  }

  private refillWire(bucket: Bucket): void {
    const now = this.clock();
    if (now <= bucket.wire.at) return;
    bucket.wire.tokens = refilled(bucket.wire.tokens, now - bucket.wire.at, bucket.rate, bucket.rate.burst);
    bucket.wire.at = now;
  }

  private takeWire(bucket: Bucket): boolean {
    this.refillWire(bucket);
    if (bucket.wire.tokens < 1 - epsilon) return false;
    bucket.wire.tokens -= 1;
    return true;
  }

  /** The planning bucket's capacity: the burst, plus the catch-up allowance. */
  private planCap(rate: BucketRate): number {
    return rate.burst + (rate.ratePerSecond * this.catchUpMs) / 1000;
  }

  /**
   * Blocks the key, queued waiters included, for retryAfterMs (a later pause wins). The bucket
   * then restarts from one token, so the first request after a 429 is a single probe.
   */
  pauseFor(tenantId: string, api: A, retryAfterMs: number): void {
    const bucket = this.bucket(tenantId, api);
    const until = this.clock() + Math.max(0, retryAfterMs);
    if (until < bucket.pausedUntil) return;
    bucket.pausedUntil = until;
    bucket.tokens = 1;
    bucket.refilledAt = until;
    bucket.wire.tokens = 1;
    bucket.wire.at = until;
  }

  /** Milliseconds left of a Retry-After pause on the key (0 when not paused). */
  pausedFor(tenantId: string, api: A): number {
    const bucket = this.buckets.get(`${api}\u0000${tenantId}`);
    return bucket ? Math.max(0, bucket.pausedUntil - this.clock()) : 0;
  }

  /** Changes one key's rate (a share of a rate split between processes); tokens above the new burst are dropped. */
  setRate(tenantId: string, api: A, rate: BucketRate): void {
    const bucket = this.bucket(tenantId, api);
    this.refill(bucket, this.clock());
    bucket.rate = rate;
    bucket.tokens = Math.min(bucket.tokens, this.planCap(rate));
    bucket.wire.tokens = Math.min(bucket.wire.tokens, rate.burst);
  }

  private take(bucket: Bucket): boolean {
    const now = this.clock();
    if (bucket.waiters.length > 0 || now < bucket.pausedUntil) return false;
    this.refill(bucket, now);
    if (bucket.tokens < 1 - epsilon) return false;
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    return true;
  }

  private async pump(bucket: Bucket): Promise<void> {
    bucket.pumping = true;
    try {
      while (bucket.waiters.length > 0) {
        const now = this.clock();
        if (now < bucket.pausedUntil) {
          await this.sleep(bucket.pausedUntil - now);
          continue;
        }
        this.refill(bucket, now);
        if (bucket.tokens >= 1 - epsilon) {
          bucket.tokens = Math.max(0, bucket.tokens - 1);
          bucket.waiters.shift()?.grant();
          continue;
        }
        await this.sleep(((1 - bucket.tokens) / bucket.rate.ratePerSecond) * 1000);
      }
    } finally {
      bucket.pumping = false;
    }
  }

  private refill(bucket: Bucket, now: number): void {
    if (now <= bucket.refilledAt) return;
    bucket.tokens = refilled(bucket.tokens, now - bucket.refilledAt, bucket.rate, this.planCap(bucket.rate));
    bucket.refilledAt = now;
  }

  private bucket(tenantId: string, api: A): Bucket {
    const key = `${api}\u0000${tenantId}`;
    let bucket = this.buckets.get(key);
    if (bucket) return bucket;
    const rate = this.rates.get(api);
    if (!rate) throw new Error(`no rate limit configured for api "${api}"`);
    if (this.buckets.size >= this.maxBuckets) this.forgetIdle();
    bucket = { rate, tokens: rate.burst, refilledAt: this.clock(), pausedUntil: 0, waiters: [], pumping: false, wire: { tokens: rate.burst, at: this.clock(), waiters: [], pumping: false } };
    this.buckets.set(key, bucket);
    return bucket;
  }

  private forgetIdle(): void {
    const now = this.clock();
    for (const [key, bucket] of this.buckets) {
      if (bucket.pumping || bucket.waiters.length > 0 || bucket.wire.pumping || now < bucket.pausedUntil) continue;
      this.refill(bucket, now);
      if (bucket.tokens >= bucket.rate.burst - epsilon) this.buckets.delete(key);
    }
  }
}

/** Tokens after `elapsedMs` of refilling at the rate, never above `cap`. */
function refilled(tokens: number, elapsedMs: number, rate: BucketRate, cap: number): number {
  return Math.min(cap, tokens + (elapsedMs / 1000) * rate.ratePerSecond);
}
