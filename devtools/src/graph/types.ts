import type { SandboxState, TenantState } from './state.js';

/** Who called: from the validated bearer token. */
export type Principal = {
  tenantId: string;
  kind: 'user' | 'app';
  /** the user's object id, or the service principal's for app tokens */
  oid: string;
  scopes: string[];
  roles: string[];
};

/** A Graph request as the sandbox sees it, whether it came over HTTP or inside a $batch. */
export type GraphRequest = {
  method: string;
  /** decoded path below /v1.0, e.g. `/users/abc/presence` */
  path: string;
  /** the path as sent (still percent-encoded), for building links back to it */
  rawPath: string;
  query: URLSearchParams;
  /** lower-cased header names */
  headers: Record<string, string>;
  body: Buffer;
};

/** body: a JSON value, raw bytes, or nothing (204 and the like). */
export type GraphResponse = { status: number; headers: Record<string, string>; body?: unknown };

export type Ctx = {
  req: GraphRequest;
  principal: Principal;
  tenant: TenantState;
  sandbox: SandboxState;
  /** origin of the sandbox, for absolute links (`@odata.nextLink`, download and upload URLs) */
  origin: string;
};

export type Handler = (ctx: Ctx, params: string[]) => GraphResponse | Promise<GraphResponse>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

export function noContent(status = 204): GraphResponse {
  return { status, headers: {} };
}

/** Parses a JSON request body; an empty body is `{}`. */
export function jsonBody<T = Record<string, unknown>>(req: GraphRequest): T {
  if (req.body.length === 0) return {} as T;
  return JSON.parse(req.body.toString('utf8')) as T;
}
