import { randomUUID } from 'node:crypto';
import { handleBatch } from './batch.js';
import { rewriteGroupDrivePath } from './drives.js';
import { errorResponse, GraphError } from './errors.js';
import type { Router } from './router.js';
import type { SandboxState } from './state.js';
import type { Ctx, GraphRequest, GraphResponse, Principal } from './types.js';

export type Dispatcher = (req: GraphRequest, options?: { batchRequestId?: string }) => Promise<GraphResponse>;

/** `/me/…` is `/users/{signed-in user}/…`; only delegated tokens have a "me". */
function rewriteMe(path: string, principal: Principal): string {
  if (path !== '/me' && !path.startsWith('/me/')) return path;
  if (principal.kind !== 'user') throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  return `/users/${principal.oid}${path.slice(3)}`;
}

/**
 * One pipeline for every Graph request, top-level or inside $batch:
 * authenticate → throttle → route → Graph error shape → request-id headers → request log.
 */
export function createDispatcher(
  sandbox: SandboxState,
  router: Router,
  authenticate: (authorization: string | undefined) => Promise<Principal>,
  origin: string,
): Dispatcher {
  const dispatch: Dispatcher = async (req, options = {}) => {
    const time = new Date().toISOString();
    const requestId = randomUUID();
    const clientRequestId = req.headers['client-request-id'] ?? requestId;
    let tenantId: string | null = null;
    let res: GraphResponse;
    try {
      const principal = await authenticate(req.headers.authorization);
      tenantId = principal.tenantId;
      const tenant = sandbox.tenants.get(principal.tenantId)!;
      const isBatch = req.path === '/$batch';
      // The $batch envelope itself is not throttled; each request inside it is.
      const retryAfter = isBatch ? undefined : sandbox.throttler.take(principal.tenantId, req.path);
      if (retryAfter !== undefined) {
        throw new GraphError(429, 'TooManyRequests', 'Too many requests are being made. Retry after the time in the Retry-After header.', { 'retry-after': String(Math.ceil(retryAfter)) });
      }
      const path = rewriteGroupDrivePath(tenant, rewriteMe(req.path, principal));
      const ctx: Ctx = { req: { ...req, path }, principal, tenant, sandbox, origin };
      if (isBatch) {
        if (req.method !== 'POST') throw new GraphError(405, 'MethodNotAllowed', '$batch accepts POST only.');
        res = await handleBatch(ctx, dispatch, requestId);
      } else {
        const match = router.match(req.method, path);
        if (match === undefined) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`);
        if (match === 'method-not-allowed') throw new GraphError(405, 'MethodNotAllowed', `${req.method} is not allowed on '${req.path}'.`);
        res = await match.handler(ctx, match.params);
      }
    } catch (err) {
      res = errorResponse(err, requestId, clientRequestId);
    }
    res = { ...res, headers: { ...res.headers, 'request-id': requestId, 'client-request-id': clientRequestId } };
    sandbox.log.record({
      time, tenant: tenantId, method: req.method, path: `/v1.0${req.rawPath}`, query: req.query.toString(), status: res.status, requestId,
      ...(options.batchRequestId ? { batchRequestId: options.batchRequestId } : {}),
    });
    return res;
  };
  return dispatch;
}
