import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TableStorage } from '../src/store/table-store.js';
import { HttpError } from '../src/http/errors.js';

type Item = { status: string; n: number };
const tenant = { tenantId: '00000000-0000-0000-0000-0000000000001' };

describe('conditional batch writes (Azurite)', function () {
  let storage: TableStorage;

  before(function () {
    storage = new TableStorage(process.env.STORAGE_CONNECTION_STRING!, `b${randomBytes(3).toString('hex')}`);
  });

  it('updates rows whose ETags match, all at once, and returns their new ETags', async function () {
    const table = storage.forTenant(tenant).table<Item>('items');
    await table.batch('p', [1, 2, 3].map((i) => ({ kind: 'create' as const, rowKey: `r${i}`, data: { status: 'queued', n: i } })));
    const rows = await table.listAll('p');
    const etags = await table.batch('p', rows.map((r) => ({ kind: 'update' as const, rowKey: r.rowKey, data: { status: 'sending', n: r.n }, etag: r.etag })));
    assert.deepEqual([...etags.keys()].sort(), ['r1', 'r2', 'r3']);
    // the returned ETags are the rows' current ones: a second conditional batch with them succeeds
    await table.batch('p', rows.map((r) => ({ kind: 'update' as const, rowKey: r.rowKey, data: { status: 'sent', n: r.n }, etag: etags.get(r.rowKey)! })));
    assert.deepEqual((await table.listAll('p')).map((r) => r.status), ['sent', 'sent', 'sent']);
  });

  it('refuses the whole batch with 412 when one row changed since it was read, and changes nothing', async function () {
    const table = storage.forTenant(tenant).table<Item>('items');
    await table.batch('q', [1, 2].map((i) => ({ kind: 'create' as const, rowKey: `r${i}`, data: { status: 'queued', n: i } })));
    const rows = await table.listAll('q');
    await table.update('q', 'r2', { status: 'sent', n: 2 }, rows[1]!.etag);
    await assert.rejects(
      table.batch('q', rows.map((r) => ({ kind: 'update' as const, rowKey: r.rowKey, data: { status: 'sending', n: r.n }, etag: r.etag }))),
      (err: unknown) => err instanceof HttpError && err.status === 412,
    );
    assert.deepEqual((await table.listAll('q')).map((r) => r.status), ['queued', 'sent']);
  });
});
