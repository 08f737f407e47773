import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthenticator } from './auth.js';
import { createDispatcher, type Dispatcher } from './dispatch.js';
import { registerDrives } from './drives.js';
import type { DriveItem, Drive } from './drive-store.js';
import { errorResponse, GraphError } from './errors.js';
import { registerGroups } from './groups.js';
import { registerInstalledApps, type ChatFactory } from './installed-apps.js';
import { registerMeetings } from './meetings.js';
import type { ActivityNotification } from './notifications.js';
import { registerNotifications } from './notifications.js';
import { pngSize, thumbnailBounds, thumbnailPng, type ThumbnailSize } from './png.js';
import { registerPresence } from './presence.js';
import type { RecordedRequest } from './request-log.js';
import { Router } from './router.js';
import { addGroup, createState, resetState, type NewGroup, type SandboxState } from './state.js';
import { registerTeams } from './teams.js';
import type { ThrottleRule } from './throttle.js';
import type { GraphRequest, GraphResponse } from './types.js';
import { handleUploadRequest, liveSession } from './upload-sessions.js';
import { registerUsers } from './users.js';

export type SandboxControl = {
  /** the next `count` matching requests answer 429 with Retry-After */
  throttle: (rule: ThrottleRule) => void;
  requests: () => RecordedRequest[];
  notifications: () => ActivityNotification[];
  /** where installing an app for a user gets the 1:1 chat id, e.g. `playgroundChats(...)`; undefined: Teams-shaped ids no connector knows (see installed-apps.ts) */
  chatsFrom: (factory: ChatFactory | undefined) => void;
  /** the tenant behaves as if its admin had not consented these application permissions (checked by the Teams app endpoints); until reset */
  withholdAppRoles: (tenantId: string, roles: string[]) => void;
  /**
   * A security group of new users in a tenant, beyond the seed (a 100,000-member audience for a benchmark,
   * say); returns the group's id. Gone after reset.
   */
  addGroup: (tenantId: string, group: NewGroup) => string;
  /** clears throttles, withheld permissions and records, and restores the seed state (the chat factory stays) */
  reset: () => void;
};

export type RunningGraphSandbox = { url: string; stop: () => Promise<void>; control: SandboxControl };

/** Upload fragments may be up to 60 MiB; anything larger is refused before it is buffered. */
const maxBodyBytes = 64 * 1024 * 1024;

function buildRouter(): Router {
  const router = new Router();
  registerUsers(router);
  registerGroups(router);
  registerTeams(router);
  registerInstalledApps(router);
  registerPresence(router);
  registerMeetings(router);
  registerNotifications(router);
  registerDrives(router);
  return router;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) { resolve(undefined); req.removeAllListeners('data'); req.resume(); return; }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Graph and SharePoint upload/download URLs allow cross-origin calls, so a tab in the browser can use them directly. */
const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'request-id, client-request-id, retry-after, location, content-range',
};

function send(res: ServerResponse, response: GraphResponse): void {
  const headers: Record<string, string> = { ...corsHeaders, ...response.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) payload = response.body;
  else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  if (payload) headers['content-length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function findItemByToken(state: SandboxState, token: string): { tenantId: string; drive: Drive; item: DriveItem } | undefined {
  for (const tenant of state.tenants.values()) {
    for (const drive of tenant.drives.values()) {
      for (const item of drive.items.values()) if (item.downloadToken === token && !item.isFolder) return { tenantId: tenant.id, drive, item };
    }
  }
  return undefined;
}

/** Pre-authenticated URLs outside /v1.0, as Graph hands out: download, thumbnail and upload-session URLs. */
function preAuthenticated(state: SandboxState, origin: string, method: string, path: string, headers: Record<string, string>, body: Buffer): { tenant: string | null; response: GraphResponse } {
  const upload = /^\/_upload\/([^/]+)$/.exec(path);
  if (upload) {
    const tenant = liveSession(state, upload[1]!)?.tenantId ?? null;
    return { tenant, response: handleUploadRequest(state, origin, upload[1]!, method, headers, body) };
  }
  const download = /^\/_download\/([^/]+)$/.exec(path);
  const found = download && method === 'GET' ? findItemByToken(state, download[1]!) : undefined;
  if (found) {
    return { tenant: found.tenantId, response: { status: 200, headers: { 'content-type': found.item.mimeType ?? 'application/octet-stream' }, body: found.item.content! } };
  }
  const thumb = /^\/_thumbnails\/([^/]+)\/(small|medium|large)$/.exec(path);
  const image = thumb && method === 'GET' ? findItemByToken(state, thumb[1]!) : undefined;
  if (image && pngSize(image.item.content!)) {
    const bytes = thumbnailPng(image.item.content!, thumbnailBounds[thumb![2] as ThumbnailSize]);
    return { tenant: image.tenantId, response: { status: 200, headers: { 'content-type': 'image/png' }, body: bytes } };
  }
  throw new GraphError(404, 'itemNotFound', `Nothing at ${path}.`);
}

async function control(api: SandboxControl, method: string, path: string, body: Buffer): Promise<GraphResponse> {
  const ok = (value: unknown): GraphResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: value });
  if (method === 'POST' && path === '/_sandbox/throttle') {
    try {
      api.throttle(JSON.parse(body.toString('utf8') || '{}') as ThrottleRule);
    } catch (err) {
      throw new GraphError(400, 'BadRequest', (err as Error).message);
    }
    return { status: 204, headers: {} };
  }
  if (method === 'POST' && path === '/_sandbox/withhold-app-roles') {
    const { tenantId, roles } = JSON.parse(body.toString('utf8') || '{}') as { tenantId?: unknown; roles?: unknown };
    if (typeof tenantId !== 'string' || !Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw new GraphError(400, 'BadRequest', 'Send { "tenantId": "…", "roles": ["…"] }.');
    api.withholdAppRoles(tenantId, roles as string[]);
    return { status: 204, headers: {} };
  }
  if (method === 'GET' && path === '/_sandbox/requests') return ok({ value: api.requests() });
  if (method === 'GET' && path === '/_sandbox/notifications') return ok({ value: api.notifications() });
  if (method === 'POST' && path === '/_sandbox/reset') { api.reset(); return { status: 204, headers: {} }; }
  throw new GraphError(404, 'NotFound', `No sandbox control endpoint ${method} ${path}.`);
}

