import assert from 'node:assert/strict';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';

/** Every author route of the contract, with a path that exists for the given ids. */
function authorRoutes(messageId: string, topicId: string): Array<[string, string, unknown?]> {
  return [
    ['GET', '/topics'], ['POST', '/topics', { name: 'x' }], ['PUT', `/topics/${topicId}`, { name: 'x', etag: '*' }], ['DELETE', `/topics/${topicId}`],
    ['GET', '/messages'], ['GET', '/messages?status=draft'], ['POST', '/drafts', {}], ['GET', `/messages/${messageId}`],
    ['PUT', `/messages/${messageId}`, {}], ['DELETE', `/messages/${messageId}`], ['POST', `/messages/${messageId}/duplicate`],
    ['POST', `/messages/${messageId}/template`], ['POST', `/messages/${messageId}/preview`], ['POST', `/messages/${messageId}/audience/count`],
    ['POST', `/messages/${messageId}/send`, {}], ['POST', `/messages/${messageId}/cancel`], ['GET', `/messages/${messageId}/report`],
    ['GET', `/messages/${messageId}/recipients`], ['POST', `/messages/${messageId}/resend`, { to: 'failed' }], ['GET', `/messages/${messageId}/export.xlsx`],
    ['GET', '/audiences/teams'], ['GET', '/audiences/groups?search=a'], ['POST', '/audiences/lists', 'upn\nadelev@example.com', ], ['GET', '/audiences/lists'],
  ];
}

