import { HttpError, RetryLater, type JobContext, type TenantScope } from '@teamspro/core';
import type { AdaptiveCardJson } from '@teamspro/templates';
import { classifyConnectorError } from '../bot/connector.js';
import { Counter } from '../domain/counts.js';
import type { MessageRecord } from '../domain/message.js';
import type { Services } from '../services.js';
import { recordOf, type RecipientRecord, type RecipientRow } from '../store/recipient-store.js';
import { isClaimedElsewhere, type CurrentClaim } from '../store/send-claim-store.js';
import { RecipientPreparer } from './recipient-prep.js';
import type { SendJob } from './jobs.js';

export const sendMaxAttempts = 5;
/** Rows sent together: one write claims their sends, one storage transaction records their outcomes. */
const groupSize = 25;
/** How far ahead a group may reserve tokens: sends are claimed at most this long before their call. */
const reserveAheadMs = 100;
/**
 * A group takes its tokens once the first is due within this long (time to prepare and claim it), and with them
 * every token due within reserveAheadMs. Taking them as each came within reserveAheadMs, the jobs waiting
 * together got one token each: a claim and an outcome transaction per call, three times the storage writes.
 */
const reserveLeadMs = 30;
/** Rounds within one delivery of the job before handing the rest back to the queue. */
const inProcessRounds = 4;
const backoffMs = (round: number) => Math.min(8000, 500 * 2 ** (round - 1)) * (0.5 + Math.random() / 2);

type Outcome =
  | { row: RecipientRow; status: 'sent'; activityId?: string; unconfirmed?: boolean; reason?: string }
  | { row: RecipientRow; status: 'failed'; reason: string }
  | { row: RecipientRow; status: 'retry'; reason: string; retryAfterMs?: number }
  /** claimed, then not sent (the tenant was paused meanwhile): back to queued, no retry counted */
  | { row: RecipientRow; status: 'unsent'; retryAfterMs: number };

/**
 * Delivers one message to a chunk of its recipients (up to 100 rows of one shard partition), at most once each:
 *  - a group of rows reserves its rate-limiter tokens first; when the first is due, one conditional write
 *    claims the rows' sends in their shard's claim record (SendClaimStore: 409 if another attempt holds any)
 *    and each Bot Connector call goes out at its token's time, so a crash leaves claimed but unrecorded
 *    only rows whose call was on its way or about to leave;
 *  - a redelivered job that finds such rows (or rows "sending", as a worker before the claims left them)
 *    does not send them again: the earlier attempt may have reached Teams, so they are recorded
 *    sent-unconfirmed (a missed card is less harmful than a duplicate in everyone's chat, and the report
 *    says which ones are unconfirmed);
 *  - one transaction records the group's outcomes together with `counted`, then one counter write adds
 *    them: progress is incremental, never a rescan;
 *  - 429 pauses the tenant's Bot Connector rate (shared by every worker process) for Retry-After; 5xx
 *    and 412 retry with backoff; other 4xx fail for good with the reason; on the job's last attempt a
 *    retryable failure becomes a failure too, so no recipient is left queued or dropped silently.
 */
export class SendWorker {
  private readonly prep: RecipientPreparer;

  constructor(private readonly s: Services) {
    this.prep = new RecipientPreparer(s);
  }

  readonly handle = async (job: SendJob, ctx: JobContext): Promise<void> => {
    // while none of this process's jobs is left for the tenant, its peers may have the whole rate
    const release = this.s.limiter.hold(job.tenantId, 'bot-connector');
    try {
      await this.send(job, ctx);
    } finally {
      release();
    }
  };

