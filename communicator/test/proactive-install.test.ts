import assert from 'node:assert/strict';
import { createGraphClientFactory, devIdentityTokenSource } from '@teamspro/core';
import { playgroundChats, sandboxCatalogId, sandboxManifestId, startGraphSandbox, type RunningGraphSandbox } from '../../devtools/src/graph/index.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { tenantA } from '../../devtools/src/seed/tenants.js';
import { ProactiveInstaller } from '../src/domain/proactive-install.js';
import { PeopleStore } from '../src/store/people-store.js';
import { ConnectorSpy, cardOf, cardTitle } from './helpers/connector-spy.js';
import { audience, draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, tenantId, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';

const en = draftInput('').variants[0]!;
const fr = draftInput('').variants[1]!;
const retail = tenantA.groups.find((g) => g.displayName === 'Retail')!;
const leadership = tenantA.groups.find((g) => g.displayName === 'Leadership')!;
const manifestId = sandboxManifestId('communicator');
const installPath = (aadId: string) => `/v1.0/users/${aadId}/teamwork/installedApps`;

describe('Company Communicator: proactive install through Graph for people without a chat with the bot', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;

  before(async function () {
    h = await startHarness({ playground: true, env: { TEAMS_APP_ID: manifestId } });
    const pg = h.playground!;
    spy = await ConnectorSpy.start(pg.serviceUrl);
    // the sandbox's install opens the person's chat on the Playground's Bot Connector, so the bot can send there
    h.graph.control.chatsFrom(playgroundChats(`${pg.url}/_connector`));
    topicId = (await h.as(users.megan).post('/topics', { name: 'Everyone' })).body.id;
    // the tenant's only install: Adele's; its service URL (the spy) is where chats made through Graph are reached
    await pg.installFor(mock.adele.id, { locale: 'fr-FR', serviceUrl: spy.url });
    await waitForInstalls(h, 1);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  const send = async (audienceEntries: unknown[]) => {
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId, { audience: audienceEntries }))).body.id as string;
    assert.equal((await megan.post(`/messages/${id}/send`, {})).status, 200);
    return { id, done: await waitForStatus(h, id, 'sent', 40_000) };
  };
  const uploadList = async (name: string, upns: string[]) =>
    (await h.as(users.megan).post(`/audiences/lists?name=${encodeURIComponent(name)}`, ['upn', ...upns].join('\n'), { 'content-type': 'text/csv' })).body.id as string;
  const graphCalls = (pathPart: string, since = 0) => h.graph.control.requests().slice(since).filter((r) => r.path.includes(pathPart));

  it('is off by default: a group member without the app fails with "app not installed", and Graph is not asked', async function () {
    assert.equal((await h.as(users.alex).get('/settings')).body.proactiveInstall, false);
    const before = h.graph.control.requests().length;
    const { id, done } = await send([{ kind: 'groups', groupIds: [retail.id] }]);
    assert.deepEqual([done.counts.recipients, done.counts.sent, done.counts.failed], [2, 1, 1]);
    const lynne = (await recipientRow(h, id, mock.lynne.aad))!;
    assert.equal(lynne.status, 'failed');
    assert.match(lynne.failureReason!, /^app not installed/);
    assert.equal(graphCalls('/teamwork/installedApps', before).length, 0);
    assert.equal(graphCalls('/appCatalogs', before).length, 0);
  });

  it('is a tenant admin setting: authors may not change it, and a PUT that leaves it out keeps it', async function () {
    assert.equal((await h.as(users.megan).put('/settings', { authors: [], retentionDays: 0, proactiveInstall: true })).status, 403);
    const on = await h.as(users.alex).put('/settings', { authors: [], retentionDays: 0, proactiveInstall: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.proactiveInstall, true);
    const kept = await h.as(users.alex).put('/settings', { authors: [], retentionDays: 0 });
    assert.equal(kept.body.proactiveInstall, true);
    assert.equal((await h.as(users.alex).get('/settings')).body.proactiveInstall, true);
    assert.equal((await h.as(users.alex).put('/settings', { authors: [], retentionDays: 0, proactiveInstall: 'yes' })).status, 400);
  });

  it('when on, installs the app for group members without it and delivers the card to the chat Graph gives', async function () {
    const before = h.graph.control.requests().length;
    const { id, done } = await send([{ kind: 'groups', groupIds: [leadership.id] }]);
    // Leadership: Patti, Adele and (through Retail) Lynne; Adele has the app, the others get it now
    assert.deepEqual([done.counts.recipients, done.counts.sent, done.counts.failed], [3, 3, 0]);
    for (const [who, person, title] of [['patti', mock.patti, fr.title], ['lynne', mock.lynne, en.title]] as const) {
      const row = (await recipientRow(h, id, person.aad))!;
      assert.equal(row.status, 'sent', `${who}: ${row.failureReason}`);
      assert.ok(row.conversationId, who);
      const installs = graphCalls(installPath(person.aad), before);
      assert.deepEqual(installs.filter((r) => r.method === 'POST').map((r) => r.status), [201], `${who}: installed once`);
      const lookup = installs.find((r) => r.method === 'GET' && r.path === installPath(person.aad))!;
      const query = new URLSearchParams(lookup.query);
      assert.equal(query.get('$expand'), 'teamsApp');
      assert.equal(query.get('$filter'), `teamsApp/externalId eq '${manifestId}'`);
      assert.ok(installs.some((r) => r.method === 'GET' && r.path.endsWith('/chat') && r.status === 200), `${who}: chat looked up`);
      // the chat is a real conversation: the card went there, at the tenant's service URL, and reads refresh for the person
      const post = await eventually(async () => spy.posts(row.conversationId!).find((c) => cardOf(c.body)), `${who}'s card`);
      assert.equal(post.status, 201, `${who}: the Playground accepted the card in the chat Graph gave`);
      assert.equal(cardTitle(cardOf(post.body)), title, `${who} in their language`);
      assert.deepEqual(cardOf(post.body).refresh.userIds, [person.id], `${who}'s Teams id, learned from the chat`);
      assert.equal((await new PeopleStore(h.server.ctx.storage).get(scope, person.aad))?.conversationId, row.conversationId, `${who}'s chat remembered`);
    }
    assert.equal(graphCalls(installPath(mock.adele.aad), before).length, 0, 'Adele has the app: no Graph call for her');
    const catalog = graphCalls('/appCatalogs/teamsApps', before);
    assert.equal(catalog.length, 1, 'the catalog id is looked up once for the tenant');
    assert.equal(new URLSearchParams(catalog[0]!.query).get('$filter'), `externalId eq '${manifestId}'`);

    // the next message goes straight to the remembered chats
    const again = h.graph.control.requests().length;
    const second = await send([{ kind: 'groups', groupIds: [leadership.id] }]);
    assert.deepEqual([second.done.counts.sent, second.done.counts.failed], [3, 0]);
    assert.equal(graphCalls('/teamwork/installedApps', again).length, 0);
  });

  it('carries on when Graph answers 409 (already installed) and finds the existing chat', async function () {
    // Isaiah got the app some other way (Teams admin, or himself) but the bot never heard of him
    const token = await h.idp.idp.issueAppToken({ tenantId, audience: 'https://graph.microsoft.com', roles: ['TeamsAppInstallation.ReadWriteSelfForUser.All'] });
    const pre = await fetch(`${h.graph.url}${installPath(mock.isaiah.aad)}`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${sandboxCatalogId(tenantId, 'communicator')}` }),
    });
    assert.equal(pre.status, 201);
    const before = h.graph.control.requests().length;
    const { id, done } = await send([{ kind: 'list', listIds: [await uploadList('Sales', ['isaiah@example.com'])] }]);
    assert.deepEqual([done.counts.sent, done.counts.failed], [1, 0]);
    assert.deepEqual(graphCalls(installPath(mock.isaiah.aad), before).filter((r) => r.method === 'POST').map((r) => r.status), [409]);
    const row = (await recipientRow(h, id, mock.isaiah.aad))!;
    assert.ok(spy.posts(row.conversationId!).some((c) => cardOf(c.body) && c.status === 201));
  });

  it('waits out a 429 from Graph (Retry-After) and then installs', async function () {
    h.graph.control.throttle({ tenantId, pathPrefix: installPath(mock.megan.aad), count: 1, retryAfterSeconds: 1 });
    const before = h.graph.control.requests().length;
    const { id, done } = await send([{ kind: 'list', listIds: [await uploadList('Comms', ['meganb@example.com'])] }]);
    assert.deepEqual([done.counts.sent, done.counts.failed], [1, 0]);
    const posts = graphCalls(installPath(mock.megan.aad), before).filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.status), [429, 201]);
    assert.equal((await recipientRow(h, id, mock.megan.aad))!.status, 'sent');
  });

  it('fails the row with Graph\'s reason when Graph refuses (403: permission not consented)', async function () {
    h.graph.control.withholdAppRoles(tenantId, ['TeamsAppInstallation.ReadWriteSelfForUser.All']);
    const { id, done } = await send([{ kind: 'list', listIds: [await uploadList('IT', ['alexw@example.com'])] }]);
    assert.deepEqual([done.counts.sent, done.counts.failed], [0, 1]);
    const alex = (await recipientRow(h, id, mock.alex.aad))!;
    assert.equal(alex.status, 'failed');
    assert.match(alex.failureReason!, /^app not installed: Microsoft Graph could not install it for the person \(Microsoft Graph answered 403 to install the app/);
    assert.match(alex.failureReason!, /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
    const rows = (await h.as(users.megan).get(`/messages/${id}/recipients?status=failed`)).body.items;
    assert.equal(rows[0].failureReason, alex.failureReason, 'the report shows the reason');
  });
});

describe('Company Communicator: ProactiveInstaller against the Graph sandbox', function () {
  let idp: RunningIdentityProvider;
  let graph: RunningGraphSandbox;
  let factory: ReturnType<typeof createGraphClientFactory>;
  const patti = mock.patti.aad;

  before(async function () {
    idp = await startIdentityProvider();
    graph = await startGraphSandbox({ identityUrl: idp.url });
    factory = createGraphClientFactory({ baseUrl: graph.url, tokens: devIdentityTokenSource(idp.url, audience), maxRetries: 0 });
  });
  after(async function () {
    await graph?.stop();
    await idp?.stop();
  });
  beforeEach(() => graph.control.reset());

  it('uses TEAMS_APP_CATALOG_ID as given (no catalog lookup) and answers the chat id', async function () {
    const installer = new ProactiveInstaller({ graph: (t) => factory.forApp(t), catalogId: sandboxCatalogId(tenantId, 'communicator') });
    const outcome = await installer.install(tenantId, patti);
    assert.equal(outcome.kind, 'installed');
    assert.match((outcome as { chatId: string }).chatId, new RegExp(`_${patti}@unq\\.gbl\\.spaces$`));
    assert.equal((outcome as { alreadyInstalled: boolean }).alreadyInstalled, false);
    assert.equal(graph.control.requests().filter((r) => r.path.includes('/appCatalogs')).length, 0);
    const lookup = graph.control.requests().find((r) => r.method === 'GET' && r.path === installPath(patti))!;
    assert.equal(new URLSearchParams(lookup.query).get('$filter'), `teamsApp/id eq '${sandboxCatalogId(tenantId, 'communicator')}'`, 'without a manifest id, by catalog id');
    const again = await installer.install(tenantId, patti);
    assert.deepEqual({ kind: again.kind, already: (again as { alreadyInstalled: boolean }).alreadyInstalled }, { kind: 'installed', already: true });
  });

  it('refuses without any app id, and for an app the catalog does not have (looked up once a minute at most)', async function () {
    const none = await new ProactiveInstaller({ graph: (t) => factory.forApp(t) }).install(tenantId, patti);
    assert.equal(none.kind, 'refused');
    assert.match((none as { reason: string }).reason, /TEAMS_APP_ID/);

    const unknown = new ProactiveInstaller({ graph: (t) => factory.forApp(t), manifestId: '00000000-0000-0000-0000-00000000beef' });
    for (let i = 0; i < 2; i++) {
      const outcome = await unknown.install(tenantId, patti);
      assert.equal(outcome.kind, 'refused');
      assert.match((outcome as { reason: string }).reason, /not in the tenant app catalog/);
    }
    assert.equal(graph.control.requests().filter((r) => r.path.includes('/appCatalogs')).length, 1);
    assert.equal(graph.control.requests().filter((r) => r.path.includes('/installedApps')).length, 0);
  });

  it('says throttled with Graph\'s Retry-After once the client gives up, and refused with the consent hint on 403', async function () {
    const installer = new ProactiveInstaller({ graph: (t) => factory.forApp(t), manifestId });
    graph.control.throttle({ tenantId, pathPrefix: installPath(patti), count: 1, retryAfterSeconds: 42 });
    const throttled = await installer.install(tenantId, patti);
    assert.deepEqual({ kind: throttled.kind, after: (throttled as { retryAfterSeconds: number }).retryAfterSeconds }, { kind: 'throttled', after: 42 });

    graph.control.withholdAppRoles(tenantId, ['TeamsAppInstallation.ReadWriteSelfForUser.All']);
    const refused = await installer.install(tenantId, patti);
    assert.equal(refused.kind, 'refused');
    assert.match((refused as { reason: string }).reason, /403.*administrator must grant the application permission TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
  });
});
