import assert from 'node:assert/strict';
import type { TableStorage } from '@teamspro/core';
import type { RecipientRow } from '../src/store/recipient-store.js';
import { SendClaimStore } from '../src/store/send-claim-store.js';
import { freshStorage } from './helpers/storage.js';

const scope = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const other = { tenantId: '11111111-1111-1111-1111-111111111111' };
const row = (key: string, claimSeq?: number, partition = 'm1~00'): RecipientRow => ({
  kind: 'user', name: key, status: 'queued', retries: 0, partition, rowKey: key, etag: '*', ...(claimSeq === undefined ? {} : { claimSeq }),
});

describe('Company Communicator: send claims, one record per recipient shard (Azurite)', function () {
  let storage: TableStorage;
  // two processes: each store keeps its own cache of the records it wrote
  let first: SendClaimStore;
  let second: SendClaimStore;

  beforeEach(function () {
    storage = freshStorage('c');
    first = new SendClaimStore(storage);
    second = new SendClaimStore(storage);
  });

  it('lets each send be claimed once: a second claim of any row in a group fails whole with 409', async function () {
    await first.claim(scope, [{ row: row('a'), locale: 'fr-FR' }, { row: row('b') }]);
    await assert.rejects(second.claim(scope, [{ row: row('c') }, { row: row('b') }]), (err: any) => err.status === 409);
    await assert.rejects(first.claim(scope, [{ row: row('a') }]), (err: any) => err.status === 409, 'its own cache knows the claim too');
    const found = await second.current(scope, [row('a'), row('b'), row('c')]);
    assert.deepEqual([...found.keys()].sort(), ['a', 'b'], 'c was not claimed: the group failed whole');
    assert.equal(found.get('a')!.locale, 'fr-FR');
    assert.ok(found.get('a')!.shardClaimedAt, 'when the shard last claimed, for the grace before judging a row in doubt');
  });

  it('claims a row handed back to the queue anew (its next claim number), and an older claim does not count as current', async function () {
    await first.claim(scope, [{ row: row('a') }]);
    assert.equal((await second.current(scope, [row('a', 1)])).size, 0, 'claim 0 is not the current send of a row at claimSeq 1');
    await second.claim(scope, [{ row: row('a', 1) }]);
    await assert.rejects(first.claim(scope, [{ row: row('a', 1) }]), (err: any) => err.status === 409, 'a stale cache reads the record again and finds the claim');
    await assert.rejects(first.claim(scope, [{ row: row('a', 0) }]), (err: any) => err.status === 409, 'an older claim number cannot be claimed again');
  });

  it('keeps claims of different groups of one shard made at the same time by two processes, and other shards apart', async function () {
    const groups = Array.from({ length: 6 }, (_, g) => Array.from({ length: 25 }, (_, i) => ({ row: row(`r${g}-${i}`) })));
    await Promise.all(groups.map((group, g) => (g % 2 ? first : second).claim(scope, group)));
    const all = groups.flat().map((c) => c.row);
    assert.equal((await first.current(scope, all)).size, 150, 'every write that lost a race read the record again instead of overwriting it');
    assert.equal((await first.current(scope, [row('r0-0', 0, 'm1~01')])).size, 0, 'another shard has its own record');
    assert.equal((await first.current(other, all)).size, 0, 'another tenant sees none of them');
  });

  it('deletes a message\'s claim records, all shards, and leaves other messages\' alone', async function () {
    await first.claim(scope, [{ row: row('a', 0, 'm1~00') }]);
    await first.claim(scope, [{ row: row('a', 0, 'm1~01') }]);
    await first.claim(scope, [{ row: row('a', 0, 'm2~00') }]);
    await second.deleteMessage(scope, 'm1');
    await second.deleteMessage(scope, 'm1');
    assert.equal((await second.current(scope, [row('a', 0, 'm1~00'), row('a', 0, 'm1~01')])).size, 0);
    assert.equal((await second.current(scope, [row('a', 0, 'm2~00')])).size, 1);
    // the store that deleted them forgot its cache too: the send can be claimed again
    await second.claim(scope, [{ row: row('a', 0, 'm1~00') }]);
  });
});
