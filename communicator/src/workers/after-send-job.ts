import { randomUUID } from 'node:crypto';
import { RetryLater, type JobContext, type PoisonedJobInfo, type TenantScope } from '@teamspro/core';
import { classifyConnectorError, type ConnectorFailure } from '../bot/connector.js';
import { cardFor } from '../domain/card.js';
import { answerOf } from '../domain/interactions.js';
import { recipientKeys } from '../domain/keys.js';
import type { AfterSendRecord, MessageRecord } from '../domain/message.js';
import { mapLimit } from '../domain/parallel.js';
import type { Services } from '../services.js';
import type { FeedbackRow } from '../store/feedback-store.js';
import type { MessageRow } from '../store/message-store.js';
import { recordOf, type RecipientAfterSend, type RecipientRow } from '../store/recipient-store.js';
import type { AfterSendJob } from './jobs.js';

/** Tries per recipient within one delivery of the job (a 429 waits its Retry-After in the limiter). */
const inProcessTries = 4;
const backoffMs = (attempt: number) => Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
/** Deliveries of the job; on the last one, recipients still failing retryably are recorded as failed. */
export const afterSendMaxAttempts = 5;
const progressEveryMs = 1000;

type Outcome = 'done' | 'failed' | 'retry' | 'skipped';

const isFinal = (a: RecipientAfterSend | undefined, op: string) => a?.op === op && (a.state === 'done' || a.state === 'failed');

/**
 * Edits (PUT) or recalls (DELETE) the card of every recipient a message reached, through the tenant's
 * Bot Connector bucket, as one job per operation:
 *  - each recipient row records its part (`after`: op, state), so a redelivered job skips finished ones
 *    and a second copy of the job running at once skips rows the first has claimed (ETag-conditional claim);
 *  - 429 pauses the tenant's bucket for Retry-After, 5xx backs off and retries, 404 (the card is gone
 *    already) counts as done, other 4xx fail with the reason; what is still failing after a few quick
 *    tries is tried again on the job's next delivery, and recorded as failed on its last;
 *  - progress goes to message.afterSend about every second; a later edit or recall supersedes this one
 *    (its op no longer matches) and the job stops.
 * PUT and DELETE are idempotent, so a claim left behind by a crashed worker is simply done again.
 */
export class AfterSendWorker {
  constructor(private readonly s: Services) {}

  readonly handle = async (job: AfterSendJob, ctx: JobContext): Promise<void> => {
    const scope = { tenantId: job.tenantId };
    const message = await this.s.messages.get(scope, job.messageId);
    if (!message || message.afterSend?.op !== job.op || message.afterSend.state === 'done') return;
    const op = message.afterSend;

    const rows = await this.s.recipients.listAll(scope, job.messageId, "status eq 'sent'");
    const feedback = job.kind === 'update' ? new Map((await this.s.feedback.list(scope, job.messageId)).map((f) => [f.rowKey, f])) : undefined;
    const tally = { done: 0, failed: 0 };
    for (const r of rows) if (isFinal(r.after, job.op)) tally[r.after!.state as 'done' | 'failed']++;
    const pending = rows.filter((r) => !isFinal(r.after, job.op));

    let superseded = false;
    let lastFlush = Date.now();
    const flush = async () => {
      lastFlush = Date.now();
      const written = await this.setProgress(scope, job, { ...op, ...tally, total: rows.length });
      if (!written) superseded = true;
    };

    await mapLimit(pending, this.s.options.afterSendConcurrency, async (row) => {
      if (superseded) return;
      const outcome = await this.one(scope, job, message, row, feedback);
      if (outcome === 'done' || outcome === 'failed') tally[outcome]++;
      if (Date.now() - lastFlush >= progressEveryMs) await flush();
    });
    if (superseded) return;

    // the rows say how it ended (another copy of the job may have finished some of them)
    const after = await this.s.recipients.listAll(scope, job.messageId, "status eq 'sent'");
    const retry = after.filter((r) => r.after?.op === job.op && (r.after.state === 'retry' || r.after.state === 'running'));
    if (retry.length > 0 && ctx.attempt < afterSendMaxAttempts) {
      await flush();
      throw new RetryLater(this.s.options.afterSendRetrySeconds, `${retry.length} card(s) to ${job.kind} again`);
    }
    for (const r of retry) await this.finish(scope, job, r.rowKey, r.after!.claim, 'failed', `gave up: ${r.after!.reason ?? 'no answer'}`);
    const final = { done: 0, failed: 0 };
    for (const r of after) {
      if (r.after?.op !== job.op) final.failed++; // not reached by this operation (every listed row went through one(), so not expected)
      else if (r.after.state === 'done') final.done++;
      else final.failed++;
    }
    await this.setProgress(scope, job, { ...op, ...final, total: after.length, state: 'done' });
  };

  /** Writes message.afterSend while this operation is still the message's current one; false once superseded. */
  private async setProgress(scope: TenantScope, job: AfterSendJob, next: AfterSendRecord): Promise<boolean> {
    const written = await this.s.messages.patch(scope, job.messageId, (m) => (m.afterSend?.op === job.op && m.afterSend.state === 'running' ? { afterSend: next } : undefined));
    return written !== undefined;
  }

