/** How far ahead of its turn a send job becomes visible on the queue. */
export const releaseAheadSeconds = 2;

/**
 * Seconds each of a message's send jobs (in order, `sizes` = recipients per job) stays hidden on the queue:
 * released about when the tenant's rate would reach it, `aheadSeconds` early, never late.
 *
 * Why: every tenant's jobs share one queue, read first come first served. Enqueued all at once, one large
 * broadcast would fill every worker's slots and the queue ahead of any other tenant's, which would then wait
 * for it to finish even though Teams gives each tenant a rate of its own. Released at the pace its own rate
 * can take them, a message keeps only a few seconds of work ahead on the queue, and another tenant's jobs
 * are reached within seconds. A message whose tenant cannot send faster than its rate loses nothing: jobs
 * come out no slower than its rate empties them. An unlimited rate releases every job at once.
 */
export function sendReleaseDelays(sizes: readonly number[], ratePerSecond: number, aheadSeconds = releaseAheadSeconds): number[] {
  let before = 0;
  return sizes.map((size) => {
    const delay = ratePerSecond > 0 && Number.isFinite(ratePerSecond) ? Math.max(0, Math.floor(before / ratePerSecond - aheadSeconds)) : 0;
    before += size;
    return delay;
  });
}
