import type { RequestHandler, Response } from 'express';
import { forbidden, HttpError } from '../http/errors.js';
import type { Identity } from './identity.js';
import type { TokenValidator } from './token-validator.js';

/** Rejects requests without a valid bearer token (401) and puts the identity on res.locals. */
export function authenticate(validate: TokenValidator): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(new HttpError(401, 'unauthorized', 'Sign in first: the request has no bearer token.'));
    }
    validate(match[1]!).then((identity) => {
      res.locals.identity = identity;
      next();
    }, (err: unknown) => {
      if (err instanceof HttpError && err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      next(err);
    });
  };
}

export function identityOf(res: Response): Identity {
  const identity = res.locals.identity as Identity | undefined;
  if (!identity) throw new HttpError(401, 'unauthorized', 'Sign in first.');
  return identity;
}

/** 403 unless the caller holds one of the roles. */
export function requireRole(...roles: string[]): RequestHandler {
  return (_req, res, next) => {
    const identity = identityOf(res);
    next(roles.some((r) => identity.roles.includes(r)) ? undefined : forbidden(`This needs one of these roles: ${roles.join(', ')}.`));
  };
}
