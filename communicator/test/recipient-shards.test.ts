import assert from 'node:assert/strict';
import type { TableStorage } from '@teamspro/core';
import { MessageStore } from '../src/store/message-store.js';
import { messageIdOf, RecipientStore, recipientShardOf, shardCountFor, type RecipientRecord } from '../src/store/recipient-store.js';
import { Tables } from '../src/store/tables.js';
import { freshStorage } from './helpers/storage.js';

const scope = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const other = { tenantId: '11111111-1111-1111-1111-111111111111' };
const recipient = (i: number): RecipientRecord => ({ kind: 'user', aadId: `user-${i}`, name: `User ${i}`, status: 'queued', retries: 0 });

describe('Company Communicator: recipient rows spread over shard partitions (Azurite)', function () {
  let storage: TableStorage;
  let messages: MessageStore;
  let recipients: RecipientStore;

  before(function () {
    storage = freshStorage('s');
    messages = new MessageStore(storage);
    recipients = new RecipientStore(storage);
  });

  async function messageWith(count: number, shards: number | undefined): Promise<string> {
    const now = new Date().toISOString();
    const row = await messages.create(scope, { topicId: 't', layout: 'standard', variants: [], audience: { kind: 'everyone' }, status: 'sending', createdBy: 'test', createdAt: now, editedAt: now, ...(shards ? { recipientShards: shards } : {}) } as never);
    await recipients.createMissing(scope, row.rowKey, Array.from({ length: count }, (_, i) => ({ key: `k${String(i).padStart(4, '0')}`, data: recipient(i) })));
    return row.rowKey;
  }

  it('sizes the layout to about a hundred rows a shard, a power of two up to 4,096', function () {
    assert.deepEqual([0, 1, 100, 101, 450, 10_000, 100_000, 1_000_000, 10_000_000].map(shardCountFor), [1, 1, 1, 2, 8, 128, 1024, 4096, 4096]);
  });

  it('writes a 1,000-recipient message into 16 partitions of about a hundred, and finds every row by message and key', async function () {
    const id = await messageWith(1000, shardCountFor(1000));
    const byPartition = new Map<string, number>();
    for await (const row of storage.forTenant(scope).table<RecipientRecord>(Tables.recipients).listFamily(id)) byPartition.set(row.partition, (byPartition.get(row.partition) ?? 0) + 1);
    assert.equal(byPartition.size, 16);
    assert.ok(Math.max(...byPartition.values()) < 120, `largest shard ${Math.max(...byPartition.values())}`);
    assert.ok([...byPartition.keys()].every((p) => p.startsWith(`${id}~`)));

    const row = await recipients.get(scope, id, 'k0421');
    assert.equal(row?.name, 'User 421');
    assert.equal(messageIdOf(row!), id);
    const shardKeys = Array.from({ length: 1000 }, (_, i) => `k${String(i).padStart(4, '0')}`).filter((k) => recipientShardOf(k, 16) === 3);
    assert.deepEqual((await recipients.getMany(scope, id, shardKeys)).map((r) => r.rowKey).sort(), shardKeys);
    const mutated = await recipients.mutate(scope, id, 'k0421', (c) => c && { ...c, status: 'sent' });
    assert.equal((await recipients.get(scope, id, 'k0421'))?.status, 'sent');
    assert.equal(mutated?.partition, row!.partition);
    assert.equal((await recipients.listAll(scope, id)).length, 1000);
    assert.deepEqual((await recipients.listAll(scope, id, "status eq 'sent'")).map((r) => r.rowKey), ['k0421']);
  });

  it('keeps a transaction inside one shard, and resumes a listing behind any row', async function () {
    const id = await messageWith(300, 4);
    const all = await recipients.listAll(scope, id);
    const [a, b] = [all[0]!, all[all.length - 1]!];
    assert.notEqual(a.partition, b.partition);
    assert.throws(() => recipients.batchUpdate(scope, [{ row: a, data: recipient(0) }, { row: b, data: recipient(1) }]), /one shard/);
    const rest: string[] = [];
    for await (const row of recipients.list(scope, id, undefined, { partition: all[149]!.partition, rowKey: all[149]!.rowKey })) rest.push(row.rowKey);
    assert.deepEqual(rest, all.slice(150).map((r) => r.rowKey));
  });

  it('still reads a message written in one partition (no layout recorded), and erases either layout whole', async function () {
    const legacy = await messageWith(5, undefined);
    assert.equal((await recipients.get(scope, legacy, 'k0003'))?.partition, legacy);
    const sharded = await messageWith(250, shardCountFor(250));
    await recipients.deleteMessage(scope, legacy);
    await recipients.deleteMessage(scope, sharded);
    assert.equal((await recipients.listAll(scope, legacy)).length, 0);
    assert.equal((await recipients.listAll(scope, sharded)).length, 0);
  });

  it('shows another tenant none of the rows, by key or by listing', async function () {
    const id = await messageWith(150, 2);
    assert.equal(await recipients.get(other, id, 'k0001'), undefined);
    assert.equal((await recipients.listAll(other, id)).length, 0);
  });
});
