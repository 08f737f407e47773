import { conflict, notFound, type TenantScope } from '@teamspro/core';
import type { Router } from 'express';
import type { Services } from '../services.js';
import { callerOf, param } from './scope.js';
import { etagSchema, parseBody, topicInputSchema } from './validation.js';

export async function requireTopic(s: Services, scope: TenantScope, topicId: string) {
  const topic = await s.topics.get(scope, topicId);
  if (!topic) throw notFound(`Topic ${topicId} does not exist; create it first.`);
  return topic;
}

export function topicRoutes(router: Router, s: Services) {
  router.get('/topics', async (_req, res) => {
    res.json(await s.topics.list(callerOf(res).scope));
  });

  router.post('/topics', async (req, res) => {
    const input = parseBody(topicInputSchema, req.body, 'The topic');
    res.status(201).json(await s.topics.create(callerOf(res).scope, input));
  });

  router.put('/topics/:id', async (req, res) => {
    const { scope } = callerOf(res);
    const input = parseBody(topicInputSchema, req.body, 'The topic');
    const { etag } = parseBody(etagSchema, req.body, 'The topic');
    await requireTopic(s, scope, param(req.params.id));
    res.json(await s.topics.update(scope, param(req.params.id), input, etag));
  });

  router.delete('/topics/:id', async (req, res) => {
    const { scope } = callerOf(res);
    const id = param(req.params.id);
    await requireTopic(s, scope, id);
    if (await s.messages.usesTopic(scope, id)) throw conflict('Messages use this topic; move them to another topic first.');
    await s.topics.delete(scope, id);
    res.status(204).end();
  });
}
