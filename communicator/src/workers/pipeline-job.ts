import type { JobContext, TenantScope } from '@teamspro/core';
import { countsFrom } from '../domain/counts.js';
import { AudienceError } from '../domain/audience/resolver.js';
import type { ResolvedAudience } from '../domain/audience/types.js';
import type { MessageRecord } from '../domain/message.js';
import type { Services } from '../services.js';
import { recipientShardOf, shardCountFor, type RecipientRecord, type RecipientRow } from '../store/recipient-store.js';
import { repairCounters } from './accounting.js';
import { sendJobSize, type PipelineJob } from './jobs.js';
import { chunks, groupBy } from '../domain/parallel.js';
import { sendReleaseDelays } from '../domain/send-release.js';

/** Checks without progress after which a sending message's rows are scanned once for uncounted outcomes. */
const idleChecksBeforeRepair = 4;
export const pipelineMaxAttempts = 5;

/**
 * The message-level steps of a send:
 *  - resolve: when its time has come, turn the audience into recipient rows (batches of 100),
 *    enqueue send jobs (chunks of neighbouring rows, released at the tenant's rate), move the message to "sending", start the finalize checks;
 *  - finalize: every few seconds, read the counters; once every recipient is final the message is "sent".
 * Both are safe to run twice.
 */
export class PipelineWorker {
  constructor(private readonly s: Services) {}

  // out of attempts, a job goes to the poison queue and onPipelinePoisoned (poisoned.ts) fails the message with the reason
  readonly handle = async (job: PipelineJob, _ctx: JobContext): Promise<void> => {
    const scope = { tenantId: job.tenantId };
    if (job.kind === 'finalize') return this.finalize(scope, job);
    await this.resolve(scope, job.messageId);
  };

  private async resolve(scope: TenantScope, messageId: string): Promise<void> {
    const message = await this.s.messages.get(scope, messageId);
    if (!message) return;
    if (message.status === 'scheduled') {
      const due = message.sendAt ? Date.parse(message.sendAt) : 0;
      if (Date.now() < due) {
        // early (clock skew, or a schedule beyond the queue's 7-day delay): wait again, never send before its time
        await this.s.queues.pipeline.enqueue({ kind: 'resolve', tenantId: scope.tenantId, messageId }, { delaySeconds: Math.ceil((due - Date.now()) / 1000) });
        return;
      }
      if (!(await this.s.messages.transition(scope, messageId, ['scheduled'], 'resolving'))) return;
    } else if (message.status === 'queued') {
      if (!(await this.s.messages.transition(scope, messageId, ['queued'], 'resolving'))) return;
    } else if (message.status !== 'resolving') {
      // canceled, or a redelivery after the send already started (a crash before the checkpoints were deleted)
      await this.s.resolveCheckpoints.clear(scope, messageId);
      return;
    }
    this.s.statusCache.forget(scope, messageId);

    let resolved: ResolvedAudience;
    try {
      resolved = message.resendOf ? await this.resendAudience(scope, message)
        : await this.s.resolver.resolve(scope, message.audience, this.s.resolveCheckpoints.forMessage(scope, messageId));
    } catch (err) {
      if (!(err instanceof AudienceError)) throw err;
      await this.s.messages.transition(scope, messageId, ['resolving'], 'failed', { statusReason: err.message });
      this.s.statusCache.forget(scope, messageId);
      await this.s.problems.add(scope, messageId, 'resolve', { what: 'Finding the recipients', reason: err.message });
      await this.s.resolveCheckpoints.clear(scope, messageId);
      return;
    }

    // the shard layout is chosen once, before any row is written; a redelivered resolve keeps it
    const shards = message.recipientShards ?? await this.chooseShards(scope, messageId, resolved.recipients.length);
    const existing = new Map((await this.s.recipients.listAll(scope, messageId)).map((r) => [r.rowKey, r]));
    const missing = resolved.recipients.filter((r) => !existing.has(r.key));
    await this.s.recipients.createMissing(scope, messageId, missing.map((r) => ({ key: r.key, data: r.record })));
    const all: Array<{ key: string; record: RecipientRecord | RecipientRow }> = [...[...existing].map(([key, record]) => ({ key, record })), ...missing];
    await this.s.counters.setMeta(scope, messageId, {
      recipients: all.length,
      preFailed: all.filter((r) => r.record.resolveFailed).length,
    });
    const toSend = all.filter((r) => r.record.status === 'queued' || r.record.status === 'sending');
    // one job per chunk of neighbouring rows of one shard: each job reads, marks and records its rows in a few transactions
    const byShard = groupBy(toSend.map((r) => r.key), (key) => recipientShardOf(key, shards));
    const jobs = [...byShard.keys()].sort((a, b) => a - b).flatMap((shard) => chunks(byShard.get(shard)!.sort(), sendJobSize));
    // released over time at the tenant's rate, so other tenants' sends are not stuck behind this one on the shared queue
    const delays = sendReleaseDelays(jobs.map((chunk) => chunk.length), this.s.limiter.rateOf('bot-connector').ratePerSecond);
    await this.s.queues.send.enqueueMany(jobs.map((chunk) => ({ tenantId: scope.tenantId, messageId, keys: chunk })), (i) => ({ delaySeconds: delays[i] }));
    await this.s.messages.transition(scope, messageId, ['resolving'], 'sending');
    this.s.statusCache.forget(scope, messageId);
    await this.s.resolveCheckpoints.clear(scope, messageId);
    await this.s.queues.pipeline.enqueue({ kind: 'finalize', tenantId: scope.tenantId, messageId, idleChecks: 0, lastDone: 0 }, { delaySeconds: 1 });
  }

