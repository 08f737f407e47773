import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TableStorage } from '../src/store/table-store.js';
import { HttpError } from '../src/http/errors.js';

type Note = { title: string; tags: string[]; count: number };

const tenantA = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const tenantB = { tenantId: '11111111-1111-1111-1111-111111111111' };

describe('tenant-scoped table store (Azurite)', function () {
  let storage: TableStorage;

  before(function () {
    storage = new TableStorage(process.env.STORAGE_CONNECTION_STRING!, `s${randomBytes(3).toString('hex')}`);
  });

  it('round-trips rows, keeping arrays and objects, and prefixes partition keys with the tenant', async function () {
    const notes = storage.forTenant(tenantA).table<Note>('notes');
    await notes.create('book1', 'n1', { title: 'Hello', tags: ['a', 'b'], count: 2 });
    const row = await notes.require('book1', 'n1');
    assert.deepEqual({ title: row.title, tags: row.tags, count: row.count }, { title: 'Hello', tags: ['a', 'b'], count: 2 });
    assert.equal(row.partition, 'book1');
    const raw = await (await storage.client('notes')).getEntity(`${tenantA.tenantId}|book1`, 'n1');
    assert.equal(raw.partitionKey, `${tenantA.tenantId}|book1`);
  });

  it('never shows tenant A rows to tenant B, by key, by partition or across the tenant', async function () {
    const a = storage.forTenant(tenantA).table<Note>('notes');
    const b = storage.forTenant(tenantB).table<Note>('notes');
    await a.upsert('shared-name', 'secret', { title: 'A only', tags: [], count: 1 });
    assert.equal(await b.get('shared-name', 'secret'), undefined);
    assert.deepEqual(await b.listAll('shared-name'), []);
    const everythingB: unknown[] = [];
    for await (const row of b.listTenant()) everythingB.push(row);
    assert.deepEqual(everythingB, []);
    await b.delete('shared-name', 'secret');
    assert.equal((await a.require('shared-name', 'secret')).title, 'A only');
  });

  it('lists a family of shard partitions in order, resumes behind a row, and stays inside the family and the tenant', async function () {
    const a = storage.forTenant(tenantA).table<Note>('family');
    const b = storage.forTenant(tenantB).table<Note>('family');
    const note = (title: string) => ({ title, tags: [], count: 0 });
    await a.create('msg1~01', 'r2', note('1/2'));
    await a.create('msg1~00', 'r9', note('0/9'));
    await a.create('msg1~01', 'r1', note('1/1'));
    await a.create('msg1', 'legacy', note('plain'));
    await a.create('msg10~00', 'x', note('another id sharing the prefix'));
    await a.create('msg2~00', 'x', note('neighbour'));
    await b.create('msg1~00', 'r0', note('tenant B'));
    const titles = async (opts: Parameters<typeof a.listFamily>[1] = {}, prefix = 'msg1~') => {
      const out: string[] = [];
      for await (const row of a.listFamily(prefix, opts)) out.push(row.title);
      return out;
    };
    assert.deepEqual(await titles(), ['0/9', '1/1', '1/2']);
    assert.deepEqual(await titles({ after: { partition: 'msg1~00', rowKey: 'r9' } }), ['1/1', '1/2']);
    assert.deepEqual(await titles({ after: { partition: 'msg1~01', rowKey: 'r1' } }), ['1/2']);
    assert.deepEqual(await titles({ filter: "title eq '1/2'" }), ['1/2']);
    const seenByB: string[] = [];
    for await (const row of b.listFamily('msg1~')) seenByB.push(row.title);
    assert.deepEqual(seenByB, ['tenant B']);
  });

  it('refuses keys that could escape the tenant prefix', async function () {
    const a = storage.forTenant(tenantA).table<Note>('notes');
    for (const bad of ['x|y', 'a/b', 'q?', 'h#', '']) {
      await assert.rejects(a.get(bad, 'r'), (err: unknown) => err instanceof HttpError && err.status === 400, bad);
    }
    assert.throws(() => storage.forTenant({ tenantId: `${tenantA.tenantId}|other` }), HttpError);
  });

  it('uses ETags: a stale update gets 412 and leaves the row as the winner wrote it', async function () {
    const a = storage.forTenant(tenantA).table<Note>('notes');
    await a.create('book2', 'n', { title: 'v1', tags: [], count: 1 });
    const first = await a.require('book2', 'n');
    await a.update('book2', 'n', { title: 'v2', tags: [], count: 2 }, first.etag);
    await assert.rejects(a.update('book2', 'n', { title: 'stale', tags: [], count: 9 }, first.etag), (err: unknown) => err instanceof HttpError && err.status === 412);
    assert.equal((await a.require('book2', 'n')).title, 'v2');
    await assert.rejects(a.create('book2', 'n', { title: 'dup', tags: [], count: 0 }), (err: unknown) => err instanceof HttpError && err.status === 409);
  });

  it('writes batches over 100 rows in transactions of 100, and erases a whole tenant', async function () {
    const a = storage.forTenant(tenantA).table<Note>('bulk');
    const b = storage.forTenant(tenantB).table<Note>('bulk');
    await a.batch('p', Array.from({ length: 250 }, (_, i) => ({ kind: 'upsert' as const, rowKey: String(i).padStart(4, '0'), data: { title: `n${i}`, tags: [], count: i } })));
    await b.upsert('p', 'keep', { title: 'B', tags: [], count: 0 });
    const rows = await a.listAll('p');
    assert.equal(rows.length, 250);
    assert.equal(rows[0]!.rowKey, '0000');
    assert.equal(await storage.forTenant(tenantA).eraseAll(['bulk']), 250);
    assert.deepEqual(await a.listAll('p'), []);
    assert.equal((await b.require('p', 'keep')).title, 'B');
  });

  it('leaves nothing written when one operation of a batch fails', async function () {
    const a = storage.forTenant(tenantA).table<Note>('atomic');
    await a.create('p', 'exists', { title: 'x', tags: [], count: 0 });
    await assert.rejects(a.batch('p', [
      { kind: 'create', rowKey: 'new1', data: { title: 'y', tags: [], count: 0 } },
      { kind: 'create', rowKey: 'exists', data: { title: 'z', tags: [], count: 0 } },
    ]));
    assert.equal(await a.get('p', 'new1'), undefined);
  });
});
