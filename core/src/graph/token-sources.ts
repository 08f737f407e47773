import { ClientSecretCredential, OnBehalfOfCredential, ManagedIdentityCredential, ClientAssertionCredential, type TokenCredential } from '@azure/identity';
import type { Config } from '../config/config.js';
import type { Identity } from '../identity/identity.js';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** Where Graph access tokens come from: on behalf of a signed-in user, or as the app itself in a tenant. */
export interface GraphTokenSource {
  userToken(identity: Identity): Promise<string>;
  appToken(tenantId: string): Promise<string>;
}

type Cached = { token: string; expiresAt: number };

function cache() {
  const entries = new Map<string, Cached>();
  return async (key: string, fetchToken: () => Promise<Cached>): Promise<string> => {
    const hit = entries.get(key);
    if (hit && hit.expiresAt - 60_000 > Date.now()) return hit.token;
    const fresh = await fetchToken();
    entries.set(key, fresh);
    return fresh.token;
  };
}

/** Tokens from the devtools identity provider, which speaks Entra's token endpoint (client credentials and OBO). */
export function devIdentityTokenSource(identityUrl: string, clientId: string): GraphTokenSource {
  const cached = cache();
  const request = async (tenantId: string, form: Record<string, string>): Promise<Cached> => {
    const res = await fetch(`${identityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      // the dev identity provider accepts any client secret, as a confidential client must send one
      body: new URLSearchParams({ client_id: clientId, client_secret: 'dev', scope: GRAPH_DEFAULT_SCOPE, ...form }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${body.error_description ?? ''}`);
    return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  };
  return {
    userToken: (identity) => cached(`user:${identity.tenantId}:${identity.userId}:${identity.token.slice(-16)}`, () => request(identity.tenantId, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: identity.token, requested_token_use: 'on_behalf_of',
    })),
    appToken: (tenantId) => cached(`app:${tenantId}`, () => request(tenantId, { grant_type: 'client_credentials' })),
  };
}

/**
 * Tokens from Microsoft Entra ID through @azure/identity. With a managed identity, the app's Entra
 * registration trusts it as a federated credential, so no secret lives anywhere.
 */
export function entraTokenSource(config: Config): GraphTokenSource {
  const { clientId, clientSecret, managedIdentityClientId } = config.bot;
  if (!clientId) throw new Error('CLIENT_ID is required for Microsoft Graph');
  const cached = cache();
  const managedIdentity = managedIdentityClientId ? new ManagedIdentityCredential({ clientId: managedIdentityClientId }) : undefined;
  const assertion = async () => (await managedIdentity!.getToken('api://AzureADTokenExchange')).token;
  const appCredential = (tenantId: string): TokenCredential =>
    clientSecret ? new ClientSecretCredential(tenantId, clientId, clientSecret) : new ClientAssertionCredential(tenantId, clientId, assertion);
  const fromCredential = async (credential: TokenCredential): Promise<Cached> => {
    const token = await credential.getToken(GRAPH_DEFAULT_SCOPE);
    if (!token) throw new Error('Microsoft Entra ID returned no token');
    return { token: token.token, expiresAt: token.expiresOnTimestamp };
  };
  return {
    userToken: (identity) => cached(`user:${identity.tenantId}:${identity.userId}:${identity.token.slice(-16)}`, () => fromCredential(
      clientSecret
        ? new OnBehalfOfCredential({ tenantId: identity.tenantId, clientId, clientSecret, userAssertionToken: identity.token })
        : new OnBehalfOfCredential({ tenantId: identity.tenantId, clientId, getAssertion: assertion, userAssertionToken: identity.token }),
    )),
    appToken: (tenantId) => cached(`app:${tenantId}`, () => fromCredential(appCredential(tenantId))),
  };
}

/** A source that fails on use, for a server started without Graph credentials (bot-only tests, local runs without the identity provider). */
function unconfiguredTokenSource(): GraphTokenSource {
  const refuse = async (): Promise<string> => { throw new Error('Microsoft Graph is not configured: set DEV_IDENTITY_URL locally, or CLIENT_ID with CLIENT_SECRET or MANAGED_IDENTITY_CLIENT_ID'); };
  return { userToken: refuse, appToken: refuse };
}

export function graphTokenSourceFor(config: Config): GraphTokenSource {
  if (config.auth.devIdentityUrl) return devIdentityTokenSource(config.auth.devIdentityUrl, config.bot.clientId ?? config.auth.audiences[0] ?? 'dev-client');
  if (!config.bot.clientId) return unconfiguredTokenSource();
  return entraTokenSource(config);
}