  /** One recipient's card: claim the row, call the Bot Connector (with quick retries), record the outcome. */
  private async one(scope: TenantScope, job: AfterSendJob, message: MessageRow, row: RecipientRow, feedback: Map<string, FeedbackRow> | undefined): Promise<Outcome> {
    if (!row.activityId || !row.conversationId || !row.serviceUrl) {
      // sent-unconfirmed rows: Teams never told us the card's id, so there is nothing to change
      const claim = await this.claim(scope, job, row);
      if (!claim) return 'skipped';
      await this.finish(scope, job, row.rowKey, claim, 'failed', 'Teams did not confirm this delivery, so the card cannot be found');
      return 'failed';
    }
    let card;
    let summary = '';
    if (job.kind === 'update') {
      try {
        const answer = row.kind === 'user' && row.aadId ? answerOf(feedback?.get(recipientKeys.user(row.aadId))) : undefined;
        const rendered = cardFor({ ...message, id: job.messageId },
          { key: row.rowKey, locale: row.locale, refreshUserIds: row.kind === 'user' ? [row.teamsUserId ?? row.aadId ?? row.rowKey] : row.refreshUserIds ?? [] },
          { publicUrl: this.s.publicUrl, signer: this.s.signer, tenantId: scope.tenantId }, answer);
        card = rendered.card;
        summary = summaryOf(message, rendered.locale);
      } catch (err) {
        const claim = await this.claim(scope, job, row);
        if (!claim) return 'skipped';
        await this.finish(scope, job, row.rowKey, claim, 'failed', `the card could not be built: ${err instanceof Error ? err.message : String(err)}`);
        return 'failed';
      }
    }
    const claim = await this.claim(scope, job, row);
    if (!claim) return 'skipped';

    let failure: ConnectorFailure | undefined;
    for (let tries = 1; tries <= inProcessTries; tries++) {
      await this.s.limiter.acquire(scope.tenantId, 'bot-connector');
      try {
        if (job.kind === 'update') await this.s.connector.updateCard(row.serviceUrl, row.conversationId, row.activityId, card!, summary);
        else await this.s.connector.deleteActivity(row.serviceUrl, row.conversationId, row.activityId);
        await this.finish(scope, job, row.rowKey, claim, 'done');
        return 'done';
      } catch (err) {
        failure = classifyConnectorError(err);
      }
      if (failure.kind === 'permanent') {
        if (failure.status === 404) {
          // the card (or the chat) is gone already: nothing left to edit or delete
          await this.finish(scope, job, row.rowKey, claim, 'done', failure.reason);
          return 'done';
        }
        await this.finish(scope, job, row.rowKey, claim, 'failed', failure.reason);
        return 'failed';
      }
      if (failure.kind === 'throttled') {
        // the whole tenant waits (the next acquire blocks until Retry-After has passed)
        this.s.limiter.pauseFor(scope.tenantId, 'bot-connector', (failure.retryAfterSeconds ?? 5) * 1000);
      } else if (tries < inProcessTries) {
        // transient, or ambiguous: PUT and DELETE can safely be repeated
        await sleep(backoffMs(tries));
      }
    }
    await this.finish(scope, job, row.rowKey, claim, 'retry', failure?.reason);
    return 'retry';
  }

  /**
   * Marks the row as this worker's for the operation (conditional on the row as read, retried when
   * only a read or click changed it). Undefined when it is finished already or another worker claimed it.
   */
  private async claim(scope: TenantScope, job: AfterSendJob, seen: RecipientRow): Promise<string | undefined> {
    const claim = randomUUID();
    const seenClaim = seen.after?.op === job.op ? seen.after.claim : undefined;
    const written = await this.s.recipients.mutate(scope, job.messageId, seen.rowKey, (current) => {
      if (!current) return undefined;
      const a = current.after;
      if (isFinal(a, job.op)) return undefined;
      if (a?.op === job.op && a.state === 'running' && a.claim !== seenClaim) return undefined;
      return { ...recordOf(current), after: { op: job.op, state: 'running', claim, at: new Date().toISOString() } };
    });
    return written ? claim : undefined;
  }

  /** Records the outcome if the row still holds this claim of this operation and is not finished (a 'retry' keeps the claim for the next delivery). */
  private async finish(scope: TenantScope, job: AfterSendJob, rowKey: string, claim: string | undefined, state: RecipientAfterSend['state'], reason?: string): Promise<void> {
    await this.s.recipients.mutate(scope, job.messageId, rowKey, (current) => {
      if (!current || current.after?.op !== job.op || current.after.claim !== claim || isFinal(current.after, job.op)) return undefined;
      return { ...recordOf(current), after: { op: job.op, state, ...(state === 'retry' ? { claim } : {}), ...(reason ? { reason } : {}), at: new Date().toISOString() } };
    });
  }
}

function summaryOf(message: MessageRecord, locale: string): string {
  const variant = message.variants.find((v) => v.locale === locale) ?? message.variants[0];
  return (variant?.summary || variant?.title || '').slice(0, 200);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An edit or recall job gave up for good (its handler kept throwing, e.g. storage unreachable): the
 * operation ends (state done) with every card it did not finish counted as failed, so the report does not
 * show it running forever, and the report's problems list it. Safe to run twice.
 */
export function onAfterSendPoisoned(s: Services) {
  return async (job: AfterSendJob | undefined, info: PoisonedJobInfo): Promise<void> => {
    if (!job) return;
    const scope = { tenantId: job.tenantId };
    const rows = await s.recipients.listAll(scope, job.messageId, "status eq 'sent'");
    const done = rows.filter((r) => r.after?.op === job.op && r.after.state === 'done').length;
    const ended = await s.messages.patch(scope, job.messageId, (m) => (m.afterSend?.op === job.op && m.afterSend.state === 'running'
      ? { afterSend: { ...m.afterSend, state: 'done', done, failed: rows.length - done, total: rows.length } }
      : undefined));
    if (ended) await s.problems.add(scope, job.messageId, `${job.kind}-${info.messageId}`, { what: job.kind === 'update' ? 'Editing the sent cards' : 'Recalling the sent cards', reason: info.error });
  };
}
