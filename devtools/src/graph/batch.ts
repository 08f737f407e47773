import type { Dispatcher } from './dispatch.js';
import { badRequest, errorBody } from './errors.js';
import { json, jsonBody, type Ctx, type GraphRequest, type GraphResponse } from './types.js';

export const maxBatchRequests = 20;
const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

type BatchStep = { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown; dependsOn?: string[] };
type StepResponse = { id: string; status: number; headers: Record<string, string>; body?: unknown };

function validate(body: unknown): BatchStep[] {
  const requests = (body as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest("The batch body must have a non-empty 'requests' array.");
  if (requests.length > maxBatchRequests) throw badRequest(`The number of batch requests (${requests.length}) exceeds the limit of ${maxBatchRequests}.`);
  const ids = new Set<string>();
  for (const r of requests as BatchStep[]) {
    if (typeof r?.id !== 'string' || !r.id) throw badRequest("Every batch request needs a string 'id'.");
    if (ids.has(r.id)) throw badRequest(`Batch request id '${r.id}' is used more than once.`);
    ids.add(r.id);
    if (typeof r.method !== 'string' || !methods.has(r.method.toUpperCase())) throw badRequest(`Batch request '${r.id}' has an invalid method.`);
    if (typeof r.url !== 'string' || !r.url) throw badRequest(`Batch request '${r.id}' needs a 'url'.`);
    if (r.dependsOn !== undefined && (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string'))) throw badRequest(`dependsOn of '${r.id}' must be an array of ids.`);
  }
  const steps = requests as BatchStep[];
  for (const r of steps) for (const d of r.dependsOn ?? []) if (!ids.has(d) || d === r.id) throw badRequest(`Batch request '${r.id}' depends on unknown request '${d}'.`);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw badRequest(`The dependsOn chain through '${id}' is circular.`);
    state.set(id, 'visiting');
    for (const d of byId.get(id)!.dependsOn ?? []) visit(d);
    state.set(id, 'done');
  };
  steps.forEach((s) => visit(s.id));
  return steps;
}

function stepError(id: string, status: number, code: string, message: string, requestId: string): StepResponse {
  return { id, status, headers: { 'content-type': 'application/json' }, body: errorBody(code, message, requestId, requestId) };
}

/** The inner request as if it had come over HTTP, with the batch's own credentials. */
function innerRequest(step: BatchStep, outer: GraphRequest): GraphRequest | string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(step.url)) return 'Batch request urls must be relative to the version, e.g. /me.';
  const url = new URL(step.url.startsWith('/') ? step.url : `/${step.url}`, 'http://batch.invalid');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (outer.headers.authorization) headers.authorization = outer.headers.authorization;
  let body = Buffer.alloc(0);
  if (step.body !== undefined) {
    if (!headers['content-type']) return `Write request id : ${step.id} does not contain Content-Type header or body.`;
    // JSON bodies are inline objects; anything else (an image, say) travels base64-encoded.
    body = typeof step.body === 'string' && !headers['content-type'].includes('json')
      ? Buffer.from(step.body, 'base64')
      : Buffer.from(typeof step.body === 'string' ? step.body : JSON.stringify(step.body), 'utf8');
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return `Batch request url '${step.url}' is not valid.`;
  }
  if (path === '/$batch') return 'A batch cannot contain another $batch.';
  return { method: step.method.toUpperCase(), path, rawPath: url.pathname, query: url.searchParams, headers, body };
}

function stepResponse(id: string, res: GraphResponse): StepResponse {
  const out: StepResponse = { id, status: res.status, headers: res.headers };
  if (Buffer.isBuffer(res.body)) out.body = res.body.toString('base64');
  else if (res.body !== undefined) out.body = res.body;
  return out;
}

/** POST /$batch: up to 20 requests, each through the full pipeline; dependsOn orders them and a failed dependency fails its dependents with 424. */
export async function handleBatch(ctx: Ctx, dispatch: Dispatcher, batchRequestId: string): Promise<GraphResponse> {
  const steps = validate(jsonBody(ctx.req));
  const byId = new Map(steps.map((s) => [s.id, s]));
  const running = new Map<string, Promise<StepResponse>>();
  const run = (step: BatchStep): Promise<StepResponse> => {
    let promise = running.get(step.id);
    if (!promise) {
      promise = (async () => {
        const deps = await Promise.all((step.dependsOn ?? []).map((d) => run(byId.get(d)!)));
        if (deps.some((d) => d.status >= 400)) return stepError(step.id, 424, 'FailedDependency', 'The request depends on a request that failed.', batchRequestId);
        const inner = innerRequest(step, ctx.req);
        if (typeof inner === 'string') return stepError(step.id, 400, 'BadRequest', inner, batchRequestId);
        return stepResponse(step.id, await dispatch(inner, { batchRequestId }));
      })();
      running.set(step.id, promise);
    }
    return promise;
  };
  const responses = await Promise.all(steps.map(run));
  return json(200, { responses });
}
