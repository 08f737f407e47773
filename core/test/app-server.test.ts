import assert from 'node:assert/strict';
import type { RunningAppServer } from '../src/host/app-server.js';
import { startAppForTest } from '../../devtools/src/harness/app-under-test.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { definition } from '../../contact/src/app.js';

describe('app host: health, identity and uniform errors', function () {
  let idp: RunningIdentityProvider;
  let server: RunningAppServer;
  const audience = 'api://localhost/contact';

  before(async function () {
    idp = await startIdentityProvider();
    server = await startAppForTest({
      ...definition,
      api: (router) => {
        router.post('/echo', (req, res) => { res.json({ got: req.body }); });
      },
    }, { DEV_IDENTITY_URL: idp.url, AUTH_AUDIENCE: audience });
  });

  after(async function () {
    await server?.stop();
    await idp?.stop();
  });

  const bearer = async (userId: string, aud = audience) => `Bearer ${await idp.idp.issueUserToken({ userId, audience: aud })}`;

  it('answers /healthz and /readyz (storage reachable)', async function () {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');
  });

  it('serves the privacy and terms pages the manifest links to', async function () {
    for (const page of ['privacy', 'terms']) {
      const res = await fetch(`${server.url}/${page}`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), new RegExp(`<h1>${definition.displayName}`));
    }
  });

  it('tells the tab how to sign in without a token', async function () {
    const res = await fetch(`${server.url}/api/client-config`);
    const body = (await res.json()) as { audience: string; devSignIn?: { authorizeUrl: string } };
    assert.equal(body.audience, audience);
    assert.equal(body.devSignIn?.authorizeUrl, `${idp.url}/authorize`);
  });

  it('returns the caller from the token, with tenant from tid', async function () {
    const res = await fetch(`${server.url}/api/me`, { headers: { authorization: await bearer('adelev@example.com') } });
    assert.equal(res.status, 200);
    const me = (await res.json()) as { tenantId: string; name: string; upn: string };
    assert.deepEqual([me.tenantId, me.name, me.upn], ['00000000-0000-0000-0000-0000000000001', 'Adele Vance', 'adelev@example.com']);
    const b = (await (await fetch(`${server.url}/api/me`, { headers: { authorization: await bearer('biancap@fabrikam.example') } })).json()) as { tenantId: string };
    assert.equal(b.tenantId, '11111111-1111-1111-1111-111111111111');
  });

  async function errorOf(res: Response) {
    const body = (await res.json()) as { error: { status: number; code: string; message: string; requestId: string } };
    assert.equal(body.error.status, res.status);
    assert.ok(body.error.message.length > 10, 'a readable message');
    assert.equal(body.error.requestId, res.headers.get('x-request-id'));
    return body.error;
  }

  it('gives 401 with the uniform body for no token, a token for another app, and a forged token', async function () {
    const none = await fetch(`${server.url}/api/me`);
    assert.equal(none.status, 401);
    assert.equal((await errorOf(none)).code, 'unauthorized');
    const otherApp = await fetch(`${server.url}/api/me`, { headers: { authorization: await bearer('meganb@example.com', 'api://localhost/calendar') } });
    assert.equal(otherApp.status, 401);
    assert.match((await errorOf(otherApp)).message, /audience/);
    const token = (await bearer('meganb@example.com')).slice(7);
    const forged = token.slice(0, -6) + (token.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${forged}` } });
    assert.equal(res.status, 401);
    assert.equal((await errorOf(res)).code, 'invalid_token');
  });

  it('gives 400 for malformed JSON and 413 for an oversized body, before any handler runs', async function () {
    const authorization = await bearer('meganb@example.com');
    const malformed = await fetch(`${server.url}/api/echo`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{"a":' });
    assert.equal(malformed.status, 400);
    assert.equal((await errorOf(malformed)).code, 'malformed_json');
    const big = await fetch(`${server.url}/api/echo`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(1_100_000) }) });
    assert.equal(big.status, 413);
    assert.equal((await errorOf(big)).code, 'payload_too_large');
  });

  it('gives 404 with the uniform body for unknown routes', async function () {
    const res = await fetch(`${server.url}/api/nothing-here`, { headers: { authorization: await bearer('meganb@example.com') } });
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).code, 'not_found');
  });
});