  private async send(job: SendJob, ctx: JobContext): Promise<void> {
    const scope = { tenantId: job.tenantId };
    if (!(await this.stillSending(scope, job.messageId))) return;
    const message = await this.s.messageContent(scope, job.messageId);
    if (!message) return;
    const rows = await this.s.recipients.getMany(scope, job.messageId, job.keys);

    await this.countFinished(scope, job.messageId, rows.filter((r) => isFinal(r) && !r.counted));
    // a first delivery need not look for claims: should another attempt hold one, claiming answers 409 and the
    // next delivery (attempt 2) looks
    const claims = ctx.attempt > 1 ? await this.s.sendClaims.current(scope, rows.filter((r) => r.status === 'queued')) : new Map<string, CurrentClaim>();
    const inFlight = rows.filter((r) => r.status === 'sending' || (r.status === 'queued' && claims.has(r.rowKey)));
    if (inFlight.length > 0) {
      const since = (r: RecipientRow) => { const at = claims.get(r.rowKey)?.shardClaimedAt ?? r.updatedAt; return at ? Date.parse(at) : 0; };
      const youngest = Math.max(...inFlight.map(since));
      const graceMs = this.s.options.sendingGraceMs;
      // another worker may still be in the middle of these very calls: give it time before judging
      if (Date.now() - youngest < graceMs && ctx.attempt < sendMaxAttempts) throw new RetryLater(Math.ceil((graceMs - (Date.now() - youngest)) / 1000) + 1, 'another attempt may be in flight');
      await this.record(scope, job.messageId, inFlight.map((row) => {
        const locale = claims.get(row.rowKey)?.locale;
        return { row: locale ? { ...row, locale } : row, status: 'sent' as const, unconfirmed: true, reason: 'a worker stopped during the send; not sent again to avoid a duplicate' };
      }));
    }

    let pending = rows.filter((r) => r.status === 'queued' && !claims.has(r.rowKey));
    for (let round = 1; pending.length > 0; round++) {
      const retry: RecipientRow[] = [];
      let throttled = false;
      let waitMs = 0;
      for (let left = pending; left.length > 0;) {
        if (!(await this.stillSending(scope, job.messageId))) return;
        const { outcomes, rest } = await this.sendGroup(scope, job.messageId, message, left);
        left = rest;
        const again = outcomes.filter((o): o is Extract<Outcome, { status: 'retry' | 'unsent' }> => o.status === 'retry' || o.status === 'unsent');
        const lastChance = round >= inProcessRounds && ctx.attempt >= sendMaxAttempts;
        const written = await this.record(scope, job.messageId, outcomes.map((o) => {
          if (!lastChance) return o;
          if (o.status === 'retry') return { row: o.row, status: 'failed' as const, reason: `gave up after ${o.row.retries + 1} retries: ${o.reason}` };
          if (o.status === 'unsent') return { row: o.row, status: 'failed' as const, reason: `gave up: Teams kept the tenant throttled through the last attempt` };
          return o;
        }));
        if (lastChance) continue;
        for (const o of again) {
          const row = written.get(o.row.rowKey);
          if (row) retry.push(row);
          if (o.retryAfterMs !== undefined) {
            // a throttle: the tenant's rate (shared by every process) was paused where the 429 was read. Not again
            // here: pausing after the write would stretch the pause, and each group handed back during it ("unsent")
            // would stretch it once more, a pause that never ends while groups keep meeting it
            throttled = true;
            waitMs = Math.max(waitMs, o.retryAfterMs);
          } else {
            waitMs = Math.max(waitMs, backoffMs(round));
          }
        }
      }
      pending = retry;
      if (pending.length === 0) return;
      if (round >= inProcessRounds) throw new RetryLater(Math.ceil(waitMs / 1000) + 1, `${pending.length} recipients to retry`);
      // a throttle waits in the limiter (paused for every process); other failures back off here
      if (!throttled) await sleep(waitMs);
    }
  }

