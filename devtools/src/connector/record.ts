/** What the simulator records, and the report that checks a run for duplicates and gaps. */

export type ConnectorOp = 'createConversation' | 'sendActivity' | 'updateActivity' | 'deleteActivity' | 'getMembers' | 'getTeam';

/** An activity the simulator accepted into a conversation (a send, or the initial activity of a create). */
export type Delivery = {
  /** 1, 2, 3, … in arrival order; `deliveriesSince(seq)` pages on it */
  seq: number;
  /** epoch ms when it was accepted */
  at: number;
  tenantId: string;
  conversationId: string;
  /** the 1:1 chat's user (the id the conversation was created with); the conversation id for channels and group chats */
  recipientId: string;
  /** the user's AAD object id when the roster knows it */
  recipientAadId?: string;
  /** what identifies the message: the `x-message-id` header, else the first `"messageId"` in the activity (the broadcast card's action data) */
  messageId?: string;
  /** messageId, or a hash of the activity body when there is none: what duplicates are counted on */
  contentKey: string;
  activityId: string;
  activityType: string;
  replyToId?: string;
  /**
   * What the client heard: 'ok', 'dropped' (the socket was destroyed after the delivery was recorded:
   * delivered, but the client never heard), or the 5xx it was given after delivery.
   */
  answered: 'ok' | 'dropped' | number;
  /** the parsed activity, when the simulator was started with `keepActivities` */
  activity?: Record<string, unknown>;
};

export type ThrottleRecord = {
  at: number;
  tenantId: string;
  conversationId?: string;
  op: ConnectorOp;
  scope: 'tenant' | 'conversation';
  retryAfterSeconds: number;
};

export type EarlyRetry = {
  at: number;
  tenantId: string;
  op: ConnectorOp;
  conversationId?: string;
  messageId?: string;
  /** how long before its Retry-After expired the request came back */
  earlyByMs: number;
};

/** A request the simulator failed on purpose or noticed misbehaving (counted in reports from `startedAt` on). */
export type FaultEvent = { at: number; tenantId: string; op: ConnectorOp; kind: 'serverError' | 'dropped' | 'forbidden' | 'duringBackoff' | 'slowed' };

export type EditRecord = { at: number; kind: 'update' | 'delete'; tenantId: string; conversationId: string; activityId: string; messageId?: string };

export type TenantCounters = {
  requests: number;
  /** accepted activities (every one, duplicates included) */
  delivered: number;
  conversationsCreated: number;
  throttled: number;
  throttledByScope: { tenant: number; conversation: number };
  /** the same request (same operation on the same conversation and message) sent again before the Retry-After it was given expired */
  earlyRetries: number;
  /** any request of the tenant that arrived while a tenant-wide Retry-After it had been given was running */
  duringBackoff: number;
  serverErrors: number;
  dropped: number;
  forbidden: number;
};

export function emptyTenantCounters(): TenantCounters {
  return { requests: 0, delivered: 0, conversationsCreated: 0, throttled: 0, throttledByScope: { tenant: 0, conversation: 0 }, earlyRetries: 0, duringBackoff: 0, serverErrors: 0, dropped: 0, forbidden: 0 };
}

export type ReportOptions = {
  /** recipients that should have received the message, per tenant (the ids conversations were created with, or AAD object ids) */
  expected?: Record<string, readonly string[]>;
  /** epoch ms the run started; latencies are measured from it, and only deliveries from it on count */
  startedAt?: number;
  /** only deliveries of this message */
  messageId?: string;
  /** how many duplicate / missing entries to list (counts are always complete); default 100 */
  listLimit?: number;
};

export type DuplicateDelivery = { tenantId: string; conversationId: string; recipientId: string; messageId?: string; count: number; activityIds: string[] };

export type ConnectorReport = {
  /** no duplicates and nothing missing */
  ok: boolean;
  /** distinct (message, conversation) pairs delivered */
  delivered: number;
  /** every accepted activity, duplicates included */
  deliveries: number;
  duplicateCount: number;
  duplicates: DuplicateDelivery[];
  missingCount: number;
  missing: Array<{ tenantId: string; recipientId: string }>;
  /** deliveries to recipients not in `expected` (0 when `expected` is not given) */
  unexpected: number;
  /** delivered, but the client was told otherwise (dropped connection or 5xx after delivery) */
  unacknowledged: number;
  throttled: number;
  earlyRetries: number;
  duringBackoff: number;
  serverErrors: number;
  dropped: number;
  /** ms from `startedAt` (or the first delivery) to each pair's first delivery */
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  /** distinct deliveries per second, from `startedAt` (or the first delivery) to the last delivery */
  ratePerSecond: number;
  firstAt?: number;
  lastAt?: number;
  perTenant: Record<string, {
    delivered: number; duplicates: number; missing: number; throttled: number; earlyRetries: number; duringBackoff: number;
    /** most deliveries accepted within any one-second bucket (epoch-second) */
    peakPerSecond: number;
  }>;
};

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export type RecordsView = {
  deliveries: readonly Delivery[];
  throttles: readonly ThrottleRecord[];
  earlyRetries: readonly EarlyRetry[];
  faults: readonly FaultEvent[];
};

