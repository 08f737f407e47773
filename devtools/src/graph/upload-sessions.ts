import { randomBytes } from 'node:crypto';
import { GraphError } from './errors.js';
import { itemJson, putFile, type ConflictBehavior, type Drive, type IdentitySet } from './drive-store.js';
import type { SandboxState } from './state.js';
import { json, noContent, type GraphResponse } from './types.js';

export type UploadSession = {
  id: string;
  tenantId: string;
  driveId: string;
  parentId: string;
  name: string;
  conflict: ConflictBehavior;
  by: IdentitySet;
  expiresAt: number;
  total: number | null;
  chunks: Buffer[];
  received: number;
};

const sessionLifetimeMs = 24 * 3600_000;
/** Graph refuses fragments of 60 MiB or more. */
export const maxFragmentBytes = 60 * 1024 * 1024;

export function createUploadSession(state: SandboxState, origin: string, fields: Pick<UploadSession, 'tenantId' | 'driveId' | 'parentId' | 'name' | 'conflict' | 'by'>): GraphResponse {
  const session: UploadSession = { ...fields, id: randomBytes(24).toString('base64url'), expiresAt: Date.now() + sessionLifetimeMs, total: null, chunks: [], received: 0 };
  state.uploadSessions.set(session.id, session);
  return json(200, {
    '@odata.context': `${origin}/v1.0/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: `${origin}/_upload/${session.id}`,
    expirationDateTime: new Date(session.expiresAt).toISOString(),
    nextExpectedRanges: ['0-'],
  });
}

function status(session: UploadSession): Record<string, unknown> {
  return { expirationDateTime: new Date(session.expiresAt).toISOString(), nextExpectedRanges: [`${session.received}-`] };
}

function fail(status: number, code: string, message: string): never {
  throw new GraphError(status, code, message);
}

export function liveSession(state: SandboxState, id: string): UploadSession | undefined {
  const session = state.uploadSessions.get(id);
  if (session && session.expiresAt < Date.now()) state.uploadSessions.delete(id);
  return state.uploadSessions.get(id);
}

/**
 * Handles a request to an upload URL: PUT a byte range (in order, `Content-Range: bytes a-b/total`),
 * GET the session status, or DELETE to cancel. The URL itself is the credential, as in Graph.
 * Throws GraphError for the caller to turn into Graph's error body.
 */
export function handleUploadRequest(state: SandboxState, origin: string, sessionId: string, method: string, headers: Record<string, string>, body: Buffer): GraphResponse {
  const session = liveSession(state, sessionId);
  if (!session) fail(404, 'itemNotFound', 'The upload session was not found or has expired.');
  if (method === 'GET') return json(200, status(session));
  if (method === 'DELETE') {
    state.uploadSessions.delete(session.id);
    return noContent();
  }
  if (method !== 'PUT') fail(405, 'invalidRequest', `${method} is not allowed on an upload URL.`);

  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers['content-range'] ?? '');
  if (!range) fail(400, 'invalidRequest', "The Content-Range header must be 'bytes {start}-{end}/{total}'.");
  const [start, end, total] = range.slice(1).map(Number) as [number, number, number];
  if (end < start || end >= total) fail(400, 'invalidRange', `Invalid Content-Range ${start}-${end}/${total}.`);
  if (end - start + 1 !== body.length) fail(400, 'invalidRequest', `Content-Range declares ${end - start + 1} bytes but the body has ${body.length}.`);
  if (body.length >= maxFragmentBytes) fail(413, 'requestEntityTooLarge', 'Fragments must be smaller than 60 MiB.');
  if (session.total !== null && session.total !== total) fail(400, 'invalidRange', `The total size changed from ${session.total} to ${total}.`);
  if (start !== session.received) {
    fail(416, 'invalidRange', `Fragments must arrive in order: expected bytes ${session.received}-, got ${start}-${end}.`);
  }
  session.total = total;
  session.chunks.push(Buffer.from(body));
  session.received = end + 1;
  if (session.received < total) return json(202, status(session));

  state.uploadSessions.delete(session.id);
  const drive: Drive | undefined = state.tenants.get(session.tenantId)?.drives.get(session.driveId);
  if (!drive || !drive.items.has(session.parentId)) fail(404, 'itemNotFound', 'The target folder no longer exists.');
  try {
    const { item, created } = putFile(drive, session.parentId, session.name, Buffer.concat(session.chunks), undefined, session.conflict, session.by);
    return json(created ? 201 : 200, itemJson(origin, drive, item));
  } catch (err) {
    const e = err as { status?: number; code?: string; message: string };
    fail(e.status ?? 500, e.code ?? 'generalException', e.message);
  }
}
