import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { GraphError } from './errors.js';
import type { Principal } from './types.js';

/** Graph accepts tokens for either of its identifiers. */
export const graphAudiences = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

const invalidToken = (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message);

/**
 * Validates bearer tokens like Graph does for Entra tokens: signature from the identity provider's JWKS,
 * issuer of the token's own tenant, Graph audience, lifetime. Unknown tenants are refused.
 */
export function createAuthenticator(identityUrl: string, knownTenant: (tid: string) => boolean) {
  const base = identityUrl.replace(/\/+$/, '');
  const jwks = createRemoteJWKSet(new URL(`${base}/discovery/v2.0/keys`));

  return async function authenticate(authorization: string | undefined): Promise<Principal> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) throw invalidToken('Access token is empty.');
    const token = m[1]!;
    let tid: unknown;
    try {
      tid = decodeJwt(token).tid;
    } catch {
      throw invalidToken('IDX14100: JWT is not well formed.');
    }
    if (typeof tid !== 'string' || !knownTenant(tid)) throw invalidToken('Access token validation failure. Invalid tenant.');
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: `${base}/${tid}/v2.0`, audience: graphAudiences, algorithms: ['RS256'] });
      const roles = Array.isArray(payload.roles) ? payload.roles.map(String) : [];
      const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
      const isApp = payload.idtyp === 'app' || scopes.length === 0;
      return { tenantId: tid, kind: isApp ? 'app' : 'user', oid: String(payload.oid ?? ''), scopes, roles };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw invalidToken('Lifetime validation failed, the token is expired.');
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') throw invalidToken('Access token validation failure. Invalid audience.');
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'iss') throw invalidToken('Access token validation failure. Invalid issuer.');
      if (err instanceof errors.JOSEError) throw invalidToken('Access token validation failure. Invalid signature.');
      throw invalidToken(`Access token validation failure. Signing keys unavailable: ${(err as Error).message}`);
    }
  };
}
