import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpError } from '../http/errors.js';
import type { Identity } from './identity.js';

export type TokenValidatorOptions = {
  /** issuer with `{tenantid}` standing for the token's tid, as Entra multi-tenant apps validate it */
  issuerTemplate: string;
  jwksUrl: string;
  audiences: string[];
  allowedTenants?: string[];
  clockToleranceSeconds?: number;
  /** for tests: a key set instead of the remote one */
  keySet?: JWTVerifyGetKey;
};

export type TokenValidator = (token: string) => Promise<Identity>;

const invalid = (message: string) => new HttpError(401, 'invalid_token', message);

const tenantIdPattern = /^[0-9a-fA-F-]{32,40}$/;

/** Validates signature (RS256 via JWKS), audience, expiry, issuer (per tenant) and the claims an identity needs. */
export function createTokenValidator(opts: TokenValidatorOptions): TokenValidator {
  if (opts.audiences.length === 0) throw new Error('createTokenValidator: at least one audience is required (AUTH_AUDIENCE or CLIENT_ID)');
  const keySet = opts.keySet ?? createRemoteJWKSet(new URL(opts.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 3_600_000 });
  const allowed = new Set(opts.allowedTenants ?? []);
  return async (token: string) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        audience: opts.audiences,
        algorithms: ['RS256'],
        clockTolerance: opts.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iss', 'aud'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw invalid('The token has expired. Sign in again.');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') throw invalid('The token was issued for another application (audience mismatch).');
      if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) throw invalid('The token signature is not valid.');
      if (err instanceof joseErrors.JOSEError) throw invalid(`The token is not valid: ${err.message}`);
      throw err;
    }
    const tenantId = typeof payload.tid === 'string' ? payload.tid : '';
    if (!tenantIdPattern.test(tenantId)) throw invalid('The token has no valid tenant (tid) claim.');
    const expectedIssuer = opts.issuerTemplate.replace('{tenantid}', tenantId);
    if (payload.iss !== expectedIssuer) throw invalid('The token was issued by an untrusted issuer.');
    if (allowed.size > 0 && !allowed.has(tenantId)) throw new HttpError(403, 'tenant_not_allowed', 'This organization is not allowed to use this deployment.');
    const userId = typeof payload.oid === 'string' ? payload.oid : '';
    if (!userId) throw invalid('The token has no user (oid) claim.');
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      tenantId,
      userId,
      name: str(payload.name),
      upn: str(payload.preferred_username) || str(payload.upn),
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [],
      scopes: str(payload.scp).split(' ').filter(Boolean),
      token,
    };
  };
}