async function handleHttp(req: IncomingMessage, res: ServerResponse, state: SandboxState, api: SandboxControl, dispatch: Dispatcher, origin: string): Promise<void> {
  const requestId = randomUUID();
  const headers = headersOf(req);
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'OPTIONS') {
    res.writeHead(204, {
      ...corsHeaders,
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': headers['access-control-request-headers'] ?? '*',
      'access-control-max-age': '600',
    });
    res.end();
    return;
  }
  const url = new URL(req.url ?? '/', origin);
  const time = new Date().toISOString();
  const body = await readBody(req);
  if (body === undefined) {
    send(res, errorResponse(new GraphError(413, 'requestEntityTooLarge', `Request bodies are limited to ${maxBodyBytes} bytes.`), requestId, requestId));
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    send(res, errorResponse(new GraphError(400, 'BadRequest', 'The request URL is not valid.'), requestId, requestId));
    return;
  }

  if (url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/')) {
    const rawPath = url.pathname.slice('/v1.0'.length) || '/';
    const graphRequest: GraphRequest = { method, path: path.slice('/v1.0'.length) || '/', rawPath, query: url.searchParams, headers, body };
    send(res, await dispatch(graphRequest));
    return;
  }
  if (path.startsWith('/_sandbox/')) {
    try {
      send(res, await control(api, method, path, body));
    } catch (err) {
      send(res, errorResponse(err, requestId, requestId));
    }
    return;
  }
  let tenant: string | null = null;
  let response: GraphResponse;
  try {
    ({ tenant, response } = preAuthenticated(state, origin, method, path, headers, body));
  } catch (err) {
    response = errorResponse(err, requestId, requestId);
  }
  response.headers['request-id'] = requestId;
  state.log.record({ time, tenant, method, path: url.pathname, query: url.searchParams.toString(), status: response.status, requestId });
  send(res, response);
}

/**
 * Starts the Graph sandbox on 127.0.0.1: Microsoft Graph v1.0 shapes under `/v1.0` over the seed tenants,
 * validating tokens from the identity provider at `identityUrl`.
 */
export async function startGraphSandbox({ port = 0, identityUrl }: { port?: number; identityUrl: string }): Promise<RunningGraphSandbox> {
  const state = createState();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authenticate = createAuthenticator(identityUrl, (tid) => state.tenants.has(tid));
  const dispatch = createDispatcher(state, buildRouter(), authenticate, url);
  const api: SandboxControl = {
    throttle: (rule) => state.throttler.add(rule),
    requests: () => state.log.list(),
    notifications: () => state.notifications.map((n) => structuredClone(n)),
    chatsFrom: (factory) => { state.chatFactory = factory; },
    withholdAppRoles: (tenantId, roles) => {
      const withheld = state.withheldAppRoles.get(tenantId) ?? new Set<string>();
      for (const r of roles) withheld.add(r);
      state.withheldAppRoles.set(tenantId, withheld);
    },
    addGroup: (tenantId, group) => addGroup(state, tenantId, group),
    reset: () => resetState(state),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleHttp(req, res, state, api, dispatch, url).catch((err: unknown) => {
      if (!res.headersSent) send(res, errorResponse(err, randomUUID(), ''));
      else res.destroy();
    });
  });
  return {
    url,
    control: api,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
