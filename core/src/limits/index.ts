export { TokenBucketLimiter, type TokenBucketLimiterOptions, type AcquireOptions, type ReserveOptions, type WindowHandover, type Written } from './token-bucket.js';
export { teamsRateLimits, toBucketRate, capRate, capJitterMs, type RateLimiter, type RateLimit, type BucketRate, type WindowRate, type TeamsApi } from './rates.js';
export { parseRetryAfter } from './retry-after.js';
export { limitedFetch, type FetchLike, type LimitedFetchOptions } from './limited-fetch.js';
export { SharedRateLimiter, shareOf, windowHandover, reservedBy, type SharedRateLimiterOptions, type Residual } from './shared-rate.js';
