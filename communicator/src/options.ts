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
};

export const defaultOptions = {
  sendConcurrency: 16,
  statusCacheMs: 2000,
  finalizeIntervalSeconds: 5,
  pollIntervalMs: 1000,
  graphPageSize: 999,
  sendingGraceMs: 90_000,
  jobRetryBaseSeconds: 5,
  afterSendConcurrency: 8,
  afterSendRetrySeconds: 30,
  retentionIntervalMs: 3600_000,
} as const;
