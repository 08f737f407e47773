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
   * How much time either bucket may make up after falling behind (a busy event loop woke it late, a call
   * was held up on its way): each holds up to this many milliseconds of rate beyond its burst, so calls held
   * back are not lost. Up to that many may leave together, but beforeRequest also holds departures to a window (the
   * rate's own, else rate + burst in any second, what the plain bucket allows): what a service counting
   * requests per second sees is unchanged. Default 0 (both plain buckets).
   */
  reserveCatchUpMs?: number;
};

export type AcquireOptions = { signal?: AbortSignal | null | undefined };

/**
 * leadMs: waits until the first token is due within this long (at most aheadMs, the default), then takes those
 * due within aheadMs. Callers that plan several calls per reservation (one storage write each) get
 * aheadMs − leadMs of rate each rather than, when several wait, one token each as it comes within aheadMs.
 */
export type ReserveOptions = AcquireOptions & { leadMs?: number };

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
  wire: { tokens: number; at: number; waiters: Array<(written: Written) => void>; pumping: boolean; left: number[] };
  handover?: WindowHandover;
  /** calls others made that are still in the window, to leave room for (see setReserved) */
  reserved?: (now: number) => number;
};

/**
 * Called the moment a request let go by beforeRequest is written. A request can be let go and written tens
 * of milliseconds later (a garbage collection or a busy event loop between the two); counted at the time it
 * was let go, it would leave the window a second later while still in the one Teams counts, and the calls
 * let go then would go over the cap.
 */
export type Written = () => void;

const notCounted: Written = () => undefined;

/**
 * A leaving window that comes down to the rate's own as a share shrinks: from `from` calls at `at`, less
 * `perMs` for every millisecond since (see setRate).
 */