export function buildReport(records: RecordsView, opts: ReportOptions = {}): ConnectorReport {
  const since = opts.startedAt ?? -Infinity;
  const listLimit = opts.listLimit ?? 100;
  const selected = records.deliveries.filter((d) => d.at >= since && (opts.messageId === undefined || d.messageId === opts.messageId));

  type Pair = { first: Delivery; count: number; activityIds: string[] };
  const pairs = new Map<string, Pair>();
  const delivered = new Map<string, Set<string>>(); // tenant → recipient ids and aad ids reached
  const peak = new Map<string, Map<number, number>>();
  let unacknowledged = 0;
  for (const d of selected) {
    if (d.answered !== 'ok') unacknowledged += 1;
    const key = `${d.conversationId}\u0000${d.contentKey}`;
    const pair = pairs.get(key);
    if (pair) { pair.count += 1; pair.activityIds.push(d.activityId); }
    else pairs.set(key, { first: d, count: 1, activityIds: [d.activityId] });
    let reached = delivered.get(d.tenantId);
    if (!reached) delivered.set(d.tenantId, (reached = new Set()));
    reached.add(d.recipientId);
    if (d.recipientAadId) reached.add(d.recipientAadId);
    let buckets = peak.get(d.tenantId);
    if (!buckets) peak.set(d.tenantId, (buckets = new Map()));
    const second = Math.floor(d.at / 1000);
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
  }

  const perTenant: ConnectorReport['perTenant'] = {};
  const tenantRow = (tenantId: string) => (perTenant[tenantId] ??= { delivered: 0, duplicates: 0, missing: 0, throttled: 0, earlyRetries: 0, duringBackoff: 0, peakPerSecond: 0 });

  const duplicates: DuplicateDelivery[] = [];
  let duplicateCount = 0;
  const firstTimes: number[] = [];
  for (const { first, count, activityIds } of pairs.values()) {
    tenantRow(first.tenantId).delivered += 1;
    firstTimes.push(first.at);
    if (count > 1) {
      duplicateCount += 1;
      tenantRow(first.tenantId).duplicates += 1;
      if (duplicates.length < listLimit) duplicates.push({ tenantId: first.tenantId, conversationId: first.conversationId, recipientId: first.recipientId, messageId: first.messageId, count, activityIds });
    }
  }

  const missing: ConnectorReport['missing'] = [];
  let missingCount = 0;
  let unexpected = 0;
  if (opts.expected) {
    const expectedSets = new Map<string, Set<string>>();
    for (const [tenantId, ids] of Object.entries(opts.expected)) {
      expectedSets.set(tenantId, new Set(ids));
      const reached = delivered.get(tenantId);
      for (const id of ids) {
        if (reached?.has(id)) continue;
        missingCount += 1;
        tenantRow(tenantId).missing += 1;
        if (missing.length < listLimit) missing.push({ tenantId, recipientId: id });
      }
    }
    for (const { first } of pairs.values()) {
      const wanted = expectedSets.get(first.tenantId);
      if (!wanted || !(wanted.has(first.recipientId) || (first.recipientAadId !== undefined && wanted.has(first.recipientAadId)))) unexpected += 1;
    }
  }

  for (const [tenantId, buckets] of peak) tenantRow(tenantId).peakPerSecond = Math.max(...buckets.values());

  let throttled = 0;
  for (const t of records.throttles) {
    if (t.at < since) continue;
    throttled += 1;
    tenantRow(t.tenantId).throttled += 1;
  }
  let earlyRetries = 0;
  for (const e of records.earlyRetries) {
    if (e.at < since || (opts.messageId !== undefined && e.messageId !== undefined && e.messageId !== opts.messageId)) continue;
    earlyRetries += 1;
    tenantRow(e.tenantId).earlyRetries += 1;
  }
  let duringBackoff = 0, serverErrors = 0, dropped = 0;
  for (const f of records.faults) {
    if (f.at < since) continue;
    if (f.kind === 'serverError') serverErrors += 1;
    else if (f.kind === 'dropped') dropped += 1;
    else if (f.kind === 'duringBackoff') { duringBackoff += 1; tenantRow(f.tenantId).duringBackoff += 1; }
  }

  firstTimes.sort((a, b) => a - b);
  const origin = opts.startedAt ?? firstTimes[0];
  const lastAt = firstTimes.length ? firstTimes[firstTimes.length - 1] : undefined;
  let latencyMs: ConnectorReport['latencyMs'] = null;
  let ratePerSecond = 0;
  if (origin !== undefined && lastAt !== undefined) {
    const latencies = firstTimes.map((t) => t - origin); // already ascending
    latencyMs = { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]! };
    const spanMs = lastAt - origin;
    ratePerSecond = spanMs > 0 ? (pairs.size * 1000) / spanMs : pairs.size;
  }

  return {
    ok: duplicateCount === 0 && missingCount === 0,
    delivered: pairs.size,
    deliveries: selected.length,
    duplicateCount,
    duplicates,
    missingCount,
    missing,
    unexpected,
    unacknowledged,
    throttled,
    earlyRetries,
    duringBackoff,
    serverErrors,
    dropped,
    latencyMs,
    ratePerSecond,
    ...(firstTimes.length ? { firstAt: firstTimes[0], lastAt } : {}),
    perTenant,
  };
}
