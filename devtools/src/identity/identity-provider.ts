import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { findUser, sampleTenants } from '../seed/tenants.js';

/** Graph application permissions the suite's app registration holds (what client_credentials tokens carry). */
export const graphAppRoles = [
  'User.Read.All', 'Group.Read.All', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'TeamMember.Read.All',
  'Presence.ReadWrite.All', 'OnlineMeetings.ReadWrite.All', 'TeamsActivity.Send', 'Sites.ReadWrite.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All', 'AppCatalog.Read.All',
];

/** Delegated Graph scopes consented for the suite (what `.default` expands to in an on-behalf-of exchange). */
export const graphDelegatedScopes = [
  'User.Read', 'User.ReadBasic.All', 'Group.Read.All', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'TeamMember.Read.All',
  'Presence.ReadWrite', 'OnlineMeetings.ReadWrite', 'TeamsActivity.Send', 'Sites.ReadWrite.All',
];

export const graphResource = 'https://graph.microsoft.com';

export type UserTokenRequest = {
  /** oid or UPN of a seed user */
  userId: string;
  audience: string;
  expiresInSeconds?: number;
  scopes?: string[];
  /** the client the token was issued to; defaults to the audience, as for a tab's SSO token */
  azp?: string;
};

export type AppTokenRequest = {
  tenantId: string;
  audience: string;
  roles: string[];
  clientId?: string;
  expiresInSeconds?: number;
};

/** A stable GUID derived from a name, so each tenant's service principal keeps the same object id across runs. */
function stableGuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function servicePrincipalId(tenantId: string): string {
  return stableGuid(`teamspro-dev-service-principal:${tenantId}`);
}

/** Entra's `sub` is pairwise: the same user has a different sub for each app. */
function pairwiseSubject(oid: string, audience: string): string {
  return createHash('sha256').update(`${oid}:${audience}`).digest('base64url').slice(0, 43);
}

/**
 * Local stand-in for Microsoft Entra ID's token issuance: RS256 tokens, one signing key, per-tenant issuers
 * shaped like Entra's v2.0 issuers so validating code differs only in its issuer base URL and JWKS URL.
 */
export class IdentityProvider {
  private keySet?: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    readonly baseUrl: string,
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK & { kid: string },
  ) {}

  static async create(baseUrl: string): Promise<IdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return new IdentityProvider(baseUrl.replace(/\/+$/, ''), privateKey, { ...jwk, kid, alg: 'RS256', use: 'sig' });
  }

  issuerFor(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/v2.0`;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  async issueUserToken({ userId, audience, expiresInSeconds = 3600, scopes = ['access_as_user'], azp }: UserTokenRequest): Promise<string> {
    const found = findUser(userId);
    if (!found) throw new Error(`unknown user: ${userId}`);
    const { tenant, user } = found;
    const claims: JWTPayload = {
      tid: tenant.id,
      oid: user.id,
      name: user.displayName,
      preferred_username: user.userPrincipalName,
      scp: scopes.join(' '),
      ver: '2.0',
      azp: azp ?? audience,
      uti: randomUUID(),
    };
    // Entra leaves the claim out when the user holds no app role.
    if (user.roles.length > 0) claims.roles = [...user.roles];
    return this.sign(claims, tenant.id, audience, pairwiseSubject(user.id, audience), expiresInSeconds);
  }

  async issueAppToken({ tenantId, audience, roles, clientId = 'teamspro-dev-client', expiresInSeconds = 3600 }: AppTokenRequest): Promise<string> {
    if (!sampleTenants.some((t) => t.id === tenantId)) throw new Error(`unknown tenant: ${tenantId}`);
    const oid = servicePrincipalId(tenantId);
    const claims: JWTPayload = { tid: tenantId, oid, idtyp: 'app', roles: [...roles], ver: '2.0', azp: clientId, uti: randomUUID() };
    return this.sign(claims, tenantId, audience, oid, expiresInSeconds);
  }

  /** Verifies a token this provider issued for the tenant (signature, issuer, lifetime). Throws otherwise. */
  async verify(token: string, tenantId: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, (this.keySet ??= createLocalJWKSet(this.jwks())), { issuer: this.issuerFor(tenantId), algorithms: ['RS256'] });
    return payload;
  }

  private async sign(claims: JWTPayload, tenantId: string, audience: string, subject: string, expiresInSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.publicJwk.kid })
      .setIssuer(this.issuerFor(tenantId))
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(this.privateKey);
  }
}