  /**
   * As many rows as tokens are due within reserveAheadMs (at least one, at most groupSize), one transaction
   * claiming their sends, then each call at its token's time. Returns the outcomes and the rows left for the next group.
   */
  private async sendGroup(scope: TenantScope, messageId: string, message: MessageRecord, candidates: RecipientRow[]): Promise<{ outcomes: Outcome[]; rest: RecipientRow[] }> {
    const outcomes: Outcome[] = [];
    // tokens first: those due within reserveAheadMs (a group at most), each with the time its call may go out,
    // so a slow rate makes small groups (a cancel stops it between them) and calls leave spaced as the rate allows
    const due = await this.s.limiter.reserve(scope.tenantId, 'bot-connector', Math.min(groupSize, candidates.length), reserveAheadMs, { leadMs: reserveLeadMs });
    const ready: Array<{ row: RecipientRow; card: AdaptiveCardJson; locale: string; teamsUserId?: string; refreshUserIds: string[]; at: number }> = [];
    let next = 0;
    while (next < candidates.length && ready.length < due.length) {
      const p = await this.prep.prepare(scope, messageId, message, candidates[next++]!);
      if (p.kind === 'ready') {
        ready.push({ ...p, at: due[ready.length]! });
      } else if (p.kind === 'failed') outcomes.push({ row: p.row, status: 'failed', reason: p.reason });
      else outcomes.push({ row: p.row, status: 'retry', reason: p.reason, retryAfterMs: p.retryAfterMs });
    }
    const rest = candidates.slice(next);
    if (ready.length === 0) return { outcomes, rest };
    // sends are claimed only when their first call is due: a crash then leaves in doubt only calls about to leave
    const untilFirst = ready[0]!.at - Date.now();
    if (untilFirst > 0) await sleep(untilFirst);
    // tokens taken before a 429 reached this process (or a peer) do not outrank its Retry-After
    for (let wait = this.s.limiter.pausedFor(scope.tenantId, 'bot-connector'); wait > 0; wait = this.s.limiter.pausedFor(scope.tenantId, 'bot-connector')) await sleep(wait);
    // a cancel seen after the tokens stops the send before anything is claimed
    if (!(await this.stillSending(scope, messageId))) return { outcomes, rest: [] };

    try {
      await this.s.sendClaims.claim(scope, ready.map((r) => ({ row: r.row, locale: r.locale })));
    } catch (err) {
      // another delivery of this job (or a duplicate job) claimed one of these sends: the next delivery sorts it out
      if (isClaimedElsewhere(err)) throw new RetryLater(2, 'another attempt claimed these recipients');
      throw err;
    }
    // what the row is sent with, recorded with its outcome; a channel post's members are kept so the card
    // answered to a card action lists the same people
    const markedRow = ({ row, locale, teamsUserId, refreshUserIds }: (typeof ready)[number]): RecipientRow => ({
      ...row, locale, ...(teamsUserId ? { teamsUserId } : {}), ...(row.kind === 'channel' ? { refreshUserIds } : {}),
    });
    // a 429 read while the sends were being claimed: hand them back unsent rather than call during its Retry-After
    const pausedMs = this.s.limiter.pausedFor(scope.tenantId, 'bot-connector');
    if (pausedMs > 0) {
      const unsent = ready.map((r) => ({ row: markedRow(r), status: 'unsent' as const, retryAfterMs: pausedMs }));
      return { outcomes: [...outcomes, ...unsent], rest };
    }
    const sent = await Promise.all(ready.map(async (r): Promise<Outcome> => {
      const { row, card, locale } = r;
      const marked = markedRow(r);
      // at its token's time, not whenever the group's transaction finished (that varies with storage load and
      // would bunch the calls of several groups into one second, over the cap)
      const wait = r.at - Date.now();
      if (wait > 0) await sleep(wait);
      try {
        const activityId = await this.s.connector.sendCard(row.serviceUrl!, row.conversationId!, card, summaryOf(message, locale), async () => {
          // paced again as it leaves (a second bucket of the same rate), however late the transaction made it, and
          // only once connected: the time a new connection takes would otherwise bunch it with later calls
          const written = await this.s.limiter.beforeRequest(scope.tenantId, 'bot-connector');
          // a 429 read meanwhile (here or by a peer): this one goes back unsent instead of calling during its Retry-After
          const pausedMs = this.s.limiter.pausedFor(scope.tenantId, 'bot-connector');
          if (pausedMs > 0) throw new HandedBack(pausedMs);
          return written;
        });
        return { row: marked, status: 'sent', activityId };
      } catch (err) {
        if (err instanceof HandedBack) return { row: marked, status: 'unsent', retryAfterMs: err.retryAfterMs };
        const failure = classifyConnectorError(err);
        if (failure.kind === 'ambiguous') return { row: marked, status: 'sent', unconfirmed: true, reason: failure.reason };
        if (failure.kind === 'permanent') return { row: marked, status: 'failed', reason: failure.reason };
        if (failure.kind !== 'throttled') return { row: marked, status: 'retry', reason: failure.reason };
        // pause the tenant at once, before this outcome is even written: other groups must not send meanwhile
        const retryAfterMs = (failure.retryAfterSeconds ?? 5) * 1000;
        this.s.limiter.pauseFor(scope.tenantId, 'bot-connector', retryAfterMs);
        return { row: marked, status: 'retry', reason: failure.reason, retryAfterMs };
      }
    }));
    return { outcomes: [...outcomes, ...sent], rest };
  }

