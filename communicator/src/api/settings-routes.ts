import type { Router } from 'express';
import type { Services } from '../services.js';
import { callerOf } from './scope.js';
import type { accessControl } from './access.js';
import { parseBody, settingsSchema } from './validation.js';

export function settingsRoutes(router: Router, s: Services, access: ReturnType<typeof accessControl>) {
  router.get('/roles', async (_req, res) => {
    res.json(await access.view(callerOf(res).identity));
  });

  router.get('/settings', access.requireAdmin, async (_req, res) => {
    res.json(await s.settings.get(callerOf(res).scope));
  });

  router.put('/settings', access.requireAdmin, async (req, res) => {
    const { scope } = callerOf(res);
    const input = parseBody(settingsSchema, req.body, 'The settings');
    const authors = [...new Map(input.authors.map((a) => [a.toLowerCase(), a])).values()];
    const proactiveInstall = input.proactiveInstall ?? (await s.settings.get(scope)).proactiveInstall;
    res.json(await s.settings.save(scope, { authors, retentionDays: input.retentionDays, proactiveInstall }, input.etag));
  });
}
