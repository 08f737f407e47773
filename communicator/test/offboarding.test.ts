import assert from 'node:assert/strict';
import { InstallationStore, type TenantScope } from '@teamspro/core';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';
import { servicesFor, type Services } from '../src/services.js';
import { allBlobKinds, allTables, Blobs } from '../src/store/tables.js';

const tenantA = { tenantId: '00000000-0000-0000-0000-0000000000001' };
const tenantB = { tenantId: '11111111-1111-1111-1111-111111111111' };

/** Every row and blob a tenant has, per table / blob kind (installations included). */
async function inventory(h: Harness, scope: TenantScope): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const tables = h.server.ctx.storage.forTenant(scope);
  for (const kind of [...allTables, 'installations']) {
    let n = 0;
    for await (const _row of tables.table(kind).listTenant()) n++;
    out[kind] = n;
  }
  for (const kind of allBlobKinds) {
    let n = 0;
    for await (const _name of h.server.ctx.blobs.forTenant(scope).container(kind).list()) n++;
    out[`blob:${kind}`] = n;
  }
  return out;
}

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** A tenant with something in every table: settings, topic, draft, sent message with its report, list, people, installs, an image. */
async function seed(h: Harness, s: Services, scope: TenantScope, admin: string, label: string) {
  const api = h.as(admin);
  const settings = await api.put('/settings', { authors: [`writer@${label}.example`], retentionDays: 365 });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const topic = (await api.post('/topics', { name: `${label} news` })).body;
  const draft = (await api.post('/drafts', draftInput(topic.id))).body;
  assert.ok(draft.id);
  const list = await api.post('/audiences/lists', `upn\nsomeone@${label}.example`, { 'content-type': 'text/csv' });
  assert.equal(list.status, 201, JSON.stringify(list.body));
  // a delivered message with recipients, counters and feedback, as the send pipeline leaves it
  const sent = await s.messages.create(scope, { ...draftInput(topic.id), layout: 'standard', status: 'sent', createdBy: admin, createdAt: new Date().toISOString(), editedAt: new Date().toISOString() } as never);
  await s.recipients.createMissing(scope, sent.rowKey, [{ key: 'u1', data: { kind: 'user', aadId: 'u1', name: 'One', status: 'sent', retries: 0, activityId: 'a1', conversationId: 'c1', serviceUrl: 'http://x' } }]);
  await s.counters.add(scope, sent.rowKey, 'u1', { sent: 1 });
  await s.feedback.mutate(scope, sent.rowKey, 'u1', () => ({ name: 'One', recipientKey: 'u1', reaction: 'like', at: new Date().toISOString() }));
  await s.people.remember(scope, [{ aadId: `p-${label}`, teamsUserId: `29:${label}` }]);
  await new InstallationStore(h.server.ctx.storage).save(scope, { conversationId: `a:${label}`, conversationType: 'personal', serviceUrl: 'http://x', userId: `p-${label}`, teamsUserId: `29:${label}`, installedAt: new Date().toISOString() });
  await h.server.ctx.blobs.forTenant(scope).container(Blobs.gallery).put(`images/${label}/1`, Buffer.from('not really a png'), 'image/png');
  return { topicId: topic.id as string, draftId: draft.id as string };
}

describe('Company Communicator: offboarding a tenant', function () {
  let h: Harness;
  let s: Services;
  let seededB: { topicId: string; draftId: string };

  before(async function () {
    h = await startHarness();
    s = servicesFor(h.server.ctx, {});
    await seed(h, s, tenantA, users.alex, 'contoso');
    seededB = await seed(h, s, tenantB, users.bianca, 'fabrikam');
  });

  after(async function () { await h?.stop(); });

  it('is for tenant admins only, and needs the caller\'s own tenant id repeated; nothing is erased otherwise', async function () {
    const before = await inventory(h, tenantA);
    assert.equal((await h.as(users.megan).post('/admin/offboard', { confirmTenantId: tenantA.tenantId })).status, 403, 'an author is not an admin');
    assert.equal((await h.as(users.adele).post('/admin/offboard', { confirmTenantId: tenantA.tenantId })).status, 403);
    const other = await h.as(users.alex).post('/admin/offboard', { confirmTenantId: tenantB.tenantId });
    assert.equal(other.status, 400, 'another tenant\'s id');
    assert.match(other.body.error.message, /does not match/);
    assert.equal((await h.as(users.alex).post('/admin/offboard', {})).status, 400, 'no confirmation');
    assert.equal((await h.as(users.alex).post('/admin/offboard', { confirmTenantId: '' })).status, 400);
    assert.deepEqual(await inventory(h, tenantA), before);
  });

  it('erases every row of the tenant in every table, its installs and its blobs, and says how many', async function () {
    const beforeA = await inventory(h, tenantA);
    const beforeB = await inventory(h, tenantB);
    for (const kind of ['ccsettings', 'cctopics', 'ccmessages', 'ccrecipients', 'cccounters', 'ccfeedback', 'cclists', 'ccpeople', 'installations', `blob:${Blobs.gallery}`]) {
      assert.ok(beforeA[kind]! > 0, `tenant A has ${kind} data to erase`);
    }
    const res = await h.as(users.alex).post('/admin/offboard', { confirmTenantId: tenantA.tenantId });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const blobs = allBlobKinds.reduce((n, k) => n + beforeA[`blob:${k}`]!, 0);
    assert.deepEqual(res.body, { tablesCleared: allTables.length + 1, rowsDeleted: total(beforeA) - blobs, blobsDeleted: blobs });

    const afterA = await inventory(h, tenantA);
    assert.equal(total(afterA), 0, `tenant A left: ${JSON.stringify(afterA)}`);
    assert.deepEqual(await inventory(h, tenantB), beforeB, 'tenant B is untouched');
    const bianca = h.as(users.bianca);
    assert.equal((await bianca.get(`/messages/${seededB.draftId}`)).status, 200);
    assert.deepEqual((await bianca.get('/topics')).body.map((t: { id: string }) => t.id), [seededB.topicId]);
    assert.deepEqual((await bianca.get('/settings')).body.authors, ['writer@fabrikam.example']);
  });

  it('lets the tenant start again afterwards', async function () {
    const alex = h.as(users.alex);
    const settings = (await alex.get('/settings')).body;
    assert.deepEqual({ authors: settings.authors, retentionDays: settings.retentionDays }, { authors: [], retentionDays: 0 }, 'defaults again');
    assert.deepEqual((await h.as(users.megan).get('/messages')).body, []);
    assert.equal((await alex.put('/settings', { authors: ['isaiah@example.com'], retentionDays: 30 })).status, 200);
    assert.equal((await h.as(users.isaiah).get('/roles')).body.isAuthor, true, 'the new author list applies');
    const topic = await h.as(users.megan).post('/topics', { name: 'Fresh start' });
    assert.equal(topic.status, 201);
    const draft = await h.as(users.megan).post('/drafts', draftInput(topic.body.id));
    assert.equal(draft.status, 201);
    assert.deepEqual((await h.as(users.megan).get('/messages')).body.map((m: { id: string }) => m.id), [draft.body.id]);
    // and a second offboarding finds just that
    const again = await alex.post('/admin/offboard', { confirmTenantId: tenantA.tenantId });
    assert.equal(again.status, 200);
    assert.equal(again.body.rowsDeleted, 3, 'settings, topic, draft');
    assert.equal(again.body.blobsDeleted, 0);
  });
});
