import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HttpError } from '../src/http/errors.js';
import { SystemLease } from '../src/store/system-lease.js';
import { TableStorage } from '../src/store/table-store.js';

type Setting = { retentionDays: number };
type Counter = { n: number };

const tenantA = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const tenantB = { tenantId: '11111111-1111-1111-1111-111111111111' };
const tenantC = { tenantId: '22222222-2222-2222-2222-222222222222' };

describe('table store: read-modify-write, idempotent deletes and system-job helpers (Azurite)', function () {
  let storage: TableStorage;

  before(function () {
    storage = new TableStorage(process.env.STORAGE_CONNECTION_STRING!, `j${randomBytes(3).toString('hex')}`);
  });

  it('mutate: concurrent read-modify-writes all land (ETag retries), and undefined leaves the row alone', async function () {
    const table = storage.forTenant(tenantA).table<Counter>('counters');
    await Promise.all(Array.from({ length: 10 }, () => table.mutate('p', 'c', (current) => ({ n: (current?.n ?? 0) + 1 }))));
    assert.equal((await table.require('p', 'c')).n, 10);
    const before = await table.require('p', 'c');
    assert.equal(await table.mutate('p', 'c', () => undefined), undefined);
    assert.equal((await table.require('p', 'c')).etag, before.etag);
    const written = await table.mutate('p', 'c', (current) => ({ n: current!.n * 2 }));
    assert.equal(written?.n, 20);
    assert.equal(written?.etag, (await table.require('p', 'c')).etag);

    // a row the caller already knows is written without a read; a stale one loses the race and is read again
    const next = await table.mutate('p', 'c', (current) => ({ n: current!.n + 1 }), { known: written });
    assert.equal(next?.n, 21);
    const fromStale = await table.mutate('p', 'c', (current) => ({ n: current!.n + 1 }), { known: written });
    assert.equal(fromStale?.n, 22, 'computed from the row as stored, not from the stale one');
    assert.equal((await table.require('p', 'c')).n, 22);
  });

  it('deleteRows skips rows already gone, so two deleters may run at once', async function () {
    const table = storage.forTenant(tenantA).table<Counter>('many');
    const keys = Array.from({ length: 150 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    await table.batch('p', keys.map((rowKey, n) => ({ kind: 'create' as const, rowKey, data: { n } })));
    await table.delete('p', 'r120'); // gone before the second chunk: a plain batch would fail with 404
    await assert.rejects(table.batch('p', [{ kind: 'delete', rowKey: 'r120' }]), (err: unknown) => err instanceof HttpError && err.status === 404);
    await Promise.all([table.deleteRows('p', keys), table.deleteRows('p', keys)]);
    assert.deepEqual(await table.listAll('p'), []);
  });

  it('lists the tenants that have rows in a table, optionally filtered, across tenants (system jobs only)', async function () {
    await storage.forTenant(tenantA).table<Setting>('settings').upsert('settings', 'settings', { retentionDays: 30 });
    await storage.forTenant(tenantB).table<Setting>('settings').upsert('settings', 'settings', { retentionDays: 0 });
    await storage.forTenant(tenantC).table<Setting>('settings').upsert('settings', 'settings', { retentionDays: 7 });
    assert.deepEqual(await storage.listTenantsForSystemJob('settings'), [tenantA.tenantId, tenantB.tenantId, tenantC.tenantId]);
    assert.deepEqual(await storage.listTenantsForSystemJob('settings', { filter: 'retentionDays gt 0' }), [tenantA.tenantId, tenantC.tenantId]);
    assert.deepEqual(await storage.listTenantsForSystemJob('emptykind'), []);
  });

  it('a system lease goes to one holder at a time, lapses by itself, and renews only for its holder', async function () {
    const a = new SystemLease(storage, 'sweep', 'process-a');
    const b = new SystemLease(storage, 'sweep', 'process-b');
    const [gotA, gotB] = await Promise.all([a.tryAcquire(60_000), b.tryAcquire(60_000)]);
    assert.equal(Number(gotA) + Number(gotB), 1, 'exactly one of two racing processes gets it');
    const [holder, other] = gotA ? [a, b] : [b, a];
    assert.equal(await other.tryAcquire(60_000), false);
    assert.equal(await other.renew(60_000), false, 'only the holder renews');
    assert.equal(await holder.renew(60_000), true);
    assert.equal(await holder.tryAcquire(60_000), false, 'held: not free even for its holder (one run per lease)');
    await holder.release();
    assert.equal(await other.tryAcquire(50), true, 'free once released');
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(await holder.tryAcquire(60_000), true, 'a lapsed lease is free');
    assert.equal(await new SystemLease(storage, 'another').tryAcquire(60_000), true, 'leases are per name');
  });
});