describe('Company Communicator: roles, settings, topics and tenant isolation', function () {
  let h: Harness;
  let topicId: string;
  let messageId: string;

  before(async function () {
    h = await startHarness();
    const topic = await h.as(users.megan).post('/topics', { name: 'HR', description: 'People & Culture news' });
    assert.equal(topic.status, 201);
    topicId = topic.body.id;
    const draft = await h.as(users.megan).post('/drafts', draftInput(topicId));
    assert.equal(draft.status, 201, JSON.stringify(draft.body));
    messageId = draft.body.id;
  });

  after(async function () { await h?.stop(); });

  it('tells each caller their roles: Alex admin+author, Megan author, Adele neither', async function () {
    assert.deepEqual((await h.as(users.alex).get('/roles')).body, { roles: ['TenantAdmin', 'Author'], isAuthor: true, isAdmin: true });
    assert.deepEqual((await h.as(users.megan).get('/roles')).body, { roles: ['Author'], isAuthor: true, isAdmin: false });
    assert.deepEqual((await h.as(users.adele).get('/roles')).body, { roles: [], isAuthor: false, isAdmin: false });
  });

  it('gives a plain user 403 with the uniform error body on every author route of the contract', async function () {
    const adele = h.as(users.adele);
    for (const [method, path, body] of authorRoutes(messageId, topicId)) {
      const headers = typeof body === 'string' ? { 'content-type': 'text/csv' } : undefined;
      const res = await adele.request(method, path, body, headers);
      assert.equal(res.status, 403, `${method} ${path} gave ${res.status}`);
      assert.equal(res.body.error.code, 'forbidden', `${method} ${path}`);
      assert.equal(res.body.error.status, 403);
      assert.ok(res.body.error.requestId);
    }
    for (const [method, path] of [['GET', '/settings'], ['PUT', '/settings']] as const) {
      assert.equal((await adele.request(method, path, method === 'PUT' ? { authors: [], retentionDays: 0 } : undefined)).status, 403, `${method} ${path}`);
    }
    // nothing was changed by those calls
    const still = await h.as(users.megan).get(`/messages/${messageId}`);
    assert.equal(still.status, 200);
    assert.equal(still.body.status, 'draft');
  });

  it('lets only admins read and change settings; a listed author becomes an author at once', async function () {
    assert.equal((await h.as(users.megan).get('/settings')).status, 403);
    const current = await h.as(users.alex).get('/settings');
    assert.deepEqual({ authors: current.body.authors, retentionDays: current.body.retentionDays }, { authors: [], retentionDays: 0 });
    const saved = await h.as(users.alex).put('/settings', { authors: ['isaiah@example.com'], retentionDays: 90 });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body.authors, ['isaiah@example.com']);
    assert.equal((await h.as(users.isaiah).get('/roles')).body.isAuthor, true);
    assert.equal((await h.as(users.isaiah).get('/topics')).status, 200);
    // saving with the etag just read works once; the same etag again is stale
    const next = await h.as(users.alex).put('/settings', { authors: ['isaiah@example.com', '00000000-0000-0000-0000-0000000000025'], retentionDays: 90, etag: saved.body.etag });
    assert.equal(next.status, 200);
    assert.equal((await h.as(users.lynne).get('/roles')).body.isAuthor, true, 'listed by object id');
    const stale = await h.as(users.alex).put('/settings', { authors: [], retentionDays: 30, etag: saved.body.etag });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');
    const bad = await h.as(users.alex).put('/settings', { authors: ['not an id'], retentionDays: -1 });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.details.some((d: { field: string }) => d.field === 'retentionDays'));
  });

  it('keeps topics: create, rename with etag (412 when stale), refuse deleting one in use', async function () {
    const megan = h.as(users.megan);
    const created = await megan.post('/topics', { name: 'IT', description: 'Systems' });
    const renamed = await megan.put(`/topics/${created.body.id}`, { name: 'IT & Security', etag: created.body.etag });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'IT & Security');
    assert.equal((await megan.put(`/topics/${created.body.id}`, { name: 'Again', etag: created.body.etag })).status, 412);
    assert.equal((await megan.post('/topics', { name: '' })).status, 400);
    const inUse = await megan.delete(`/topics/${topicId}`);
    assert.equal(inUse.status, 409);
    assert.equal((await megan.delete(`/topics/${created.body.id}`)).status, 204);
    const names = (await megan.get('/topics')).body.map((t: { name: string }) => t.name);
    assert.deepEqual(names, ['HR']);
  });

  it('shows tenant B none of tenant A\'s messages, topics, lists or reports', async function () {
    const megan = h.as(users.megan);
    const list = await megan.post('/audiences/lists?name=Managers', 'upn\nadelev@example.com\npattif@example.com', { 'content-type': 'text/csv' });
    assert.equal(list.status, 201, JSON.stringify(list.body));
    const bianca = h.as(users.bianca);
    assert.deepEqual((await bianca.get('/topics')).body, []);
    assert.deepEqual((await bianca.get('/messages')).body, []);
    assert.deepEqual((await bianca.get('/audiences/lists')).body, []);
    for (const path of [`/messages/${messageId}`, `/messages/${messageId}/report`, `/messages/${messageId}/recipients`, `/messages/${messageId}/export.xlsx`]) {
      assert.equal((await bianca.get(path)).status, 404, path);
    }
    for (const path of [`/messages/${messageId}/duplicate`, `/messages/${messageId}/send`, `/messages/${messageId}/cancel`, `/messages/${messageId}/preview`]) {
      assert.equal((await bianca.post(path, {})).status, 404, path);
    }
    assert.equal((await bianca.put(`/topics/${topicId}`, { name: 'mine', etag: '*' })).status, 404);
    assert.equal((await bianca.delete(`/messages/${messageId}`)).status, 404);
    // a message in tenant B cannot use tenant A's topic, and B's own work stays in B
    assert.equal((await bianca.post('/drafts', draftInput(topicId))).status, 404);
    const own = await bianca.post('/topics', { name: 'Fabrikam news' });
    assert.equal(own.status, 201);
    assert.deepEqual((await megan.get('/topics')).body.map((t: { name: string }) => t.name), ['HR']);
    assert.equal((await megan.get(`/messages/${messageId}`)).status, 200);
  });
});
