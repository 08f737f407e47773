import assert from 'node:assert/strict';
import { InstallationStore } from '@teamspro/core';
import { simulatedTenantFromSample, startConnectorSimulator, type RunningConnectorSimulator } from '../../devtools/src/connector/index.js';
import { tenantA } from '../../devtools/src/seed/tenants.js';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';
import { scope, waitForStatus } from './helpers/playground-tenant.js';
import { Blobs } from '../src/store/tables.js';

const allStaff = tenantA.groups.find((g) => g.displayName === 'All Staff')!;
/** Graph member pages and list lookups per checkpointed page */
const pageSize = 50;
/** Bot Connector roster pages (its smallest) */
const rosterPageSize = 50;
/** a team of tenant A's first 150 people, on the Bot Connector simulator: three roster pages */
const bigTeam = { id: '19:everyone-checkpoint@thread.tacv2', name: 'Everyone', memberIds: tenantA.users.slice(0, 150).map((u) => u.id) };

describe('Company Communicator: resolving a big audience resumes from its checkpoint', function () {
  let h: Harness;
  let sim: RunningConnectorSimulator;
  let topicId: string;

  before(async function () {
    h = await startHarness({ options: { graphPageSize: pageSize, rosterPageSize, jobRetryBaseSeconds: 1, botConnectorRate: { ratePerSecond: 1000, burst: 1000 } } });
    const sample = simulatedTenantFromSample(tenantA);
    sim = await startConnectorSimulator({ capPerTenant: 0, perConversation: false, tenants: { [scope.tenantId]: { ...sample, teams: [...sample.teams!, bigTeam] } } });
    topicId = (await h.as(users.megan).post('/topics', { name: 'Everyone' })).body.id;
  });

  after(async function () {
    await h?.stop();
    await sim?.stop();
  });

  const checkpointBlobs = async (messageId: string) => {
    const left: string[] = [];
    for await (const name of h.server.ctx.blobs.forTenant(scope).container(Blobs.resolve).list(`${messageId}/`)) left.push(name);
    return left;
  };
  const send = async (audience: unknown[]) => {
    const id = (await h.as(users.megan).post('/drafts', draftInput(topicId, { audience }))).body.id as string;
    assert.equal((await h.as(users.megan).post(`/messages/${id}/send`, {})).status, 200);
    return { id, done: await waitForStatus(h, id, 'sent', 60_000) };
  };
  const uploadList = async (name: string, upns: string[]) =>
    (await h.as(users.megan).post(`/audiences/lists?name=${encodeURIComponent(name)}`, ['upn', ...upns].join('\n'), { 'content-type': 'text/csv' })).body.id as string;
  /** the directory lookups of tenant A's people by UPN that Graph answered (inside $batch requests) since `from` */
  const lookups = (from: number) => h.graph.control.requests().slice(from).filter((r) => r.batchRequestId && r.path.startsWith('/v1.0/users/'));

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
    assert.deepEqual(await checkpointBlobs(id), [], 'the checkpoint is deleted once the rows are written');
  });

  it('reads only the roster pages it had not read when the Bot Connector fails part-way through a team', async function () {
    await new InstallationStore(h.server.ctx.storage).saveMany(scope, [{
      conversationId: bigTeam.id, conversationType: 'channel', serviceUrl: sim.url, teamId: bigTeam.id, teamName: bigTeam.name, installedAt: new Date().toISOString(),
    }]);
    const pages = Math.ceil(bigTeam.memberIds.length / rosterPageSize);
    // page 1 comes back, then one 503: the resolve job fails (the Teams SDK's client does not retry) and its next delivery goes on from page 2
    sim.control.serverErrors({ after: 1, count: 1, statuses: [503], ops: ['getMembers'] });
    const rosterCalls = sim.stats().byOp.getMembers;
    const { id, done } = await send([{ kind: 'teamMembers', teamIds: [bigTeam.id] }]);

    assert.equal(done.counts.recipients, bigTeam.memberIds.length, 'every member of the team, once');
    assert.equal(done.counts.sent, bigTeam.memberIds.length, 'each reached in a 1:1 chat the bot opened');
    assert.equal(sim.stats().serverErrors, 1, 'the first delivery met the 503');
    assert.equal(sim.stats().byOp.getMembers - rosterCalls, pages + 1, `${pages} pages read once each over both deliveries, and the failed call`);
    assert.deepEqual(await checkpointBlobs(id), [], 'the checkpoint is deleted once the rows are written');
  });

  it('looks up the people on a list page by page: a page whose lookups Graph keeps throttling is read again, the pages before it are not', async function () {
    const people = tenantA.users.map((u) => u.userPrincipalName);
    const unknown = ['nobody-1@example.com', 'nobody-2@example.com'];
    const listId = await uploadList('Everyone by UPN', [...people, ...unknown]);
    const upns = people.length + unknown.length;
    assert.ok(upns > 3 * pageSize, `${upns} people make more than three pages`);
    // the third page's 50 lookups are throttled in every batch: once and in each of the 3 retries of the throttled lookups,
    // so the job fails after two pages; its next delivery reads the third page again and goes on
    h.graph.control.throttle({ tenantId: scope.tenantId, pathPrefix: '/users/', after: 2 * pageSize, count: 4 * pageSize, retryAfterSeconds: 0 });
    const from = h.graph.control.requests().length;
    const { id, done } = await send([{ kind: 'list', listIds: [listId] }]);

    assert.equal(done.counts.recipients, upns, 'everyone on the list, once');
    const answered = lookups(from);
    assert.equal(answered.filter((r) => r.status === 429).length, 4 * pageSize, 'the first delivery met the throttle');
    const found = new Map<string, number>();
    for (const r of answered.filter((r) => r.status === 200 || r.status === 404)) found.set(r.path, (found.get(r.path) ?? 0) + 1);
    assert.equal(found.size, upns, 'every UPN answered');
    assert.deepEqual([...new Set(found.values())], [1], 'each looked up once over both deliveries: the first two pages were not read again');
    assert.deepEqual(await checkpointBlobs(id), [], 'the checkpoint is deleted once the rows are written');
  });

  it('asks Graph again, after its Retry-After, for the lookups it throttled inside a $batch, without failing the resolve', async function () {
    const people = tenantA.users.slice(0, 30).map((u) => u.userPrincipalName);
    const listId = await uploadList('Thirty', people);
    h.graph.control.throttle({ tenantId: scope.tenantId, pathPrefix: '/users/', after: 5, count: 3, retryAfterSeconds: 1 });
    const from = h.graph.control.requests().length;
    const { done } = await send([{ kind: 'list', listIds: [listId] }]);

    assert.equal(done.counts.recipients, people.length);
    const answered = lookups(from);
    const throttled = answered.filter((r) => r.status === 429);
    assert.equal(throttled.length, 3);
    const ok = answered.filter((r) => r.status === 200);
    assert.equal(ok.length, people.length, 'each looked up once with success');
    const lastThrottled = Math.max(...throttled.map((r) => Date.parse(r.time)));
    for (const t of throttled) {
      const retry = ok.find((r) => r.path === t.path)!;
      assert.ok(Date.parse(retry.time) - lastThrottled >= 950, `${t.path} asked again ${Date.parse(retry.time) - lastThrottled} ms after the 429, Retry-After was 1 s`);
    }
  });
});
