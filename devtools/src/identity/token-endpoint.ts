import { decodeJwt } from 'jose';
import { sampleTenants } from '../seed/tenants.js';
import { graphAppRoles, graphDelegatedScopes, graphResource, type IdentityProvider } from './identity-provider.js';

export type TokenResult =
  | { status: 200; body: { token_type: 'Bearer'; access_token: string; expires_in: number; scope?: string } }
  | { status: 400 | 401; body: { error: string; error_description: string } };

const lifetime = 3600;
const oboGrant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** OpenID scopes ask for an id token or refresh token; Entra leaves them out of an access token's scp. */
const openIdScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

function fail(status: 400 | 401, error: string, description: string): TokenResult {
  return { status, body: { error, error_description: description } };
}

/** Splits `https://graph.microsoft.com/User.Read` into resource and scope; a bare scope means Graph, as in Entra. */
function parseScope(scope: string): { resource: string; name: string } {
  const slash = scope.lastIndexOf('/');
  if (/^(https?|api):\/\//.test(scope) && slash > scope.indexOf('//') + 1) return { resource: scope.slice(0, slash), name: scope.slice(slash + 1) };
  return { resource: graphResource, name: scope };
}

function isGraph(resource: string): boolean {
  return resource === graphResource || resource === '00000003-0000-0000-c000-000000000000';
}

/** Handles POST /{tenant}/oauth2/v2.0/token for client_credentials and on-behalf-of grants. */
export async function handleTokenRequest(idp: IdentityProvider, tenant: string, form: Record<string, string | undefined>): Promise<TokenResult> {
  const grantType = form.grant_type;
  if (!grantType) return fail(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
  if (!form.client_id) return fail(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'client_id'.");
  if (!form.client_secret) return fail(401, 'invalid_client', "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  const scopes = (form.scope ?? '').split(/\s+/).filter(Boolean);

  if (grantType === 'client_credentials') {
    if (!sampleTenants.some((t) => t.id === tenant)) return fail(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found. client_credentials needs a tenant id.`);
    const [scope] = scopes;
    if (scopes.length !== 1 || !scope!.endsWith('/.default')) {
      return fail(400, 'invalid_scope', "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
    }
    const { resource } = parseScope(scope!);
    const audience = isGraph(resource) ? graphResource : resource;
    const token = await idp.issueAppToken({ tenantId: tenant, audience, roles: isGraph(resource) ? graphAppRoles : [], clientId: form.client_id, expiresInSeconds: lifetime });
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: lifetime } };
  }

  if (grantType === oboGrant) {
    if (form.requested_token_use !== 'on_behalf_of') return fail(400, 'invalid_request', "AADSTS900144: 'requested_token_use' must be 'on_behalf_of'.");
    if (!form.assertion) return fail(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'assertion'.");
    if (scopes.length === 0) return fail(400, 'invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'.");
    const tenantOfAssertion = tenantClaim(form.assertion);
    const multiTenantPath = tenant === 'common' || tenant === 'organizations';
    if (!tenantOfAssertion || (!multiTenantPath && tenantOfAssertion !== tenant)) {
      return fail(400, 'invalid_grant', `AADSTS50013: Assertion failed signature validation or was issued for another tenant than '${tenant}'.`);
    }
    let assertion;
    try {
      assertion = await idp.verify(form.assertion, tenantOfAssertion);
    } catch (err) {
      return fail(400, 'invalid_grant', `AADSTS50013: Assertion failed signature validation. [Reason - ${(err as Error).message}]`);
    }
    if (assertion.idtyp === 'app' || typeof assertion.oid !== 'string') return fail(400, 'invalid_grant', 'AADSTS50013: An on-behalf-of assertion must be a user token.');
    const aud = String(assertion.aud);
    if (aud !== form.client_id && !aud.endsWith(`/${form.client_id}`)) {
      return fail(400, 'invalid_grant', `AADSTS50013: Assertion audience '${aud}' does not match the client app '${form.client_id}' requesting the token.`);
    }
    const parsed = scopes.filter((s) => !openIdScopes.has(s)).map(parseScope);
    const resources = new Set(parsed.map((p) => p.resource));
    if (resources.size !== 1) return fail(400, 'invalid_scope', 'AADSTS28000: The scopes must all be for one resource.');
    const [resource] = resources;
    const names = parsed.flatMap((p) => (p.name === '.default' ? (isGraph(resource!) ? graphDelegatedScopes : ['access_as_user']) : [p.name]));
    const token = await idp.issueUserToken({
      userId: assertion.oid, audience: isGraph(resource!) ? graphResource : resource!, scopes: names, azp: form.client_id, expiresInSeconds: lifetime,
    });
    return { status: 200, body: { token_type: 'Bearer', access_token: token, expires_in: lifetime, scope: names.join(' ') } };
  }

  return fail(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${grantType}'.`);
}

/** The tid claim without verifying; verification against that tenant's issuer follows. */
function tenantClaim(jwt: string): string | undefined {
  try {
    const { tid } = decodeJwt(jwt);
    return typeof tid === 'string' ? tid : undefined;
  } catch {
    return undefined;
  }
}
