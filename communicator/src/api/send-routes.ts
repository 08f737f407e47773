import { badRequest, conflict, HttpError, type TenantScope } from '@teamspro/core';
import type { Router } from 'express';
import type { AudienceCount } from './contract.js';
import { previewCards } from '../domain/card.js';
import { AudienceError } from '../domain/audience/resolver.js';
import { activeStatuses } from '../domain/message.js';
import { ScheduleError, toInstant } from '../domain/schedule.js';
import type { Services } from '../services.js';
import { contentOf, newRecord } from './message-routes.js';
import { messageView, requireMessage } from './message-view.js';
import { callerOf, param } from './scope.js';
import { requireTopic } from './topic-routes.js';
import { parseBody, resendSchema, sendRequestSchema } from './validation.js';

/** How far in the past a schedule may be and still count as "now" (the author's clock, the form's minutes). */
const pastGraceMs = 60_000;

function audienceFailure(err: unknown): never {
  if (err instanceof AudienceError) throw badRequest(err.message);
  throw err;
}

export function sendRoutes(router: Router, s: Services) {
  router.post('/messages/:id/audience/count', async (req, res) => {
    const { scope } = callerOf(res);
    const row = await requireMessage(s, scope, param(req.params.id));
    const resolved = await s.resolver.resolve(scope, row.audience).catch(audienceFailure);
    const body: AudienceCount = { recipients: resolved.recipients.length, bySource: resolved.bySource, duplicatesRemoved: resolved.duplicatesRemoved };
    res.json(body);
  });

  router.post('/messages/:id/send', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const request = parseBody(sendRequestSchema, req.body, 'The send request');
    const row = await requireMessage(s, scope, id);
    if (row.status !== 'draft') throw conflict(row.status === 'template' ? 'A template is not sent; duplicate it into a draft first.' : `This message is already ${row.status}.`);
    await requireTopic(s, scope, row.topicId);
    if (row.audience.length === 0) throw badRequest('Choose an audience before sending.');
    // every variant must render and fit Teams' size limit before anything changes
    const preview = previewCards({ ...row, id }, { publicUrl: s.publicUrl, signer: s.signer });
    const invalid = preview.variants.filter((v) => v.errors.length > 0);
    if (invalid.length > 0) {
      throw badRequest(`The card cannot be sent: ${invalid.map((v) => `${v.locale}: ${v.errors[0]}`).join('; ')}`, invalid.map(({ locale, bytes, errors }) => ({ locale, bytes, errors })));
    }
    let sendAt: Date | undefined;
    if (request.sendAt) {
      try {
        sendAt = toInstant(request.sendAt, request.timeZone);
      } catch (err) {
        if (err instanceof ScheduleError) throw badRequest(err.message);
        throw err;
      }
      if (sendAt.getTime() < Date.now() - pastGraceMs) throw badRequest('sendAt is in the past; send now, or choose a later time.');
    }
    const scheduled = sendAt !== undefined && sendAt.getTime() > Date.now();
    // conditional on the version just validated: an edit in between gets 412, never an unchecked send
    const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...validated } = row;
    const updated = await s.messages.replace(scope, id, {
      ...validated,
      status: scheduled ? 'scheduled' : 'queued',
      sendAt: (sendAt ?? new Date()).toISOString(),
      ...(request.timeZone ? { timeZone: request.timeZone } : {}),
      editedAt: new Date().toISOString(),
    }, row.etag);
    try {
      await enqueueResolve(s, scope, id, scheduled ? Math.ceil((sendAt!.getTime() - Date.now()) / 1000) : 0);
    } catch (err) {
      await s.messages.transition(scope, id, [updated.status], 'draft', { sendAt: undefined, timeZone: undefined });
      throw err;
    }
    res.json(await messageView(s, scope, updated));
  });

  router.post('/messages/:id/cancel', async (req, res) => {
    const { scope, identity } = callerOf(res);
    const id = param(req.params.id);
    await requireMessage(s, scope, id);
    const updated = await s.messages.requireTransition(scope, id, ['scheduled', ...activeStatuses], 'canceled', { statusReason: `canceled by ${identity.upn || identity.userId}` });
    s.statusCache.forget(scope, id);
    res.json(await messageView(s, scope, updated));
  });

  router.post('/messages/:id/resend', async (req, res) => {
    const { scope, identity } = callerOf(res);
    const id = param(req.params.id);
    const { to } = parseBody(resendSchema, req.body, 'The resend request');
    const original = await requireMessage(s, scope, id);
    if (['draft', 'template', 'scheduled', 'queued', 'resolving'].includes(original.status)) throw conflict(`A ${original.status} message has no delivery to resend.`);
    if (original.recalled) throw conflict('The message was recalled; it is not sent again.');
    const filter = to === 'failed' ? "status eq 'failed'" : "status eq 'sent'";
    const rows = await s.recipients.listAll(scope, id, filter);
    const count = to === 'failed' ? rows.length : rows.filter((r) => !r.readAt).length;
    if (count === 0) throw conflict(to === 'failed' ? 'No recipient failed; there is nothing to resend.' : 'Every recipient has read the message; there is nothing to resend.');
    const record = { ...newRecord(contentOf(original), 'queued', identity), sendAt: new Date().toISOString(), resendOf: { messageId: id, to } };
    const created = await s.messages.create(scope, record);
    try {
      await enqueueResolve(s, scope, created.rowKey, 0);
    } catch (err) {
      await s.messages.delete(scope, created.rowKey);
      throw err;
    }
    res.status(201).json(await messageView(s, scope, created));
  });
}

async function enqueueResolve(s: Services, scope: TenantScope, messageId: string, delaySeconds: number): Promise<void> {
  try {
    await s.ensureQueues();
    await s.queues.pipeline.enqueue({ kind: 'resolve', tenantId: scope.tenantId, messageId }, delaySeconds > 0 ? { delaySeconds } : {});
  } catch (err) {
    throw err instanceof HttpError ? err : new HttpError(503, 'queue_unavailable', 'The delivery queue is not reachable; nothing was sent. Try again in a moment.');
  }
}