export type WindowHandover = { from: number; at: number; perMs: number };

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
   * Waits (outside a pause) until at least one is due within `leadMs` (see ReserveOptions); behind queued acquire() callers,
   * the first token is queued like theirs. A caller sends each request at its time, so requests leave spaced
   * as the bucket allows even when they are prepared together.
   */
  async reserve(tenantId: string, api: A, count: number, aheadMs: number, { signal, leadMs = aheadMs }: ReserveOptions = {}): Promise<number[]> {
    const bucket = this.bucket(tenantId, api);
    const times: number[] = [];
    if (count < 1) return times;
    const lead = Math.min(Math.max(0, leadMs), aheadMs);
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
      // the next token is due when the bucket (possibly in debt) has refilled to one
      const dueIn = () => Math.max(0, ((1 - bucket.tokens) / bucket.rate.ratePerSecond) * 1000);
      if (times.length === 0 && dueIn() > lead) {
        await this.sleep(dueIn() - lead);
        continue;
      }
      while (times.length < count) {
        const due = at + dueIn();
        if (due > at + aheadMs) break;
        bucket.tokens -= 1;
        times.push(Math.ceil(due));
      }
      if (times.length > 0) return times;
    }
  }

  /**
   * Call right before a request leaves: a second bucket of the same rate and burst, taken at the moment of
   * sending. Tokens plan the requests; this keeps requests that leave late (behind a slow storage write, a
   * busy event loop) from going out together, since a late batch would otherwise be on time and over the cap.
   * Resolves with the function to call the moment the request is written (see Written).
   */
  async beforeRequest(tenantId: string, api: A): Promise<Written> {
    const bucket = this.bucket(tenantId, api);
    if (bucket.wire.waiters.length === 0 && this.wireWaitMs(bucket) === 0) return this.takeWire(bucket);
    // in line, woken by one timer: hundreds of callers each polling on its own timer would keep the event
    // loop busy enough to wake them all late, and a late wake-up loses the tokens beyond the burst
    return new Promise<Written>((resolve) => {
      bucket.wire.waiters.push(resolve);
      if (!bucket.wire.pumping) void this.pumpWire(bucket);
    });
  }

  private async pumpWire(bucket: Bucket): Promise<void> {
    const wire = bucket.wire;
    wire.pumping = true;
    try {
      while (wire.waiters.length > 0) {
        const wait = this.wireWaitMs(bucket);
        if (wait > 0) await this.sleep(wait);
        else wire.waiters.shift()!(this.takeWire(bucket));
      }
    } finally {
      wire.pumping = false;
    }
  }

  /** Takes a token if one is free now and nobody is queued ahead. */
  tryAcquire(tenantId: string, api: A): boolean {
    const bucket = this.bucket(tenantId, api);
    if (this.catchUpMs === 0) return this.take(bucket);
    if (bucket.wire.waiters.length > 0 || this.wireWaitMs(bucket) > 0 || !this.take(bucket)) return false;
    this.takeWire(bucket);
    return true;
  }

  private refillWire(bucket: Bucket): void {
    const now = this.clock();
    const wire = bucket.wire;
    if (now <= wire.at) return;
    // the catch-up holds whether or not calls were in line: a call planned on time but held up on its way here
    // (a slow claim transaction, a busy event loop) finds no one in line, and the tokens it would have used
    // would be lost for good. A new bucket starts from the plain burst; the window bounds every second.
    wire.tokens = refilled(wire.tokens, now - wire.at, bucket.rate, this.planCap(bucket.rate));
    wire.at = now;
  }

  /**
   * How long until a request may leave (0: now). With a catch-up allowance the leaving bucket holds it too, so
   * calls a late wake-up held back are not lost; the departures kept then hold them to the window
   * (leavingWindow), however they bunch.
   */
  private wireWaitMs(bucket: Bucket): number {
    this.refillWire(bucket);
    const { wire, rate } = bucket;
    let wait = wire.tokens >= 1 - epsilon ? 0 : ((1 - wire.tokens) / rate.ratePerSecond) * 1000;
    const window = leavingWindow(rate, this.catchUpMs);
    if (window) {
      const limit = this.windowLimit(bucket, window.limit);
      if (wire.left.length >= limit) {
        let untilRoom = wire.left[wire.left.length - limit]! + window.ms - this.clock();
        // a reservation shrinks as others' calls age out: look again within one interval of the rate
        if (bucket.reserved) untilRoom = Math.min(untilRoom, 1000 / rate.ratePerSecond);
        wait = Math.max(wait, untilRoom);
      }
    }
    return wait;
  }

  /**
   * The leaving window's limit now: the rate's own, or more while a handover comes down to it; less the calls
   * others reserved (at least one: an empty window must not stop the key for good).
   */
  private windowLimit(bucket: Bucket, own: number): number {
    const now = this.clock();
    let limit = own;
    const handover = bucket.handover;
    if (handover) {
      const eased = Math.floor(handover.from - handover.perMs * Math.max(0, now - handover.at));
      if (eased > own) limit = eased;
      else bucket.handover = undefined;
    }
    if (!bucket.reserved) return limit;
    const reserved = bucket.reserved(now);
    if (reserved <= 0) {
      bucket.reserved = undefined;
      return limit;
    }
    return Math.max(1, limit - Math.ceil(reserved - epsilon));
  }

  /** Takes a leaving token; the caller has just seen wireWaitMs say 0. */
  private takeWire(bucket: Bucket): Written {
    const wire = bucket.wire;
    wire.tokens -= 1;
    const window = leavingWindow(bucket.rate, this.catchUpMs);
    if (window) {
      wire.left.push(this.clock());
      // enough history for the largest limit it may be checked against
      const keep = Math.max(window.limit, bucket.handover?.from ?? 0);
      if (wire.left.length > 2 * keep + 64) wire.left = wire.left.slice(wire.left.length - keep);
      const at = wire.left[wire.left.length - 1]!;
      return () => this.written(bucket, at);
    }
    return notCounted;
  }

  /** A request let go at `at` is written only now: its place in the leaving window moves to now. */
  private written(bucket: Bucket, at: number): void {
    const now = this.clock();
    if (now <= at) return;
    const left = bucket.wire.left;
    let i = left.length - 1;
    while (i >= 0 && left[i] !== at) i--;
    // aged out of the history already (written later than a whole window's calls): nothing to move
    if (i < 0) return;
    left.splice(i, 1);
    let j = left.length;
    while (j > 0 && left[j - 1]! > now) j--;
    left.splice(j, 0, now);
  }

  /** Either bucket's capacity: the burst, plus the catch-up allowance. */
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

  /**
   * Empties both buckets of a key (outside a pause, which sets its own restart): the next call waits one
   * interval of the rate, as after a call just made.
   */
  empty(tenantId: string, api: A): void {
    const bucket = this.bucket(tenantId, api);
    const now = this.clock();
    if (now < bucket.pausedUntil) return;
    this.refill(bucket, now);
    bucket.tokens = 0;
    bucket.wire.tokens = 0;
    bucket.wire.at = now;
  }

  /** Whether calls are in line on the key, for a token or to leave. */
  busy(tenantId: string, api: A): boolean {
    const bucket = this.buckets.get(keyOf(tenantId, api));
    return !!bucket && (bucket.waiters.length > 0 || bucket.wire.waiters.length > 0);
  }

  /** Milliseconds left of a Retry-After pause on the key (0 when not paused). */
  pausedFor(tenantId: string, api: A): number {
    const bucket = this.buckets.get(keyOf(tenantId, api));
    return bucket ? Math.max(0, bucket.pausedUntil - this.clock()) : 0;
  }

  /**
   * Changes one key's rate (a share of a rate split between processes); tokens above the new capacity are
   * dropped. A `handover` lets the leaving window come down to the new rate's gradually rather than at once
   * (without one, a smaller window that calls of the last second already fill holds every call back until
   * they age out of it): the caller vouches that the calls others add meanwhile leave room for it.
   */
  setRate(tenantId: string, api: A, rate: BucketRate, handover?: WindowHandover): void {
    const bucket = this.bucket(tenantId, api);
    this.refill(bucket, this.clock());
    bucket.rate = rate;
    bucket.handover = handover;
    bucket.tokens = Math.min(bucket.tokens, this.planCap(rate));
    bucket.wire.tokens = Math.min(bucket.wire.tokens, this.planCap(rate));
  }

  /**
   * Leaves room in one key's leaving window for calls made elsewhere that are still in the window Teams
   * counts (a peer process that stopped sending): `reserved(now)` of them, falling to 0 as they age out
   * (then forgotten). Undefined clears it.
   */
  setReserved(tenantId: string, api: A, reserved: ((now: number) => number) | undefined): void {
    this.bucket(tenantId, api).reserved = reserved;
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
    const key = keyOf(tenantId, api);
    let bucket = this.buckets.get(key);
    if (bucket) return bucket;
    const rate = this.rates.get(api);
    if (!rate) throw new Error(`no rate limit configured for api "${api}"`);
    if (this.buckets.size >= this.maxBuckets) this.forgetIdle();
    bucket = { rate, tokens: rate.burst, refilledAt: this.clock(), pausedUntil: 0, waiters: [], pumping: false, wire: { tokens: rate.burst, at: this.clock(), waiters: [], pumping: false, left: [] } };
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

/**
 * The window requests leaving are held to: the rate's own, else (with a catch-up allowance, whose burst would
 * exceed it) what the plain bucket lets through in any one second. None without either.
 */
function leavingWindow(rate: BucketRate, catchUpMs: number): { limit: number; ms: number } | undefined {
  if (rate.window) return rate.window;
  return catchUpMs > 0 ? { limit: Math.max(1, Math.floor(rate.ratePerSecond + rate.burst + epsilon)), ms: 1000 } : undefined;
}

/** Tokens after `elapsedMs` of refilling at the rate, never above `cap`. */
function refilled(tokens: number, elapsedMs: number, rate: BucketRate, cap: number): number {
  return Math.min(cap, tokens + (elapsedMs / 1000) * rate.ratePerSecond);
}

function keyOf(tenantId: string, api: string): string {
  return `${api}\u0000${tenantId}`;
}
