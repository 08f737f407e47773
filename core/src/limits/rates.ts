/**
 * A bucket refilled at `ratePerSecond` holding at most `burst` tokens; `window`, when set, also holds
 * requests as they leave to at most `limit` in any `ms` (see TokenBucketLimiter.beforeRequest).
 */
export type BucketRate = { ratePerSecond: number; burst: number; window?: { limit: number; ms: number } };

/**
 * A documented "N requests per W seconds" limit. A bucket lets through at most burst + rate·W
 * in any W seconds, so it becomes burst = N/W (one second's share unless given) and
 * rate = (N − burst)/W: never more than N in any window.
 */
export type WindowRate = { perWindow: number; windowSeconds: number; burst?: number };

export type RateLimit = BucketRate | WindowRate;

export function toBucketRate(limit: RateLimit): BucketRate {
  if ('ratePerSecond' in limit) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1)) throw new RangeError('a rate limit needs ratePerSecond > 0 and burst >= 1');
    return limit;
  }
  const burst = limit.burst ?? Math.max(1, Math.floor(limit.perWindow / limit.windowSeconds));
  if (!(limit.windowSeconds > 0) || !(burst >= 1) || !(limit.perWindow > burst)) {
    throw new RangeError('a window limit needs windowSeconds > 0 and perWindow > burst >= 1');
  }
  return { ratePerSecond: (limit.perWindow - burst) / limit.windowSeconds, burst };
}

/**
 * Per app per tenant limits Microsoft documents (values "subject to change"):
 * - bot-connector: "The global limit per app per tenant is 50 Requests Per Second (RPS)",
 *   https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 *   (per-thread limits, e.g. 7 sends/s to one conversation, are not covered here).
 * - graph-presence: "1500 requests in a 30 second period, per application per tenant",
 *   https://learn.microsoft.com/graph/throttling-limits#cloud-communication-service-limits
 * - activity-feed: POST …/sendActivityNotification 5 rps; activity-feed-recipients:
 *   POST /teamwork/sendActivityNotificationToRecipients 2 rps; graph-chat-message: POST 1:1/group
 *   chat message 20 rps; graph-channel-message: POST channel message 50 rps; graph: "Other API calls
 *   for Microsoft Teams" 30 rps, https://learn.microsoft.com/graph/throttling-limits#microsoft-teams-service-limits
 *   (Graph's only global figure, 130,000 requests / 10 s, is per app across all tenants).
 */
export const teamsRateLimits = {
  'bot-connector': { ratePerSecond: 50, burst: 50 },
  'graph-presence': { perWindow: 1500, windowSeconds: 30 },
  'activity-feed': { ratePerSecond: 5, burst: 5 },
  'activity-feed-recipients': { ratePerSecond: 2, burst: 2 },
  'graph-chat-message': { ratePerSecond: 20, burst: 20 },
  'graph-channel-message': { ratePerSecond: 50, burst: 50 },
  graph: { ratePerSecond: 30, burst: 30 },
} as const satisfies Record<string, RateLimit>;

export type TeamsApi = keyof typeof teamsRateLimits;

/** Arrival jitter a cap is sent with room for: requests that leave spaced reach the service a little bunched. */
export const capJitterMs = 20;

/**
 * A rate that never lets more than `requestsPerSecond` reach a service in any one-second window (what a
 * service enforcing "N requests per second" with a sliding window accepts), though requests arrive up
 * to capJitterMs later than they left relative to each other (a busy event loop or a descheduled process on
 * either side); one window over the cap costs a whole Retry-After:
 *  - as they leave, at most 99% of the cap in any 1 s + capJitterMs: whatever the bunching, no arriving
 *    second holds more, and 1% is left for a larger jitter;
 *  - a small burst (10 ms of the cap) and a steady rate within that: 98% of the cap minus the burst.
 *    A burst equal to the rate would allow twice the cap in the first second.
 */
export function capRate(requestsPerSecond: number): BucketRate {
  if (!(requestsPerSecond >= 2)) throw new RangeError('a cap needs at least 2 requests per second');
  const burst = Math.max(1, Math.floor(requestsPerSecond / 100));
  return { ratePerSecond: requestsPerSecond * 0.98 - burst, burst, window: { limit: Math.floor(requestsPerSecond * 0.99), ms: 1000 + capJitterMs } };
}

/** What a sender needs of a limiter: wait for a token; stop everyone for a Retry-After. */
export type RateLimiter<A extends string> = {
  acquire(tenantId: string, api: A, options?: { signal?: AbortSignal | null }): Promise<void>;
  /** a token only if one is free now */
  tryAcquire(tenantId: string, api: A): boolean;
  pauseFor(tenantId: string, api: A, retryAfterMs: number): void;
  /** milliseconds left of a Retry-After pause (0 when none) */
  pausedFor(tenantId: string, api: A): number;
};
