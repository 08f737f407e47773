import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { IdentityProvider, servicePrincipalId, startIdentityProvider, type RunningIdentityProvider } from '../src/identity/index.js';
import { signInUsers, tenantA, tenantB } from '../src/seed/tenants.js';

const clientId = 'c0ffee00-0000-0000-0000-000000000001';
const graph = 'https://graph.microsoft.com';

describe('identity provider (local Entra ID stand-in)', () => {
  let running: RunningIdentityProvider;
  const alex = tenantA.users[0]!;
  const megan = tenantA.users[1]!;
  const bianca = tenantB.users[0]!;

  before(async () => { running = await startIdentityProvider(); });
  after(async () => { await running.stop(); });

  const jwks = () => createRemoteJWKSet(new URL(`${running.url}/discovery/v2.0/keys`));

  async function token(tenant: string, form: Record<string, string>) {
    const res = await fetch(`${running.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  function obo(tenant: string, assertion: string, scope = `${graph}/User.Read ${graph}/Presence.Read.All`) {
    return token(tenant, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: clientId, client_secret: 'dev-secret',
      assertion, scope, requested_token_use: 'on_behalf_of',
    });
  }

  async function authorizeWithHint(hint: string, redirectUri = 'http://127.0.0.1:5173/auth-end') {
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state: 'xyz', login_hint: hint });
    return fetch(`${running.url}/authorize?${query}`, { redirect: 'manual' });
  }

  it('publishes an OpenID configuration whose issuer and JWKS validate its user tokens', async () => {
    const config = (await (await fetch(`${running.url}/${tenantA.id}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    assert.equal(config.issuer, `${running.url}/${tenantA.id}/v2.0`);
    assert.equal(config.jwks_uri, `${running.url}/discovery/v2.0/keys`);
    assert.equal(config.token_endpoint, `${running.url}/${tenantA.id}/oauth2/v2.0/token`);
    assert.equal(config.authorization_endpoint, `${running.url}/authorize`);

    const jwt = await running.idp.issueUserToken({ userId: alex.userPrincipalName, audience: clientId });
    const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(config.jwks_uri!)), { issuer: config.issuer, audience: clientId });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.tid, tenantA.id);
    assert.equal(payload.oid, alex.id);
    assert.equal(payload.name, alex.displayName);
    assert.equal(payload.preferred_username, alex.userPrincipalName);
    assert.deepEqual(payload.roles, alex.roles);
    assert.equal(payload.scp, 'access_as_user');
    assert.equal(payload.ver, '2.0');
    assert.equal(payload.azp, clientId);
    assert.ok(typeof payload.sub === 'string' && payload.sub.length > 0);
    assert.ok(payload.nbf! <= payload.iat! && payload.exp! - payload.iat! === 3600);
  });

  it('rejects its tokens for the wrong audience or the wrong tenant issuer', async () => {
    const jwt = await running.idp.issueUserToken({ userId: bianca.id, audience: clientId });
    await assert.rejects(jwtVerify(jwt, jwks(), { issuer: running.idp.issuerFor(tenantB.id), audience: 'someone-else' }), /aud/);
    await assert.rejects(jwtVerify(jwt, jwks(), { issuer: running.idp.issuerFor(tenantA.id), audience: clientId }), /iss/);
    const { payload } = await jwtVerify(jwt, jwks(), { issuer: running.idp.issuerFor(tenantB.id), audience: clientId });
    assert.equal(payload.tid, tenantB.id);
  });

  it('redirects at once with a token for the login_hint user (by UPN or oid) and the right tenant', async () => {
    for (const user of [megan, bianca]) {
      for (const hint of [user.userPrincipalName, user.id]) {
        const res = await authorizeWithHint(hint);
        assert.equal(res.status, 302);
        const location = new URL(res.headers.get('location')!);
        assert.equal(`${location.origin}${location.pathname}`, 'http://127.0.0.1:5173/auth-end');
        const fragment = new URLSearchParams(location.hash.slice(1));
        assert.equal(fragment.get('token_type'), 'Bearer');
        assert.equal(fragment.get('expires_in'), '3600');
        assert.equal(fragment.get('state'), 'xyz');
        const expectedTenant = user === bianca ? tenantB.id : tenantA.id;
        const { payload } = await jwtVerify(fragment.get('access_token')!, jwks(), { issuer: running.idp.issuerFor(expectedTenant), audience: clientId });
        assert.equal(payload.oid, user.id);
        assert.equal(payload.tid, expectedTenant);
      }
    }
  });

  it('serves an accessible sign-in page listing the named users by tenant, and signs in from its form', async () => {
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: 'http://localhost:3000/cb', state: 's1' });
    const res = await fetch(`${running.url}/authorize?${query}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<main>/);
    assert.match(html, /<h1>Dev sign-in — not for production<\/h1>/);
    for (const { tenant, user } of signInUsers()) {
      assert.ok(html.includes(tenant.displayName), tenant.displayName);
      assert.ok(html.includes(`value="${user.id}">Sign in as ${user.displayName}`), user.displayName);
    }
    assert.ok(!html.includes('staff001@'), 'generated staff are not listed');
    const tenantAHeading = html.indexOf(tenantA.displayName);
    const tenantBHeading = html.indexOf(tenantB.displayName);
    assert.ok(html.indexOf(`Sign in as ${alex.displayName}`) > tenantAHeading && html.indexOf(`Sign in as ${alex.displayName}`) < tenantBHeading);
    assert.ok(html.indexOf(`Sign in as ${bianca.displayName}`) > tenantBHeading);

    const post = await fetch(`${running.url}/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, redirect_uri: 'http://localhost:3000/cb', state: 's1', scope: '', user: bianca.id }),
    });
    assert.equal(post.status, 302);
    const fragment = new URLSearchParams(new URL(post.headers.get('location')!).hash.slice(1));
    assert.equal(fragment.get('state'), 's1');
    const claims = decodeJwt(fragment.get('access_token')!);
    assert.equal(claims.oid, bianca.id);
    assert.equal(claims.aud, clientId);
  });

  it('refuses non-loopback redirect URIs and unknown users', async () => {
    for (const redirect of ['https://evil.example/cb', 'http://192.168.1.10:3000/cb', 'http://127.0.0.1.evil.example/cb', 'javascript:alert(1)']) {
      const res = await authorizeWithHint(alex.userPrincipalName, redirect);
      assert.equal(res.status, 400, redirect);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /only redirects to http:\/\/127\.0\.0\.1/);
    }
    const post = await fetch(`${running.url}/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: clientId, redirect_uri: 'https://evil.example/cb', state: '', user: alex.id }),
    });
    assert.equal(post.status, 400);
    assert.equal(((await post.json()) as { error: string }).error, 'invalid_request');

    const unknown = await authorizeWithHint('nobody@example.com');
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Unknown user/);
  });

  it('issues app-only Graph tokens for client_credentials', async () => {
    const { status, body } = await token(tenantB.id, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'dev-secret', scope: `${graph}/.default` });
    assert.equal(status, 200);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    const { payload } = await jwtVerify(body.access_token!, jwks(), { issuer: running.idp.issuerFor(tenantB.id), audience: graph });
    assert.equal(payload.idtyp, 'app');
    assert.equal(payload.tid, tenantB.id);
    assert.equal(payload.oid, servicePrincipalId(tenantB.id));
    assert.notEqual(servicePrincipalId(tenantA.id), servicePrincipalId(tenantB.id));
    assert.equal(payload.scp, undefined);
    assert.ok(Array.isArray(payload.roles) && (payload.roles as string[]).includes('Group.Read.All'));

    const noDefault = await token(tenantB.id, { grant_type: 'client_credentials', client_id: clientId, client_secret: 'x', scope: `${graph}/User.Read` });
    assert.equal(noDefault.status, 400);
    assert.equal(noDefault.body.error, 'invalid_scope');
    const noSecret = await token(tenantB.id, { grant_type: 'client_credentials', client_id: clientId, scope: `${graph}/.default` });
    assert.equal(noSecret.status, 401);
    assert.equal(noSecret.body.error, 'invalid_client');
  });

  it('exchanges a user token on behalf of the user for Graph, keeping oid and tid', async () => {
    const assertion = await running.idp.issueUserToken({ userId: megan.id, audience: clientId });
    const { status, body } = await obo(tenantA.id, assertion);
    assert.equal(status, 200);
    const { payload } = await jwtVerify(body.access_token!, jwks(), { issuer: running.idp.issuerFor(tenantA.id), audience: graph });
    assert.equal(payload.oid, megan.id);
    assert.equal(payload.tid, tenantA.id);
    assert.equal(payload.name, megan.displayName);
    assert.equal(payload.scp, 'User.Read Presence.Read.All');
    assert.equal(payload.azp, clientId);
    assert.equal(payload.idtyp, undefined);
  });

  it('refuses on-behalf-of assertions signed by another key, expired, for another tenant or another client', async () => {
    const impostor = await IdentityProvider.create(running.url);
    const forged = await impostor.issueUserToken({ userId: megan.id, audience: clientId });
    const forgedResult = await obo(tenantA.id, forged);
    assert.equal(forgedResult.status, 400);
    assert.equal(forgedResult.body.error, 'invalid_grant');

    const expired = await running.idp.issueUserToken({ userId: megan.id, audience: clientId, expiresInSeconds: -60 });
    const expiredResult = await obo(tenantA.id, expired);
    assert.equal(expiredResult.status, 400);
    assert.equal(expiredResult.body.error, 'invalid_grant');

    const tenantBUserToken = await running.idp.issueUserToken({ userId: bianca.id, audience: clientId });
    const mismatch = await obo(tenantA.id, tenantBUserToken);
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.error, 'invalid_grant');

    const otherClient = await running.idp.issueUserToken({ userId: megan.id, audience: 'another-client' });
    const otherResult = await obo(tenantA.id, otherClient);
    assert.equal(otherResult.status, 400);
    assert.equal(otherResult.body.error, 'invalid_grant');
  });

  it('answers unknown grant types and missing parameters like Entra', async () => {
    const unsupported = await token(tenantA.id, { grant_type: 'password', client_id: clientId, client_secret: 'x' });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.body.error, 'unsupported_grant_type');
    const noAssertion = await token(tenantA.id, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: clientId, client_secret: 'x', scope: 'User.Read', requested_token_use: 'on_behalf_of' });
    assert.equal(noAssertion.status, 400);
    assert.equal(noAssertion.body.error, 'invalid_request');
    assert.ok(noAssertion.body.error_description);
  });
});
