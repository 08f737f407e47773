import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.js';

/** An error that becomes an HTTP response with the uniform body `{ error: { status, code, message, details?, requestId } }`. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this.') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Not found.') => new HttpError(404, 'not_found', message);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);
export const preconditionFailed = (message = 'The item was changed by someone else; reload it and try again.') => new HttpError(412, 'precondition_failed', message);
export const payloadTooLarge = (message: string) => new HttpError(413, 'payload_too_large', message);

export type ErrorBody = { error: { status: number; code: string; message: string; details?: unknown; requestId?: string } };

function requestIdOf(res: { locals: Record<string, unknown> }): string | undefined {
  return typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined;
}

/** Maps express/body-parser errors and HttpErrors to the uniform body; anything else is a 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let status = 500;
    let code = 'internal_error';
    let message = 'Something went wrong on our side. Try again; if it keeps failing, contact your administrator.';
    let details: unknown;
    if (err instanceof HttpError) {
      ({ status, code, message, details } = err);
    } else if (err && typeof err === 'object' && 'type' in err && typeof (err as { status?: unknown }).status === 'number') {
      // body-parser errors carry a type and a 4xx status
      const e = err as { status: number; type: string; message: string };
      status = e.status;
      code = e.type === 'entity.too.large' ? 'payload_too_large' : e.type === 'entity.parse.failed' ? 'malformed_json' : e.type.replace(/\W+/g, '_');
      message = e.type === 'entity.too.large' ? 'The request body is too large.' : e.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : e.message;
    }
    if (status >= 500) logger.error({ err, path: req.path, requestId: requestIdOf(res) }, 'request failed');
    else logger.debug({ status, code, path: req.path }, 'request rejected');
    const body: ErrorBody = { error: { status, code, message, ...(details === undefined ? {} : { details }), requestId: requestIdOf(res) } };
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => next(notFound(`No route for ${req.method} ${req.path}.`));
