import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenValidator, type TokenValidator } from '../src/identity/token-validator.js';
import { HttpError } from '../src/http/errors.js';

const tenantA = '00000000-0000-0000-0000-0000000000001';
const audience = 'api://localhost/contact';

/** A JWKS endpoint over HTTP, so validation goes through jose's remote key set as in production. */
async function serveJwks(jwk: JWK) {
  const server = http.createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: [jwk] })); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('token validation', function () {
  let key: CryptoKey;
  let otherKey: CryptoKey;
  let jwks: { url: string; close(): Promise<void> };
  let validate: TokenValidator;
  const issuerBase = 'http://127.0.0.1:4200';

  const sign = (claims: Record<string, unknown>, opts: { key?: CryptoKey; expiresIn?: string | number; kid?: string } = {}) =>
    new SignJWT({ tid: tenantA, oid: 'user-oid-1', name: 'Megan Bowen', preferred_username: 'meganb@example.com', roles: ['Author'], scp: 'access_as_user', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuer(`${issuerBase}/${(claims.tid as string) ?? tenantA}/v2.0`)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '1h')
      .sign(opts.key ?? key);

  before(async function () {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    jwks = await serveJwks({ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' });
    validate = createTokenValidator({ issuerTemplate: `${issuerBase}/{tenantid}/v2.0`, jwksUrl: `${jwks.url}/keys`, audiences: [audience] });
  });

  after(async function () { await jwks.close(); });

  async function rejection(token: string): Promise<HttpError> {
    try {
      await validate(token);
    } catch (err) {
      assert.ok(err instanceof HttpError);
      return err;
    }
    assert.fail('token was accepted');
  }

  it('accepts a valid token and takes tenant from tid and user from oid', async function () {
    const identity = await validate(await sign({}));
    assert.equal(identity.tenantId, tenantA);
    assert.equal(identity.userId, 'user-oid-1');
    assert.equal(identity.upn, 'meganb@example.com');
    assert.deepEqual(identity.roles, ['Author']);
    assert.deepEqual(identity.scopes, ['access_as_user']);
  });

  it('rejects a forged signature with 401', async function () {
    const err = await rejection(await sign({}, { key: otherKey }));
    assert.equal(err.status, 401);
    assert.match(err.message, /signature/);
  });

  it('rejects a tampered payload with 401', async function () {
    const [h, p, s] = (await sign({})).split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.tid = '11111111-1111-1111-1111-111111111111';
    const err = await rejection([h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.'));
    assert.equal(err.status, 401);
  });

  it('rejects the wrong audience with 401', async function () {
    const token = await new SignJWT({ tid: tenantA, oid: 'u' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`${issuerBase}/${tenantA}/v2.0`).setAudience('api://localhost/another-app').setIssuedAt().setExpirationTime('1h').sign(key);
    const err = await rejection(token);
    assert.equal(err.status, 401);
    assert.match(err.message, /audience/);
  });

  it('rejects an expired token with 401', async function () {
    const err = await rejection(await sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 }));
    assert.equal(err.status, 401);
    assert.match(err.message, /expired/);
  });

  it('rejects a wrong issuer with 401, including an issuer of another tenant than tid', async function () {
    const foreign = await new SignJWT({ tid: tenantA, oid: 'u' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://evil.example/issuer').setAudience(audience).setIssuedAt().setExpirationTime('1h').sign(key);
    assert.equal((await rejection(foreign)).status, 401);
    const mismatched = await new SignJWT({ tid: tenantA, oid: 'u' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`${issuerBase}/11111111-1111-1111-1111-111111111111/v2.0`).setAudience(audience).setIssuedAt().setExpirationTime('1h').sign(key);
    const err = await rejection(mismatched);
    assert.equal(err.status, 401);
    assert.match(err.message, /issuer/);
  });

  it('rejects a token without tenant or user', async function () {
    assert.equal((await rejection(await sign({ tid: undefined }))).status, 401);
    assert.equal((await rejection(await sign({ oid: undefined }))).status, 401);
  });

  it('rejects garbage and unsigned tokens', async function () {
    assert.equal((await rejection('not.a.token')).status, 401);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ tid: tenantA, oid: 'u', aud: audience })).toString('base64url')}.`;
    assert.equal((await rejection(unsigned)).status, 401);
  });

  it('refuses tenants outside the allow list with 403', async function () {
    const restricted = createTokenValidator({ issuerTemplate: `${issuerBase}/{tenantid}/v2.0`, jwksUrl: `${jwks.url}/keys`, audiences: [audience], allowedTenants: ['11111111-1111-1111-1111-111111111111'] });
    await assert.rejects(restricted(await sign({})), (err: unknown) => err instanceof HttpError && err.status === 403);
  });
});
