export { JobQueue, type EnqueueOptions, type JobQueueOptions, type PoisonedJob, type PoisonRecord } from './queue.js';
export { JobRunner, type JobContext, type JobHandler, type FairShare, type JobRunnerOptions, type PoisonedHandler, type PoisonedJobInfo } from './runner.js';
export { RetryLater } from './retry-later.js';
export { exponentialBackoff, type Backoff, type ExponentialBackoffOptions } from './backoff.js';
export { encodeMessage, decodeMessage, maxMessageBytes } from './codec.js';
export type { LoggerLike, LogFn } from './logger.js';
