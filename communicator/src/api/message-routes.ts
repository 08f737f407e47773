import { conflict, type Identity, type TenantScope } from '@teamspro/core';
import type { Request, Response, Router } from 'express';
import type { MessageInput, MessageStatus } from './contract.js';
import { previewCards } from '../domain/card.js';
import { editableStatuses, statusesForFilter, toSummary, type MessageRecord } from '../domain/message.js';
import { mapLimit } from '../domain/parallel.js';
import type { Services } from '../services.js';
import { messageView, requireMessage } from './message-view.js';
import { callerOf, param } from './scope.js';
import { requireTopic } from './topic-routes.js';
import { etagSchema, messageInputSchema, parseBody } from './validation.js';

export function newRecord(input: MessageInput, status: MessageStatus, identity: Identity): MessageRecord {
  const now = new Date().toISOString();
  return {
    topicId: input.topicId, author: input.author, layout: input.layout, variants: input.variants, feedback: input.feedback, audience: input.audience,
    status, createdBy: identity.upn || identity.userId, createdAt: now, editedAt: now,
  };
}

export function contentOf(record: MessageRecord): MessageInput {
  return { topicId: record.topicId, author: record.author, layout: record.layout, variants: record.variants, feedback: record.feedback, audience: record.audience };
}

async function validInput(s: Services, scope: TenantScope, body: unknown): Promise<MessageInput> {
  const input = parseBody(messageInputSchema, body, 'The message') as MessageInput;
  await requireTopic(s, scope, input.topicId);
  return input;
}

export function messageRoutes(router: Router, s: Services) {
  router.get('/messages', async (req, res) => {
    const { scope } = callerOf(res);
    const rows = await s.messages.list(scope, statusesForFilter(typeof req.query.status === 'string' ? req.query.status : undefined));
    res.json(await mapLimit(rows, 8, async (row) => toSummary(await messageView(s, scope, row))));
  });

  // POST /api/messages is the bot's messaging endpoint (the Teams SDK owns it), so drafts are created here
  router.post('/drafts', async (req, res) => {
    const { scope, identity } = callerOf(res);
    const input = await validInput(s, scope, req.body);
    const row = await s.messages.create(scope, newRecord(input, 'draft', identity));
    res.status(201).json(await messageView(s, scope, row));
  });

  router.get('/messages/:id', async (req, res) => {
    const { scope } = callerOf(res);
    res.json(await messageView(s, scope, await requireMessage(s, scope, param(req.params.id))));
  });

  router.put('/messages/:id', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const { etag } = parseBody(etagSchema, req.body, 'The message');
    const input = await validInput(s, scope, req.body);
    const current = await requireMessage(s, scope, id);
    if (!editableStatuses.includes(current.status)) throw conflict(`A ${current.status} message cannot be edited; duplicate it to make a new draft.`);
    const record: MessageRecord = { ...current, ...input, editedAt: new Date().toISOString() };
    const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = record as typeof current;
    const row = await s.messages.replace(scope, id, data, etag);
    res.json(await messageView(s, scope, row));
  });

  router.delete('/messages/:id', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const current = await requireMessage(s, scope, id);
    if (!editableStatuses.includes(current.status)) throw conflict(`A ${current.status} message cannot be deleted; only drafts and templates can.`);
    await s.messages.delete(scope, id, current.etag);
    res.status(204).end();
  });

  const copyAs = (status: 'draft' | 'template') => async (req: Request, res: Response) => {
    const { scope, identity } = callerOf(res);
    const source = await requireMessage(s, scope, param(req.params.id));
    const row = await s.messages.create(scope, newRecord(contentOf(source), status, identity));
    res.status(201).json(await messageView(s, scope, row));
  };
  router.post('/messages/:id/duplicate', copyAs('draft'));
  router.post('/messages/:id/template', copyAs('template'));

  router.post('/messages/:id/preview', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    const row = await requireMessage(s, scope, id);
    res.json(previewCards({ ...row, id }, { publicUrl: s.publicUrl, signer: s.signer }));
  });
}
