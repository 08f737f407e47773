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

  describe('an update that carries the row it read', function () {
    type Note = { status: string; n: number; note?: string };
    const fields = ({ status, n, note }: Note) => ({ status, n, note });

    it('stores exactly what a Replace stores when it sets every column the row had', async function () {
      const table = storage.forTenant(tenant).table<Note>('notes');
      for (const p of ['replaced', 'merged']) await table.batch(p, [{ kind: 'create', rowKey: 'r1', data: { status: 'queued', n: 1 } }]);
      const [replaced] = await table.listAll('replaced');
      const [merged] = await table.listAll('merged');
      await table.batch('replaced', [{ kind: 'update', rowKey: 'r1', data: { status: 'sent', n: 2, note: 'ok' }, etag: replaced!.etag }]);
      const etags = await table.batch('merged', [{ kind: 'update', rowKey: 'r1', data: { status: 'sent', n: 2, note: 'ok' }, etag: merged!.etag, read: merged! }]);
      const after = (await table.listAll('merged'))[0]!;
      assert.deepEqual(fields(after), fields((await table.listAll('replaced'))[0]!));
      assert.equal(after.etag, etags.get('r1'));
      assert.notEqual(after.etag, merged!.etag);
    });

    it('goes as a Merge then: a column the read row did not show is kept', async function () {
      const table = storage.forTenant(tenant).table<Note>('notes');
      await table.batch('m', [{ kind: 'create', rowKey: 'r1', data: { status: 'queued', n: 1, note: 'kept' } }]);
      const [row] = await table.listAll('m');
      const { note: _hidden, ...shown } = row!;
      await table.batch('m', [{ kind: 'update', rowKey: 'r1', data: { status: 'sent', n: 1 }, etag: row!.etag, read: shown }]);
      assert.deepEqual(fields((await table.listAll('m'))[0]!), { status: 'sent', n: 1, note: 'kept' });
    });

    it('goes as a Replace when it leaves out a column the row had: the column is gone', async function () {
      const table = storage.forTenant(tenant).table<Note>('notes');
      await table.batch('d', [{ kind: 'create', rowKey: 'r1', data: { status: 'failed', n: 1, note: 'timeout' } }]);
      const [row] = await table.listAll('d');
      await table.batch('d', [{ kind: 'update', rowKey: 'r1', data: { status: 'queued', n: 1 }, etag: row!.etag, read: row! }]);
      assert.deepEqual(fields((await table.listAll('d'))[0]!), { status: 'queued', n: 1, note: undefined });
    });

    it('is refused whole with 412 when one row changed since it was read, and changes nothing', async function () {
      const table = storage.forTenant(tenant).table<Note>('notes');
      await table.batch('c', [1, 2, 3].map((i) => ({ kind: 'create' as const, rowKey: `r${i}`, data: { status: 'queued', n: i } })));
      const rows = await table.listAll('c');
      await table.update('c', 'r3', { status: 'sent', n: 3 }, rows[2]!.etag);
      await assert.rejects(
        table.batch('c', rows.map((r) => ({ kind: 'update' as const, rowKey: r.rowKey, data: { status: 'sending', n: r.n, note: 'x' }, etag: r.etag, read: r }))),
        (err: unknown) => err instanceof HttpError && err.status === 412,
      );
      assert.deepEqual((await table.listAll('c')).map(fields), [
        { status: 'queued', n: 1, note: undefined }, { status: 'queued', n: 2, note: undefined }, { status: 'sent', n: 3, note: undefined },
      ]);
    });
  });
});
