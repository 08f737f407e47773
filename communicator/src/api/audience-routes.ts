import { badRequest, payloadTooLarge, rawUploadBody, readUpload, type Upload } from '@teamspro/core';
import type { Router } from 'express';
import type { GroupOption, TeamOption } from './contract.js';
import { ListFileError, parseCsv, parseXlsx, type ParsedList } from '../domain/upn-list.js';
import type { Services } from '../services.js';
import { callerOf } from './scope.js';

const maxUploadBytes = 10 * 1024 * 1024;
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const uploadMessages = {
  empty: 'Upload a .csv or .xlsx file of user principal names.',
  noFile: 'The form needs a "file" field with the .csv or .xlsx file.',
};

function isXlsx(upload: Upload): boolean {
  return upload.type === xlsxType || /\.xlsx$/i.test(upload.fileName ?? '') || upload.data.subarray(0, 2).toString('latin1') === 'PK';
}

export function audienceRoutes(router: Router, s: Services) {
  router.get('/audiences/teams', async (_req, res) => {
    const { scope } = callerOf(res);
    const installs = await s.ctx.installations.list(scope, 'channel');
    const teams = new Map<string, TeamOption>();
    for (const install of installs) {
      const id = install.teamId ?? install.conversationId;
      if (teams.has(id)) continue;
      await s.limiter.acquire(scope.tenantId, 'bot-connector');
      const channels = await s.connector.teamChannels(install.serviceUrl, id).catch(() => [{ id: install.conversationId, name: 'General' }]);
      teams.set(id, { id, name: install.teamName ?? id, channels });
    }
    res.json([...teams.values()]);
  });

  router.get('/audiences/groups', async (req, res) => {
    const { identity } = callerOf(res);
    const search = typeof req.query.search === 'string' ? req.query.search.trim().slice(0, 100) : '';
    let request = s.ctx.graph.forUser(identity).api('/groups').select('id,displayName,mail,groupTypes,securityEnabled').top(25);
    if (search) request = request.filter(`startswith(displayName,'${search.replace(/'/g, "''")}')`);
    const page = (await request.get()) as { value: Array<{ id: string; displayName: string; mail?: string | null; groupTypes?: string[] }> };
    const groups: GroupOption[] = page.value.map((g) => ({
      id: g.id, displayName: g.displayName, ...(g.mail ? { mail: g.mail } : {}), kind: g.groupTypes?.includes('Unified') ? 'microsoft365' : 'security',
    }));
    res.json(groups);
  });

  router.get('/audiences/lists', async (_req, res) => {
    res.json(await s.lists.list(callerOf(res).scope));
  });

  router.post('/audiences/lists', rawUploadBody(maxUploadBytes), async (req, res) => {
    const { scope, identity } = callerOf(res);
    const upload = await readUpload(req, uploadMessages);
    if (upload.data.length > maxUploadBytes) throw payloadTooLarge('The file is over 10 MB.');
    let parsed: ParsedList;
    try {
      parsed = isXlsx(upload) ? await parseXlsx(upload.data) : parseCsv(upload.data.toString('utf8'));
    } catch (err) {
      if (err instanceof ListFileError) throw badRequest(`The file cannot be read: ${err.message}.`);
      throw err;
    }
    if (parsed.upns.length === 0) throw badRequest('The file has no valid user principal name; nothing was saved.', { rejected: parsed.rejected });
    const name = (upload.name ?? upload.fileName?.replace(/\.(csv|xlsx)$/i, '') ?? '').trim().slice(0, 100) || `List of ${new Date().toISOString().slice(0, 10)}`;
    res.status(201).json(await s.lists.create(scope, { name, upns: parsed.upns, rejected: parsed.rejected, createdBy: identity.upn || identity.userId }));
  });
}
