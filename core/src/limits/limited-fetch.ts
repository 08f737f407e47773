import { noopLogger, type LoggerLike } from '../jobs/logger.js';
import { parseRetryAfter } from './retry-after.js';
import type { TokenBucketLimiter } from './token-bucket.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type LimitedFetchOptions = {
  /** Requests per call, the first included. */
  maxAttempts?: number;
  /** Wait when a 429/503 carries no usable Retry-After, by attempt (1-based). */
  fallbackDelayMs?: (attempt: number) => number;
  logger?: LoggerLike;
};

const throttled = new Set([429, 503]);

/**
 * A fetch that takes a token for (tenant, api) before each request and, on 429 or 503, pauses
 * that key for Retry-After (so every caller sharing the limiter waits too) and tries again.
 * Returns the last response; a streamed request body cannot be replayed and is sent once.
 */
export function limitedFetch<A extends string>(
  limiter: TokenBucketLimiter<A>,
  tenantId: string,
  api: A,
  fetchFn: FetchLike = fetch,
  { maxAttempts = 5, fallbackDelayMs = (attempt) => Math.min(30_000, 1000 * 2 ** (attempt - 1)), logger = noopLogger }: LimitedFetchOptions = {},
): FetchLike {
  return async (input, init) => {
    const replayable = !(init?.body instanceof ReadableStream);
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(tenantId, api, { signal: init?.signal });
      // Each attempt sends a clone so the original Request's body stays unread for the next one.
      const response = await fetchFn(input instanceof Request ? input.clone() : input, init);
      if (!throttled.has(response.status) || attempt >= maxAttempts || !replayable) return response;
      const seconds = parseRetryAfter(response.headers.get('retry-after'), limiter.now());
      const waitMs = seconds !== undefined ? seconds * 1000 : fallbackDelayMs(attempt);
      limiter.pauseFor(tenantId, api, waitMs);
      logger.warn({ tenantId, api, status: response.status, attempt, waitMs }, 'throttled; paused this tenant and api');
      await response.body?.cancel().catch(() => undefined);
    }
  };
}
