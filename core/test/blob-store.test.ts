import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BlobStorage } from '../src/store/blob-store.js';
import { HttpError } from '../src/http/errors.js';

const tenantA = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const tenantB = { tenantId: '11111111-1111-1111-1111-111111111111' };

describe('tenant-scoped blob store (Azurite)', function () {
  let storage: BlobStorage;

  before(function () {
    storage = new BlobStorage(process.env.STORAGE_CONNECTION_STRING!, `s${randomBytes(3).toString('hex')}`);
  });

  it('round-trips bytes with their content type and etag, under the tenant id', async function () {
    const a = storage.forTenant(tenantA).container('pics');
    const etag = await a.put('img1/v1/full', Buffer.from('abc'), 'image/png');
    const got = await a.get('img1/v1/full');
    assert.deepEqual([got?.data.toString(), got?.contentType, got?.etag], ['abc', 'image/png', etag]);
    const raw = (await storage.container('pics')).getBlobClient(`${tenantA.tenantId}/img1/v1/full`);
    assert.equal(await raw.exists(), true);
    assert.equal(await a.get('img1/v1/missing'), undefined);
    await assert.rejects(a.put('img1/v1/full', Buffer.from('x'), 'image/png', { ifNoneExists: true }), (err: HttpError) => err.status === 412);
  });

  it('never shows tenant A blobs to tenant B, by name, by listing or by deleting', async function () {
    const a = storage.forTenant(tenantA).container('pics');
    const b = storage.forTenant(tenantB).container('pics');
    await a.put('secret/1', Buffer.from('A only'), 'text/plain');
    assert.equal(await b.get('secret/1'), undefined);
    const listed: string[] = [];
    for await (const name of b.list()) listed.push(name);
    assert.deepEqual(listed, []);
    assert.equal(await b.delete('secret/1'), false);
    assert.equal(await b.deleteAll(), 0);
    assert.equal((await a.get('secret/1'))?.data.toString(), 'A only');
  });

  it('refuses names that could climb out of the tenant, and bad tenant ids', async function () {
    const b = storage.forTenant(tenantB).container('pics');
    for (const name of [`../${tenantA.tenantId}/secret/1`, 'a/../../x', '/abs', '', 'a//b', 'a/./b', 'sp ace', 'a?b', 'a#b', 'a\\b']) {
      await assert.rejects(b.get(name), (err: HttpError) => err.status === 400, name);
      await assert.rejects(b.put(name, Buffer.from('x'), 'text/plain'), (err: HttpError) => err.status === 400, name);
    }
    assert.throws(() => storage.forTenant({ tenantId: 'a/b' }), (err: HttpError) => err.status === 400);
    assert.throws(() => storage.forTenant({ tenantId: '' }), (err: HttpError) => err.status === 400);
  });

  it('deletes by prefix, and erases one tenant\'s blobs of every kind for offboarding', async function () {
    const a = storage.forTenant(tenantA);
    const b = storage.forTenant(tenantB);
    for (const name of ['x/1/full', 'x/1/thumb', 'x/2/full', 'y/1/full']) await a.container('album').put(name, Buffer.from(name), 'text/plain');
    await a.container('other').put('z', Buffer.from('z'), 'text/plain');
    await b.container('album').put('x/1/full', Buffer.from('B'), 'text/plain');
    assert.equal(await a.container('album').deleteAll('x/1/'), 2);
    const left: string[] = [];
    for await (const name of a.container('album').list()) left.push(name);
    assert.deepEqual(left.sort(), ['x/2/full', 'y/1/full']);
    assert.equal(await a.eraseAll(['album', 'other']), 3);
    assert.equal(await a.container('other').get('z'), undefined);
    assert.equal((await b.container('album').get('x/1/full'))?.data.toString(), 'B', 'tenant B kept its blobs');
  });
});
