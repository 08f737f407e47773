/** Seconds to wait before the next attempt, given the attempt that just failed (1-based). */
export type Backoff = (attempt: number) => number;

export type ExponentialBackoffOptions = {
  baseSeconds?: number;
  maxSeconds?: number;
  /** Spreads retries over [ceiling/2, ceiling] so jobs that failed together do not retry together. */
  jitter?: boolean;
  random?: () => number;
};

export function exponentialBackoff({ baseSeconds = 5, maxSeconds = 300, jitter = true, random = Math.random }: ExponentialBackoffOptions = {}): Backoff {
  return (attempt) => {
    const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
    return jitter ? ceiling / 2 + (random() * ceiling) / 2 : ceiling;
  };
}
