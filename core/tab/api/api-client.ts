import type { Authenticator } from '../auth/authenticator.js';

/** The server's uniform error body. */
export type ErrorBody = { error: { status: number; code: string; message: string; details?: unknown; requestId?: string } };

/** A failed API call: the server's status, code and message (or status 0 when the server wasn't reached). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly requestId?: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Runs a call and, when the server answers `status`, replaces its message with one the screen words better. */
export async function withMessageFor<T>(status: number, message: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ApiError && err.status === status) throw new ApiError(status, err.code, message, err.requestId, err.details);
    throw err;
  }
}

export type ApiRequestInit = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** sent as JSON unless it is FormData, a Blob or a string */
  body?: unknown;
  headers?: Record<string, string>;
  /** e.g. an ETag for optimistic concurrency */
  ifMatch?: string;
  signal?: AbortSignal;
};

export type ApiClient = {
  request<T>(path: string, init?: ApiRequestInit): Promise<T>;
  get<T>(path: string, init?: Omit<ApiRequestInit, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, init?: Omit<ApiRequestInit, 'method' | 'body'>): Promise<T>;
  put<T>(path: string, body?: unknown, init?: Omit<ApiRequestInit, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body?: unknown, init?: Omit<ApiRequestInit, 'method' | 'body'>): Promise<T>;
  delete<T = void>(path: string, init?: Omit<ApiRequestInit, 'method' | 'body'>): Promise<T>;
};

function isErrorBody(value: unknown): value is ErrorBody {
  if (!value || typeof value !== 'object' || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return !!e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string';
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try { body = await res.json(); } catch { body = undefined; }
  if (isErrorBody(body)) {
    const e = body.error;
    return new ApiError(res.status, typeof e.code === 'string' ? e.code : 'error', e.message, e.requestId ?? res.headers.get('x-request-id') ?? undefined, e.details);
  }
  return new ApiError(res.status, 'http_error', `${res.status} ${res.statusText || 'error'}`.trim(), res.headers.get('x-request-id') ?? undefined);
}

/** Unauthenticated JSON GET (e.g. /api/client-config), same error handling. */
export async function fetchPublicJson<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal: init.signal });
  } catch (err) {
    throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

/** Fetches with the bearer token; on 401 signs in again once and retries; errors become ApiErrors. */
export function createApiClient(auth: Authenticator): ApiClient {
  async function send(path: string, init: ApiRequestInit, token: string): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers, authorization: `Bearer ${token}` };
    let body: BodyInit | undefined;
    if (init.body instanceof FormData || init.body instanceof Blob || typeof init.body === 'string') body = init.body;
    else if (init.body !== undefined) { body = JSON.stringify(init.body); headers['content-type'] = 'application/json'; }
    if (init.ifMatch) headers['if-match'] = init.ifMatch;
    try {
      return await fetch(path, { method: init.method ?? 'GET', headers, body, signal: init.signal });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err));
    }
  }

  async function request<T>(path: string, init: ApiRequestInit = {}): Promise<T> {
    let res = await send(path, init, await auth.token());
    if (res.status === 401) {
      const fresh = await auth.renew();
      if (fresh) res = await send(path, init, fresh);
    }
    if (!res.ok) throw await errorFrom(res);
    auth.accepted();
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  return {
    request,
    get: (path, init) => request(path, { ...init, method: 'GET' }),
    post: (path, body, init) => request(path, { ...init, method: 'POST', body }),
    put: (path, body, init) => request(path, { ...init, method: 'PUT', body }),
    patch: (path, body, init) => request(path, { ...init, method: 'PATCH', body }),
    delete: (path, init) => request(path, { ...init, method: 'DELETE' }),
  };
}
