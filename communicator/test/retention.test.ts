import assert from 'node:assert/strict';
import type { TenantScope } from '@teamspro/core';
import { draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import type { MessageStatus } from '../src/api/contract.js';
import { servicesFor, type Services } from '../src/services.js';
import { shardCountFor } from '../src/store/recipient-store.js';

const tenantA = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const tenantB = { tenantId: '11111111-1111-1111-1111-111111111111' };
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();

/** A message as the send pipeline leaves it: the message row, `recipients` recipient rows, counters, one feedback. */
async function message(s: Services, scope: TenantScope, topicId: string, status: MessageStatus, at: string, recipients = 2): Promise<string> {
  // rows spread over shard partitions as the pipeline lays them out (150 rows: 2 shards)
  const row = await s.messages.create(scope, { ...draftInput(topicId), layout: 'standard', status, createdBy: 'test', createdAt: at, editedAt: at, ...(status === 'draft' ? {} : { sendAt: at, recipientShards: shardCountFor(recipients) }) } as never);
  const id = row.rowKey;
  await s.recipients.createMissing(scope, id, Array.from({ length: recipients }, (_, i) => ({ key: `u${i}`, data: { kind: 'user' as const, name: `User ${i}`, status: 'sent' as const, retries: 0 } })));
  await s.counters.add(scope, id, 'u0', { sent: recipients });
  await s.feedback.mutate(scope, id, 'u0', () => ({ name: 'User 0', recipientKey: 'u0', acknowledged: true, at }));
  return id;
}

async function gone(s: Services, scope: TenantScope, id: string): Promise<boolean> {
  return !(await s.messages.get(scope, id))
    && (await s.recipients.listAll(scope, id)).length === 0
    && (await s.counters.totals(scope, id)).meta === undefined && Object.keys((await s.counters.totals(scope, id)).sums).length === 0
    && (await s.feedback.list(scope, id)).length === 0;
}

describe('Company Communicator: retention on a timer', function () {
  let h: Harness;
  let s: Services;
  const ids: Record<string, string> = {};

  before(async function () {
    // the sweep runs every second here (hourly by default)
    h = await startHarness({ options: { retentionIntervalMs: 1000 } });
    s = servicesFor(h.server.ctx, {});
    const topicA = (await h.as(users.megan).post('/topics', { name: 'HR' })).body.id;
    const topicB = (await h.as(users.bianca).post('/topics', { name: 'Fabrikam' })).body.id;
    // tenant B keeps everything (retention 0), tenant A 30 days; both have settings rows
    assert.equal((await h.as(users.bianca).put('/settings', { authors: [], retentionDays: 0 })).status, 200);
    ids.bOld = await message(s, tenantB, topicB, 'sent', daysAgo(400));
    ids.aOld = await message(s, tenantA, topicA, 'sent', daysAgo(40), 150);
    ids.aOldCanceled = await message(s, tenantA, topicA, 'canceled', daysAgo(31));
    ids.aRecent = await message(s, tenantA, topicA, 'sent', daysAgo(5));
    ids.aOldDraft = await message(s, tenantA, topicA, 'draft', daysAgo(90), 0);
    assert.equal((await h.as(users.alex).put('/settings', { authors: [], retentionDays: 30 })).status, 200);
  });

  after(async function () { await h?.stop(); });

  it('erases messages older than the tenant\'s retention, with their report, without any API call', async function () {
    await eventually(async () => ((await gone(s, tenantA, ids.aOld!)) && (await gone(s, tenantA, ids.aOldCanceled!)) ? true : undefined), 'the timer to sweep tenant A', 20_000);
  });

  it('keeps recent messages and drafts, and every message of a tenant without retention', async function () {
    assert.ok(await s.messages.get(tenantA, ids.aRecent!), 'a message sent 5 days ago stays');
    assert.equal((await s.recipients.listAll(tenantA, ids.aRecent!)).length, 2);
    assert.ok(await s.messages.get(tenantA, ids.aOldDraft!), 'drafts are not swept');
    assert.ok(await s.messages.get(tenantB, ids.bOld!), 'tenant B (retention 0) keeps its 400-day-old message');
    assert.equal((await s.recipients.listAll(tenantB, ids.bOld!)).length, 2);
    assert.equal((await s.feedback.list(tenantB, ids.bOld!)).length, 1);
  });

  it('is safe when sweeps overlap (two processes): all of them finish and the message is gone', async function () {
    const topic = (await h.as(users.megan).get('/topics')).body[0].id;
    const old = await message(s, tenantA, topic, 'sent', daysAgo(60), 250);
    // Promise.all rejects if any sweep fails (e.g. a batch delete of rows the other sweep removed first)
    const [first, second] = await Promise.all([s.retention.sweep(tenantA), s.retention.sweep(tenantA), s.retention.sweepAll()]);
    assert.ok(first + second >= 1, 'one of them found the expired message');
    assert.ok(await gone(s, tenantA, old));
    assert.ok(await s.messages.get(tenantA, ids.aRecent!));
  });
});
