import type { BucketRate } from '@teamspro/core';

/** Knobs of the communicator app; production uses the defaults, tests turn some down. */
export type CommunicatorOptions = {
  /** HMAC key for click-tracking links; defaults to env CLICK_SIGNING_KEY (required in production). */
  clickSigningKey?: string;
  /** Per-tenant Bot Connector budget; defaults to Teams' 50 requests/s per app per tenant. */
  botConnectorRate?: BucketRate;
  /** Send jobs one process runs at once. */
  sendConcurrency?: number;
  /** How long a worker trusts a message status it read (cancel takes effect within this). */
  statusCacheMs?: number;
  /** How often a sending message is checked for completion. */
  finalizeIntervalSeconds?: number;
  /** Queue poll interval while idle. */
  pollIntervalMs?: number;
  /** $top for Graph group member pages (Graph allows up to 999). */
  graphPageSize?: number;
  /** Members per Bot Connector roster page when a team's members are resolved (Teams allows 50–500). */
  rosterPageSize?: number;
  /** A "sending" mark younger than this may belong to a live attempt on another worker. */
  sendingGraceMs?: number;
  /** First wait before a failed send or pipeline job runs again (doubling each attempt until it gives up). */
  jobRetryBaseSeconds?: number;
  /** Recipients one edit or recall job works on at once (all through the tenant's Bot Connector bucket). */
  afterSendConcurrency?: number;
  /** After its recipients' quick retries, how long an edit or recall job waits before trying the remaining ones again. */
  afterSendRetrySeconds?: number;
  /** How often the retention sweep runs (every tenant with retentionDays > 0); tests use seconds. */
  retentionIntervalMs?: number;
  /** How long a send job stays invisible to other workers while one works on it (renewed while it runs). */
  sendVisibilitySeconds?: number;
  /** The same for resolve/finalize jobs: after a worker dies, its finalize check comes back after this. */
  pipelineVisibilitySeconds?: number;
};

export const defaultOptions = {
  sendConcurrency: 16,
  statusCacheMs: 2000,
  finalizeIntervalSeconds: 5,
  pollIntervalMs: 1000,
  graphPageSize: 999,
  rosterPageSize: 500,
  sendingGraceMs: 90_000,
  jobRetryBaseSeconds: 5,
  afterSendConcurrency: 8,
  afterSendRetrySeconds: 30,
  retentionIntervalMs: 3600_000,
  sendVisibilitySeconds: 30,
  pipelineVisibilitySeconds: 30,
} as const;

/**
 * The knobs a separate worker process (worker.ts) or a benchmark sets through its environment:
 * CC_SEND_CONCURRENCY, CC_SENDING_GRACE_MS, CC_SEND_VISIBILITY_SECONDS, CC_PIPELINE_VISIBILITY_SECONDS, CC_POLL_INTERVAL_MS,
 * CC_FINALIZE_INTERVAL_SECONDS, CC_JOB_RETRY_BASE_SECONDS. Unset or invalid ones keep their default.
 */
export function optionsFromEnv(env: Record<string, string | undefined> = process.env): CommunicatorOptions {
  const out: CommunicatorOptions = {};
  const read = (name: string, set: (n: number) => void) => {
    const n = Number(env[name]);
    if (env[name] !== undefined && env[name] !== '' && Number.isFinite(n) && n >= 0) set(n);
  };
  read('CC_SEND_CONCURRENCY', (n) => { if (n >= 1) out.sendConcurrency = Math.floor(n); });
  read('CC_SENDING_GRACE_MS', (n) => { out.sendingGraceMs = n; });
  read('CC_SEND_VISIBILITY_SECONDS', (n) => { if (n >= 1) out.sendVisibilitySeconds = Math.floor(n); });
  read('CC_PIPELINE_VISIBILITY_SECONDS', (n) => { if (n >= 1) out.pipelineVisibilitySeconds = Math.floor(n); });
  read('CC_POLL_INTERVAL_MS', (n) => { if (n >= 10) out.pollIntervalMs = n; });
  read('CC_FINALIZE_INTERVAL_SECONDS', (n) => { if (n >= 1) out.finalizeIntervalSeconds = Math.floor(n); });
  read('CC_JOB_RETRY_BASE_SECONDS', (n) => { if (n >= 1) out.jobRetryBaseSeconds = Math.floor(n); });
  return out;
}