  /** Records the message's shard count (or reads the one a concurrent delivery of this job recorded first). */
  private async chooseShards(scope: TenantScope, messageId: string, recipients: number): Promise<number> {
    const written = await this.s.messages.patch(scope, messageId, (m) => (m.recipientShards === undefined ? { recipientShards: shardCountFor(recipients) } : undefined));
    const shards = written?.recipientShards ?? (await this.s.messages.get(scope, messageId))?.recipientShards;
    if (shards === undefined) throw new Error('the message disappeared while its audience was being resolved');
    return shards;
  }

  /** "Resend to failed/unread": the original's matching rows, with their delivery details, as fresh recipients. */
  private async resendAudience(scope: TenantScope, message: MessageRecord): Promise<ResolvedAudience> {
    const { messageId, to } = message.resendOf!;
    const rows = await this.s.recipients.listAll(scope, messageId);
    const picked = rows.filter((r) => (to === 'failed' ? r.status === 'failed' : r.status === 'sent' && !r.readAt));
    const recipients = await this.s.resolver.refresh(scope, picked.map((r) => ({ key: r.rowKey, record: r })));
    return { recipients, bySource: [{ source: `resend:${to}`, count: recipients.length }], duplicatesRemoved: 0 };
  }

  private async finalize(scope: TenantScope, job: Extract<PipelineJob, { kind: 'finalize' }>): Promise<void> {
    const message = await this.s.messages.get(scope, job.messageId);
    if (!message || message.status !== 'sending') return;
    const counts = countsFrom(await this.s.counters.totals(scope, job.messageId));
    const done = counts.sent + counts.failed;
    if (done >= counts.recipients) {
      await this.s.messages.transition(scope, job.messageId, ['sending'], 'sent');
      this.s.statusCache.forget(scope, job.messageId);
      return;
    }
    let idleChecks = done === job.lastDone ? job.idleChecks + 1 : 0;
    if (idleChecks >= idleChecksBeforeRepair) {
      // every row final but the counters short: a worker died between claiming a row and counting it
      if (await repairCounters(this.s, scope, job.messageId)) idleChecks = 0;
    }
    await this.s.queues.pipeline.enqueue({ kind: 'finalize', tenantId: scope.tenantId, messageId: job.messageId, idleChecks, lastDone: done }, { delaySeconds: this.s.options.finalizeIntervalSeconds });
  }
}
