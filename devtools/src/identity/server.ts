import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { findUser, sampleTenants } from '../seed/tenants.js';
import { errorPage, signInPage, type AuthorizeParams } from './html.js';
import { IdentityProvider } from './identity-provider.js';
import { handleTokenRequest } from './token-endpoint.js';

export type RunningIdentityProvider = { url: string; idp: IdentityProvider; stop: () => Promise<void> };

const tokenLifetime = 3600;
const openIdScopes = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Only loopback redirect URIs: this provider must never hand a token to another machine. */
function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function sendError(req: Request, res: Response, status: number, error: string, description: string): void {
  if (req.accepts(['html', 'json']) === 'json') res.status(status).json({ error, error_description: description });
  else res.status(status).type('html').send(errorPage('Sign-in failed', description));
}

/** `api://localhost/<client>/access_as_user` → `access_as_user`; OpenID scopes are not access-token scopes. */
function scopeNames(scope: string): string[] {
  const names = scope.split(/\s+/).filter((s) => s && !openIdScopes.has(s)).map((s) => s.slice(s.lastIndexOf('/') + 1));
  return names.length > 0 ? names : ['access_as_user'];
}

async function completeSignIn(idp: IdentityProvider, req: Request, res: Response, params: AuthorizeParams, userId: string): Promise<void> {
  if (!findUser(userId)) return sendError(req, res, 400, 'invalid_request', `Unknown user '${userId}'. Choose one of the sample users.`);
  const token = await idp.issueUserToken({ userId, audience: params.clientId, scopes: scopeNames(params.scope), expiresInSeconds: tokenLifetime });
  const target = new URL(params.redirectUri);
  target.hash = new URLSearchParams({ access_token: token, token_type: 'Bearer', expires_in: String(tokenLifetime), state: params.state }).toString();
  res.redirect(302, target.toString());
}

function authorizeParams(source: Record<string, unknown>): AuthorizeParams {
  return { clientId: str(source.client_id), redirectUri: str(source.redirect_uri), state: str(source.state), scope: str(source.scope) };
}

function invalidAuthorizeRequest(params: AuthorizeParams): string | undefined {
  if (!params.clientId) return 'The request must contain client_id.';
  if (!isLoopbackRedirect(params.redirectUri)) {
    return `redirect_uri '${params.redirectUri}' is not allowed: the dev identity provider only redirects to http://127.0.0.1:* or http://localhost:*.`;
  }
  return undefined;
}

function knownTenant(tenant: string): boolean {
  return tenant === 'common' || tenant === 'organizations' || sampleTenants.some((t) => t.id === tenant);
}

export function identityApp(idp: IdentityProvider): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  app.get('/discovery/v2.0/keys', (_req, res) => { res.json(idp.jwks()); });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const tenant = req.params.tenant;
    if (!knownTenant(tenant)) return sendError(req, res, 400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
    const base = idp.baseUrl;
    res.json({
      issuer: tenant === 'common' || tenant === 'organizations' ? `${base}/{tenantid}/v2.0` : idp.issuerFor(tenant),
      jwks_uri: `${base}/discovery/v2.0/keys`,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
      response_types_supported: ['token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
      claims_supported: ['iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'sub', 'name', 'preferred_username', 'roles', 'scp', 'azp', 'ver', 'idtyp'],
    });
  });

  const getAuthorize = async (req: Request, res: Response) => {
    const params = authorizeParams(req.query);
    const problem = invalidAuthorizeRequest(params);
    if (problem) return sendError(req, res, 400, 'invalid_request', problem);
    const hint = str(req.query.login_hint);
    if (hint) return completeSignIn(idp, req, res, params, hint);
    res.type('html').send(signInPage(params));
  };
  const postAuthorize = async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const params = authorizeParams(body);
    const problem = invalidAuthorizeRequest(params);
    if (problem) return sendError(req, res, 400, 'invalid_request', problem);
    const user = str(body.user);
    if (!user) return sendError(req, res, 400, 'invalid_request', 'Choose a user to sign in as.');
    return completeSignIn(idp, req, res, params, user);
  };
  // MSAL addresses the per-tenant authorize endpoint; both lead to the same page.
  app.get(['/authorize', '/:tenant/oauth2/v2.0/authorize'], getAuthorize);
  app.post(['/authorize', '/:tenant/oauth2/v2.0/authorize'], postAuthorize);

  app.post('/:tenant/oauth2/v2.0/token', async (req, res) => {
    if (!req.is('application/x-www-form-urlencoded')) {
      return res.status(400).json({ error: 'invalid_request', error_description: 'AADSTS900144: The request body must be application/x-www-form-urlencoded.' });
    }
    const form = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    const result = await handleTokenRequest(idp, req.params.tenant, form);
    res.status(result.status).set('Cache-Control', 'no-store').json(result.body);
  });

  app.use((req: Request, res: Response) => sendError(req, res, 404, 'not_found', `No such endpoint: ${req.method} ${req.path}`));
  return app;
}

/** Starts the identity provider on 127.0.0.1; `port` 0 lets the OS choose. */
export async function startIdentityProvider({ port = 0 }: { port?: number } = {}): Promise<RunningIdentityProvider> {
  // Listen first: the issuer URLs inside every token need the port the OS picked.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp = await IdentityProvider.create(url);
  server.on('request', identityApp(idp));
  return {
    url,
    idp,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
