import express, { type Request, type RequestHandler } from 'express';
import { badRequest } from './errors.js';

/** An uploaded file and the text fields that came with it. */
export type Upload = {
  /** the "name" field (form) or ?name= (raw body) */
  name?: string;
  /** the file's own name, from a multipart form */
  fileName?: string;
  data: Buffer;
  /** the declared content type (the form part's, or the request's for a raw body); never trusted for what the bytes are */
  type: string;
  /** every text field of the form, over the query string's parameters */
  fields: Record<string, string>;
};

export type UploadMessages = {
  /** the 400 message for an empty body */
  empty: string;
  /** the 400 message for a form without its file field */
  noFile: string;
};

/** Room for the multipart envelope (boundaries, part headers, text fields) around a file of the allowed size. */
export const multipartAllowance = 64 * 1024;

/** Buffers any request body up to `limitBytes` into req.body; a larger one gets 413 before it is read in full. */
export function rawUploadBody(limitBytes: number): RequestHandler {
  return express.raw({ type: () => true, limit: limitBytes });
}

function queryFields(req: Request): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query)) if (typeof value === 'string') fields[key] = value;
  return fields;
}

/**
 * The file from a multipart form (field "file" by default, plus its text fields) or a raw body (fields
 * from the query string). Needs the body buffered first (rawUploadBody). Size limits are the caller's.
 */
export async function readUpload(req: Request, messages: UploadMessages, fileField = 'file'): Promise<Upload> {
  const contentType = String(req.headers['content-type'] ?? '');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (body.length === 0) throw badRequest(messages.empty);
  const fields = queryFields(req);
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new globalThis.Request('http://upload.local/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData()
      .catch(() => { throw badRequest('The multipart form could not be read.'); });
    const file = form.get(fileField);
    if (!file || typeof file === 'string') throw badRequest(messages.noFile);
    for (const [key, value] of form.entries()) if (typeof value === 'string') fields[key] = value;
    return { name: fields.name, fileName: file.name, data: Buffer.from(await file.arrayBuffer()), type: file.type, fields };
  }
  return { name: fields.name, data: body, type: contentType.split(';')[0]!.trim(), fields };
}
