import type { PoisonedJobInfo, TenantScope } from '@teamspro/core';
import type { Services } from '../services.js';
import { recordOf, type RecipientRow } from '../store/recipient-store.js';
import { countRecipient } from './accounting.js';
import type { PipelineJob, SendJob } from './jobs.js';

const isFinal = (r: { status: string }) => r.status === 'sent' || r.status === 'failed';

export const deliveryGaveUp = (error: string) => `delivery job failed repeatedly: ${error}`;

/**
 * A send job gave up (its handler kept throwing, or workers kept dying on it): its recipients not
 * final yet end failed with the reason and are counted, so the message can finish, and the report
 * lists the job. Safe to run twice for the same job.
 */
export function onSendPoisoned(s: Services) {
  return async (job: SendJob | undefined, info: PoisonedJobInfo): Promise<void> => {
    if (!job) return; // not a job at all: nothing to attribute it to; it stays in the poison queue
    const scope = { tenantId: job.tenantId };
    const reason = deliveryGaveUp(info.error);
    const hit: string[] = [];
    for (const key of job.keys) {
      const failed = await s.recipients.mutate(scope, job.messageId, key, (current) => (current && !isFinal(current)
        ? { ...recordOf(current), status: 'failed', attemptId: undefined, failureReason: reason, counted: false }
        : undefined));
      const row = failed ?? (await s.recipients.get(scope, job.messageId, key));
      if (row) await countRecipient(s, scope, row);
      if (failed) hit.push(failed.name || failed.upn || key);
    }
    // rows already final (sent before a later step kept failing) lost nothing: no problem to report
    if (hit.length > 0) {
      const who = hit.length === 1 ? hit[0]! : `${hit.length} recipients (${hit.slice(0, 3).join(', ')}${hit.length > 3 ? ', …' : ''})`;
      await s.problems.add(scope, job.messageId, `send-${info.messageId}`, { what: `Delivery to ${who}`, reason });
    }
  };
}

/**
 * A pipeline job gave up: the message would otherwise stay queued, resolving or sending forever.
 * It ends failed, with the reason; recipients not reached yet end failed too (so the counts add up),
 * and the report lists the job.
 */
export function onPipelinePoisoned(s: Services) {
  return async (job: PipelineJob | undefined, info: PoisonedJobInfo): Promise<void> => {
    if (!job) return;
    const scope = { tenantId: job.tenantId };
    const step = job.kind === 'resolve' ? 'finding the recipients' : 'following the delivery';
    const reason = `the job ${step} failed repeatedly: ${info.error}`;
    await stopSend(s, scope, job.messageId, reason);
    await s.problems.add(scope, job.messageId, `pipeline-${info.messageId}`, { what: job.kind === 'resolve' ? 'Finding the recipients' : 'Following the delivery', reason });
  };
}

/** Ends an unfinished send as failed: the message, then every recipient still waiting. */
export async function stopSend(s: Services, scope: TenantScope, messageId: string, reason: string): Promise<void> {
  await s.messages.transition(scope, messageId, ['scheduled', 'queued', 'resolving', 'sending'], 'failed', { statusReason: reason });
  s.statusCache.forget(scope, messageId);
  const message = await s.messages.get(scope, messageId);
  if (message?.status !== 'failed') return; // finished or canceled meanwhile
  const rows = await s.recipients.listAll(scope, messageId);
  const { meta } = await s.counters.totals(scope, messageId);
  // rows written, but the resolve stopped before counting them: count them now, so the report's totals match
  if (!meta && rows.length) await s.counters.setMeta(scope, messageId, { recipients: rows.length, preFailed: rows.filter((r) => r.resolveFailed).length });
  for (const r of rows.filter((row) => !isFinal(row))) {
    const failed = await s.recipients.mutateRow(scope, r, (current) => (current && !isFinal(current)
      ? { ...recordOf(current), status: 'failed', attemptId: undefined, failureReason: `not sent: ${reason}`, counted: false }
      : undefined));
    if (failed) await countRecipient(s, scope, failed as RecipientRow);
  }
}