  /**
   * Writes outcomes: final rows get `counted` in the same transaction, then the counters get the
   * group's sums once. Returns the rows as written (for another round).
   */
  private async record(scope: TenantScope, messageId: string, outcomes: Outcome[]): Promise<Map<string, RecipientRow>> {
    if (outcomes.length === 0) return new Map();
    const now = new Date().toISOString();
    const updates = outcomes.map((o) => ({ row: o.row, data: nextRecord(o, now) }));
    const written = new Map<string, RecipientRow>();
    let etags: Map<string, string> | undefined;
    try {
      etags = await this.s.recipients.batchUpdate(scope, updates);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 412)) throw err;
    }
    const counted: RecipientRecord[] = [];
    if (etags) {
      for (const u of updates) {
        written.set(u.row.rowKey, { ...u.data, partition: u.row.partition, rowKey: u.row.rowKey, etag: etags.get(u.row.rowKey) ?? u.row.etag });
        if (u.data.counted) counted.push(u.data);
      }
    } else {
      // a row changed meanwhile (e.g. Teams already refreshed the card and it was marked read): apply each outcome onto the current row
      for (const u of updates) {
        let countedHere = false;
        const row = await this.s.recipients.mutateRow(scope, u.row, (current) => {
          if (!current || current.counted) return undefined;
          countedHere = !!u.data.counted;
          return { ...recordOf(current), ...outcomeFields(u.data), readAt: current.readAt, clicks: current.clicks };
        });
        if (row) written.set(row.rowKey, row);
        if (row && countedHere) counted.push(u.data);
      }
    }
    if (counted.length > 0) {
      await this.s.counters.add(scope, messageId, outcomes[0]!.row.rowKey, {
        [Counter.sent]: counted.filter((r) => r.status === 'sent').length,
        [Counter.failed]: counted.filter((r) => r.status === 'failed').length,
        [Counter.retried]: counted.filter((r) => r.retries > 0).length,
      });
    }
    return written;
  }

  /** Final rows a crashed worker wrote but never counted. */
  private async countFinished(scope: TenantScope, messageId: string, rows: RecipientRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.record(scope, messageId, rows.map((row) => row.status === 'sent'
      ? { row, status: 'sent' as const, activityId: row.activityId, unconfirmed: row.unconfirmed, reason: row.failureReason }
      : { row, status: 'failed' as const, reason: row.failureReason ?? 'failed' }));
  }

  private async stillSending(scope: TenantScope, messageId: string): Promise<boolean> {
    const status = await this.s.statusCache.status(scope, messageId);
    return status === 'sending' || status === 'resolving';
  }
}

function nextRecord(o: Outcome, now: string): RecipientRecord {
  const base = { ...recordOf(o.row), attemptId: undefined };
  // handed back to the queue: its next send takes a new claim
  const claimSeq = (o.row.claimSeq ?? 0) + 1;
  if (o.status === 'retry') return { ...base, status: 'queued', retries: o.row.retries + 1, failureReason: o.reason, counted: false, claimSeq };
  if (o.status === 'unsent') return { ...base, status: 'queued', counted: false, claimSeq };
  if (o.status === 'failed') return { ...base, status: 'failed', failureReason: o.reason, counted: true };
  const next: RecipientRecord = { ...base, status: 'sent', sentAt: o.row.sentAt ?? now, counted: true, ...(o.activityId ? { activityId: o.activityId } : {}), ...(o.unconfirmed ? { unconfirmed: true } : {}) };
  if (o.unconfirmed && o.reason) next.failureReason = o.reason;
  else delete next.failureReason;
  return next;
}

function outcomeFields(r: RecipientRecord): Partial<RecipientRecord> {
  return {
    status: r.status, attemptId: undefined, activityId: r.activityId, sentAt: r.sentAt, failureReason: r.failureReason, unconfirmed: r.unconfirmed, retries: r.retries,
    counted: r.counted, locale: r.locale, teamsUserId: r.teamsUserId, refreshUserIds: r.refreshUserIds, claimSeq: r.claimSeq,
  };
}

/** A call abandoned before anything was written: the tenant is paused for retryAfterMs. */
class HandedBack extends Error {
  constructor(readonly retryAfterMs: number) { super('handed back unsent: the tenant is paused'); }
}

const isFinal = (r: { status: string }) => r.status === 'sent' || r.status === 'failed';

function summaryOf(message: MessageRecord, locale: string): string {
  const variant = message.variants.find((v) => v.locale === locale) ?? message.variants[0];
  return (variant?.summary || variant?.title || '').slice(0, 200);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
