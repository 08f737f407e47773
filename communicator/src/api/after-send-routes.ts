import { randomUUID } from 'node:crypto';
import { badRequest, conflict, dataOf, HttpError, type TenantScope } from '@teamspro/core';
import type { Router } from 'express';
import { previewCards } from '../domain/card.js';
import { countsFrom } from '../domain/counts.js';
import { activeStatuses, type AfterSendRecord, type MessageRecord } from '../domain/message.js';
import type { Services } from '../services.js';
import type { MessageRow } from '../store/message-store.js';
import type { AfterSendJob } from '../workers/jobs.js';
import { messageView, requireMessage } from './message-view.js';
import { callerOf, param } from './scope.js';
import { parseBody, sentUpdateSchema } from './validation.js';

/** 409 unless the message's cards can be edited or recalled now. */
function assertAfterSendAllowed(row: MessageRow, kind: 'update' | 'recall') {
  const verb = kind === 'update' ? 'edited' : 'recalled';
  if (activeStatuses.includes(row.status)) throw conflict(`The message is still being sent; it can be ${verb} once delivery has finished.`);
  if (row.status !== 'sent') throw conflict(`A ${row.status} message has no delivered cards to be ${verb}.`);
  if (row.recalled) throw conflict('The message was recalled; it can no longer be edited or recalled again.');
  if (kind === 'update' && row.afterSend?.state === 'running') {
    throw conflict(`The ${row.afterSend.kind === 'update' ? 'previous edit' : 'recall'} is still being applied; try again once it has finished.`);
  }
}

async function enqueue(s: Services, job: AfterSendJob): Promise<void> {
  try {
    await s.ensureQueues();
    await s.queues.afterSend.enqueue(job);
  } catch (err) {
    throw err instanceof HttpError ? err : new HttpError(503, 'queue_unavailable', 'The queue is not reachable; nothing was changed. Try again in a moment.');
  }
}

async function deliveredCount(s: Services, scope: TenantScope, id: string): Promise<number> {
  return countsFrom(await s.counters.totals(scope, id)).sent;
}

/**
 * After sending (contract.ts): edit the delivered cards in place, or recall them. Both record the
 * operation on the message (afterSend, with a new op id) and hand the work to the after-send queue.
 */
export function afterSendRoutes(router: Router, s: Services) {
  router.post('/messages/:id/update', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const input = parseBody(sentUpdateSchema, req.body, 'The update');
    const row = await requireMessage(s, scope, id);
    assertAfterSendAllowed(row, 'update');
    // every variant must render and fit Teams' size limit before anything changes, as for a send
    const preview = previewCards({ ...row, variants: input.variants, id }, { publicUrl: s.publicUrl, signer: s.signer });
    const invalid = preview.variants.filter((v) => v.errors.length > 0);
    if (invalid.length > 0) {
      throw badRequest(`The card cannot be sent: ${invalid.map((v) => `${v.locale}: ${v.errors[0]}`).join('; ')}`, invalid.map(({ locale, bytes, errors }) => ({ locale, bytes, errors })));
    }
    const now = new Date().toISOString();
    const previous = dataOf<MessageRecord>(row);
    const afterSend: AfterSendRecord = { op: randomUUID(), kind: 'update', state: 'running', done: 0, failed: 0, at: now, total: await deliveredCount(s, scope, id) };
    // conditional on the version the author edited: a change in between gets 412
    const updated = await s.messages.replace(scope, id, { ...previous, variants: input.variants, editedAt: now, afterSend }, input.etag);
    try {
      await enqueue(s, { tenantId: scope.tenantId, messageId: id, op: afterSend.op, kind: 'update' });
    } catch (err) {
      await s.messages.replace(scope, id, previous, updated.etag).catch(() => undefined);
      throw err;
    }
    res.json(await messageView(s, scope, updated));
  });

  router.post('/messages/:id/recall', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const row = await requireMessage(s, scope, id);
    assertAfterSendAllowed(row, 'recall');
    const afterSend: AfterSendRecord = { op: randomUUID(), kind: 'recall', state: 'running', done: 0, failed: 0, at: new Date().toISOString(), total: await deliveredCount(s, scope, id) };
    let before: MessageRow | undefined;
    // recalled at once: card actions answer "withdrawn" from now on, and a running edit stops (its op no longer matches)
    const updated = await s.messages.patch(scope, id, (current) => {
      assertAfterSendAllowed(current, 'recall');
      before = current;
      return { recalled: true, afterSend };
    });
    if (!updated) throw conflict('The message changed meanwhile; try again.');
    try {
      await enqueue(s, { tenantId: scope.tenantId, messageId: id, op: afterSend.op, kind: 'recall' });
    } catch (err) {
      await s.messages.patch(scope, id, (current) => (current.afterSend?.op === afterSend.op ? { recalled: undefined, afterSend: before?.afterSend } : undefined)).catch(() => undefined);
      throw err;
    }
    res.json(await messageView(s, scope, updated));
  });
}
