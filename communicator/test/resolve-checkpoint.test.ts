import assert from 'node:assert/strict';
import { tenantA } from '../../devtools/src/seed/tenants.js';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';
import { scope, waitForStatus } from './helpers/playground-tenant.js';
import { Blobs } from '../src/store/tables.js';

const allStaff = tenantA.groups.find((g) => g.displayName === 'All Staff')!;
const pageSize = 50;

describe('Company Communicator: resolving a big audience resumes from its checkpoint', function () {
  let h: Harness;
  let topicId: string;

  before(async function () {
    h = await startHarness({ options: { graphPageSize: pageSize, jobRetryBaseSeconds: 1 } });
    topicId = (await h.as(users.megan).post('/topics', { name: 'Everyone' })).body.id;
  });

  after(async function () { await h?.stop(); });

  it('reads only the pages it had not read when its job fails part-way through a group, and keeps nothing afterwards', async function () {
    const members = tenantA.users.length;
    const pages = Math.ceil(members / pageSize);
    assert.ok(pages >= 4, `${members} members make ${pages} pages`);
    const id = (await h.as(users.megan).post('/drafts', draftInput(topicId, { audience: [{ kind: 'groups', groupIds: [allStaff.id] }] }))).body.id as string;
    // pages 1 and 2 come back; then Graph answers 429 to the first call for page 3 and each of the client's 5 retries,
    // so the resolve job fails after storing two pages, and its next delivery goes on from page 3
    h.graph.control.throttle({ tenantId: scope.tenantId, pathPrefix: `/groups/${allStaff.id}/transitiveMembers`, after: 2, count: 6, retryAfterSeconds: 0 });
    const before = h.graph.control.requests().length;
    assert.equal((await h.as(users.megan).post(`/messages/${id}/send`, {})).status, 200);
    const done = await waitForStatus(h, id, 'sent', 60_000);

    assert.equal(done.counts.recipients, members, 'everyone in the group, once');
    const paging = h.graph.control.requests().slice(before).filter((r) => r.path === `/v1.0/groups/${allStaff.id}/transitiveMembers/microsoft.graph.user`);
    assert.equal(paging.filter((r) => r.status === 429).length, 6, 'the first delivery met the throttle');
    const read = paging.filter((r) => r.status === 200);
    assert.equal(read.length, pages, 'each page read once over both deliveries');
    assert.equal(read.filter((r) => !r.query.includes('skiptoken')).length, 1, 'the first page was not read again');
    const left: string[] = [];
    for await (const name of h.server.ctx.blobs.forTenant(scope).container(Blobs.resolve).list(`${id}/`)) left.push(name);
    assert.deepEqual(left, [], 'the checkpoint is deleted once the rows are written');
  });
});
