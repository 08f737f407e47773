/**
 * Bot Connector rate limits as Microsoft documents them, and the two limiters that enforce them.
 *
 * Source: "Optimize your bot with rate limiting in Teams",
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit
 * (markdown: MicrosoftDocs/msteams-docs, msteams-platform/bots/how-to/rate-limit.md; summarised in
 * ../shared/reference/company-communicator.md §3.2):
 *  - "The global limit per app per tenant is 50 Requests Per Second (RPS)" (also quoted by Microsoft
 *    on Q&A 848444 and 1059876; an older copy of the page said 30). All requests count: sends,
 *    channel enumeration, roster fetches.
 *  - Per bot per thread (a thread is a 1:1 chat, a group chat or a channel), "Send to conversation"
 *    and "Create conversation": 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per 3600 s; "Get conversation
 *    members" and "Get conversations": 14 / 1 s, 16 / 2 s, 120 / 30 s, 3600 / 3600 s. "If the
 *    application sends one bot message to each user, the thread limit does not throttle."
 *  - Not modelled: the per-thread limit across all bots (14 / 1 s, 16 / 2 s for sends; the simulator
 *    serves one bot), and the legacy non-paged GetMembers limit (5 / min), which the page words too
 *    loosely to enforce.
 * The page says the exact values "are subject to change" and publishes no Retry-After value, so the
 * simulator computes one (seconds until the request would fit, rounded up, at least 1) unless a fixed
 * value is configured.
 */

export type RateWindow = { limit: number; seconds: number };

/** Which per-thread scenario of Microsoft's table an operation falls under. */
export type ThreadScenario = 'send' | 'create' | 'members';

export type PerThreadLimits = Record<ThreadScenario, RateWindow[]>;

/** Per app per tenant, all operations. */
export const documentedTenantRps = 50;

/** Per bot per thread, from the table in the rate-limit page. */
export const documentedPerThreadLimits: Readonly<PerThreadLimits> = Object.freeze({
  send: [{ limit: 7, seconds: 1 }, { limit: 8, seconds: 2 }, { limit: 60, seconds: 30 }, { limit: 1800, seconds: 3600 }],
  create: [{ limit: 7, seconds: 1 }, { limit: 8, seconds: 2 }, { limit: 60, seconds: 30 }, { limit: 1800, seconds: 3600 }],
  members: [{ limit: 14, seconds: 1 }, { limit: 16, seconds: 2 }, { limit: 120, seconds: 30 }, { limit: 3600, seconds: 3600 }],
});

/** A limiter answers how long a request arriving at `now` (ms, monotonic) must wait; 0 = it fits. */
export interface Limiter {
  wait(now: number): number;
  take(now: number): void;
}

/**
 * Several sliding windows over one history of accepted requests ("at most `limit` in any `seconds`").
 * O(1) per check: the history is ascending, so a window of limit L is full exactly when the L-th most
 * recent accepted request is still inside it.
 */
export class SlidingWindows implements Limiter {
  private times: number[] = [];
  private readonly windows: Array<{ limit: number; ms: number }>;
  private readonly keep: number;

  constructor(windows: readonly RateWindow[]) {
    this.windows = windows.map((w) => ({ limit: Math.floor(w.limit), ms: w.seconds * 1000 })).filter((w) => w.limit >= 1 && w.ms > 0);
    this.keep = Math.max(1, ...this.windows.map((w) => w.limit));
  }

  wait(now: number): number {
    const t = this.times;
    const n = t.length;
    let wait = 0;
    for (const w of this.windows) {
      if (n < w.limit) continue;
      const free = t[n - w.limit]! + w.ms - now;
      if (free > wait) wait = free;
    }
    return wait;
  }

  take(now: number): void {
    this.times.push(now);
    if (this.times.length > 2 * this.keep + 64) this.times = this.times.slice(this.times.length - this.keep);
  }
}

/** `rate` tokens per second, at most `burst` stored; a request takes one token. */
export class TokenBucket implements Limiter {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
  }

  wait(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.rate;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
}

export type CapAlgorithm = 'sliding-window' | 'token-bucket';

export type TenantCapSettings = {
  /** requests per second per tenant; 0 = no limit. A sliding window allows ⌊cap⌋ per second (one per 1/cap s below 1) */
  capPerTenant: number;
  /** overrides for single tenants */
  perTenant: Map<string, number>;
  algorithm: CapAlgorithm;
  /** token bucket size; defaults to one second's worth */
  burst?: number;
};

/** What stopped a request: the tenant-wide cap or a per-thread window. */
export type LimitHit = { scope: 'tenant' | 'conversation'; waitMs: number };

/**
 * The per-tenant cap plus the per-thread windows. A request is admitted only when it fits both, and
 * only admitted requests count (a 429 costs the caller nothing but time).
 */
export class ConnectorLimits {
  private tenants = new Map<string, Limiter | null>();
  private threads = new Map<string, SlidingWindows>();

  constructor(private caps: TenantCapSettings, private perThread: PerThreadLimits | false) {}

  setCap(capPerTenant: number, tenantId?: string): void {
    if (!Number.isFinite(capPerTenant) || capPerTenant < 0) throw new Error('capPerTenant must be a number ≥ 0 (0 = no limit)');
    if (tenantId === undefined) {
      this.caps.capPerTenant = capPerTenant;
      this.tenants.clear();
    } else {
      this.caps.perTenant.set(tenantId, capPerTenant);
      this.tenants.delete(tenantId);
    }
  }

  setPerThread(perThread: PerThreadLimits | false): void {
    this.perThread = perThread;
    this.threads.clear();
  }

  capOf(tenantId: string): number {
    return this.caps.perTenant.get(tenantId) ?? this.caps.capPerTenant;
  }

  private tenantLimiter(tenantId: string, now: number): Limiter | null {
    let limiter = this.tenants.get(tenantId);
    if (limiter === undefined) {
      const cap = this.capOf(tenantId);
      limiter = cap <= 0 ? null
        : this.caps.algorithm === 'token-bucket' ? new TokenBucket(cap, this.caps.burst ?? Math.max(1, cap), now)
        // below 1 request/s: one request per 1/cap seconds
        : new SlidingWindows([cap >= 1 ? { limit: cap, seconds: 1 } : { limit: 1, seconds: 1 / cap }]);
      this.tenants.set(tenantId, limiter);
    }
    return limiter;
  }

  private threadLimiter(scenario: ThreadScenario, threadId: string): SlidingWindows | null {
    if (!this.perThread) return null;
    const windows = this.perThread[scenario];
    if (!windows?.length) return null;
    const key = `${scenario}\u0000${threadId}`;
    let limiter = this.threads.get(key);
    if (!limiter) {
      limiter = new SlidingWindows(windows);
      this.threads.set(key, limiter);
    }
    return limiter;
  }

  /** Admits (and counts) the request, or says which limit it hit and for how long. */
  admit(tenantId: string, scenario: ThreadScenario, threadId: string, now: number): LimitHit | undefined {
    const tenant = this.tenantLimiter(tenantId, now);
    const thread = this.threadLimiter(scenario, threadId);
    const tenantWait = tenant ? tenant.wait(now) : 0;
    const threadWait = thread ? thread.wait(now) : 0;
    if (tenantWait > 0 || threadWait > 0) {
      return tenantWait >= threadWait ? { scope: 'tenant', waitMs: tenantWait } : { scope: 'conversation', waitMs: threadWait };
    }
    tenant?.take(now);
    thread?.take(now);
    return undefined;
  }

  reset(): void {
    this.tenants.clear();
    this.threads.clear();
  }
}
