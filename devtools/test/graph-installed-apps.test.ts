import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { playgroundChats, sandboxCatalogId, sandboxManifestId, startGraphSandbox, type RunningGraphSandbox, type SandboxChatRequest } from '../src/graph/index.js';
import { graphDelegatedScopes, startIdentityProvider, type RunningIdentityProvider } from '../src/identity/index.js';
import { stableUuid } from '../src/packaging/env.js';
import { tenantA, tenantB } from '../src/seed/tenants.js';

const graphAudience = 'https://graph.microsoft.com';
const installRoles = ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'AppCatalog.Read.All'];
type Json = Record<string, any>;

describe('Graph sandbox: Teams app catalog and apps installed for users', function () {
  let idp: RunningIdentityProvider;
  let sandbox: RunningGraphSandbox;
  let appToken: string;
  let appTokenB: string;
  let meganToken: string;
  const adele = tenantA.users[2]!;
  const patti = tenantA.users[4]!;
  const staff = tenantA.users.find((u) => u.userPrincipalName.startsWith('staff'))!;
  const communicatorCatalogId = sandboxCatalogId(tenantA.id, 'communicator');
  const communicatorManifestId = sandboxManifestId('communicator');
  const bind = (id: string) => ({ 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${id}` });

  before(async () => {
    idp = await startIdentityProvider();
    sandbox = await startGraphSandbox({ identityUrl: idp.url });
    appToken = await idp.idp.issueAppToken({ tenantId: tenantA.id, audience: graphAudience, roles: installRoles });
    appTokenB = await idp.idp.issueAppToken({ tenantId: tenantB.id, audience: graphAudience, roles: installRoles });
    meganToken = await idp.idp.issueUserToken({ userId: tenantA.users[1]!.id, audience: graphAudience, scopes: graphDelegatedScopes });
  });
  after(async () => {
    await sandbox.stop();
    await idp.stop();
  });
  beforeEach(() => { sandbox.control.reset(); sandbox.control.chatsFrom(undefined); });

  async function call(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(path.startsWith('http') ? path : `${sandbox.url}/v1.0${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : undefined) as Json };
  }
  const installedApps = (userId: string, query = '') => call(appToken, 'GET', `/users/${userId}/teamwork/installedApps${query}`);

  describe('app catalog', () => {
    it('lists the tenant catalog page by page, filtered by distribution method or manifest id, with app definitions on $expand', async () => {
      const ids: string[] = [];
      let page = await call(appToken, 'GET', '/appCatalogs/teamsApps?$top=3');
      assert.equal(page.status, 200, page.text);
      assert.equal(page.body.value.length, 3);
      for (;;) {
        ids.push(...page.body.value.map((a: Json) => a.id));
        const next = page.body['@odata.nextLink'];
        if (!next) break;
        assert.match(next, /\$top=3/);
        page = await call(appToken, 'GET', next);
      }
      assert.equal(ids.length, 8, 'five suite apps and three store apps');
      assert.equal(new Set(ids).size, 8);

      const organization = await call(appToken, 'GET', `/appCatalogs/teamsApps?$filter=${encodeURIComponent("distributionMethod eq 'organization'")}`);
      assert.deepEqual(organization.body.value.map((a: Json) => a.displayName).sort(), ['Calendar Pro', 'Company Communicator Pro', 'Contact Pro', 'Image Pro', 'MetaOffice Pro']);

      const byManifest = await call(appToken, 'GET', `/appCatalogs/teamsApps?$filter=${encodeURIComponent(`externalId eq '${communicatorManifestId}'`)}`);
      assert.deepEqual(byManifest.body.value, [{ id: communicatorCatalogId, externalId: communicatorManifestId, displayName: 'Company Communicator Pro', distributionMethod: 'organization' }]);
      assert.notEqual(communicatorCatalogId, communicatorManifestId, 'an organization app gets a catalog id of its own');
      assert.equal(communicatorManifestId, stableUuid('communicator', 'TEAMS_APP_ID'), 'the manifest id of the local package');
      assert.notEqual(sandboxCatalogId(tenantB.id, 'communicator'), communicatorCatalogId, 'catalog ids differ per tenant');

      const expanded = await call(appToken, 'GET', `/appCatalogs/teamsApps/${communicatorCatalogId}?$expand=appDefinitions`);
      assert.equal(expanded.body.appDefinitions[0].teamsAppId, communicatorCatalogId);
      assert.equal(expanded.body.appDefinitions[0].publishingState, 'published');
      assert.equal((await call(appToken, 'GET', `/appCatalogs/teamsApps/${communicatorCatalogId}`)).body.appDefinitions, undefined, 'not without $expand');
      assert.equal((await call(appToken, 'GET', '/appCatalogs/teamsApps?$expand=owner')).status, 400);
      assert.equal((await call(appToken, 'GET', '/appCatalogs/teamsApps/nope')).status, 404);
    });

    it('needs AppCatalog.Read.All (application) or a catalog scope (delegated)', async () => {
      const delegated = await call(meganToken, 'GET', '/appCatalogs/teamsApps');
      assert.equal(delegated.status, 403);
      assert.equal(delegated.body.error.code, 'Forbidden');
      assert.match(delegated.body.error.message, /AppCatalog\.Read\.All/);
      sandbox.control.withholdAppRoles(tenantA.id, ['AppCatalog.Read.All']);
      assert.equal((await call(appToken, 'GET', '/appCatalogs/teamsApps')).status, 403);
      assert.equal((await call(appTokenB, 'GET', '/appCatalogs/teamsApps')).status, 200, 'only that tenant');
    });
  });

  describe('installing apps for a user', () => {
    it('installs (201, no body), answers 409 when already installed, and finds the installation by manifest id with $expand=teamsApp', async () => {
      const first = await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(first.status, 201, first.text);
      assert.equal(first.text, '');
      const again = await call(appToken, 'POST', `/users/${adele.userPrincipalName}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(again.status, 409, 'by UPN too: the same user');
      assert.equal(again.body.error.code, 'Conflict');

      const plain = await installedApps(adele.id);
      assert.equal(plain.body.value.length, 1);
      assert.equal(plain.body.value[0].teamsApp, undefined, 'navigation properties only on $expand');
      const filter = encodeURIComponent(`teamsApp/externalId eq '${communicatorManifestId}'`);
      const found = await installedApps(adele.id, `?$expand=teamsApp&$filter=${filter}`);
      assert.equal(found.status, 200, found.text);
      assert.equal(found.body.value.length, 1);
      const installation = found.body.value[0];
      assert.deepEqual(installation.teamsApp, { id: communicatorCatalogId, externalId: communicatorManifestId, displayName: 'Company Communicator Pro', distributionMethod: 'organization' });
      assert.equal(installation['@odata.type'], '#microsoft.graph.userScopeTeamsAppInstallation');
      assert.equal(Buffer.from(installation.id.replace(/_/g, '/').replace(/-/g, '+'), 'base64').toString('utf8'), `${adele.id}##${communicatorCatalogId}`);
      assert.equal((await installedApps(adele.id, `?$filter=${encodeURIComponent(`teamsApp/id eq '${communicatorCatalogId}'`)}`)).body.value.length, 1);
      assert.equal((await installedApps(patti.id, `?$expand=teamsApp&$filter=${filter}`)).body.value.length, 0, 'Patti has nothing installed');

      const one = await call(appToken, 'GET', `/users/${adele.id}/teamwork/installedApps/${encodeURIComponent(installation.id)}?$expand=teamsAppDefinition`);
      assert.equal(one.body.teamsAppDefinition.teamsAppId, communicatorCatalogId);
      assert.equal(one.body.teamsApp, undefined);
    });

    it('pages a user\'s installed apps and uninstalls one (204), after which it installs again', async () => {
      const catalog = (await call(appToken, 'GET', '/appCatalogs/teamsApps')).body.value as Json[];
      for (const app of catalog.slice(0, 5)) assert.equal((await call(appToken, 'POST', `/users/${patti.id}/teamwork/installedApps`, bind(app.id))).status, 201);
      const first = await installedApps(patti.id, '?$top=2&$expand=teamsApp');
      assert.equal(first.body.value.length, 2);
      const second = await call(appToken, 'GET', first.body['@odata.nextLink']);
      const third = await call(appToken, 'GET', second.body['@odata.nextLink']);
      assert.equal(third.body['@odata.nextLink'], undefined);
      const seen = [...first.body.value, ...second.body.value, ...third.body.value].map((i: Json) => i.teamsApp.id);
      assert.deepEqual(seen.sort(), catalog.slice(0, 5).map((a) => a.id).sort());

      const gone = first.body.value[0];
      assert.equal((await call(appToken, 'DELETE', `/users/${patti.id}/teamwork/installedApps/${encodeURIComponent(gone.id)}`)).status, 204);
      assert.equal((await installedApps(patti.id)).body.value.length, 4);
      assert.equal((await call(appToken, 'GET', `/users/${patti.id}/teamwork/installedApps/${encodeURIComponent(gone.id)}/chat`)).status, 404);
      assert.equal((await call(appToken, 'POST', `/users/${patti.id}/teamwork/installedApps`, bind(gone.teamsApp.id))).status, 201);
    });

    it('refuses an app the catalog does not have (404), a body without the binding (400) and an unknown user (404)', async () => {
      const unknownApp = await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind('00000000-0000-0000-0000-00000000dead'));
      assert.equal(unknownApp.status, 404);
      assert.match(unknownApp.body.error.message, /not found in the app catalog/);
      assert.equal((await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, { teamsApp: communicatorCatalogId })).status, 400);
      assert.equal((await call(appToken, 'POST', '/users/nobody@example.com/teamwork/installedApps', bind(communicatorCatalogId))).status, 404);
      assert.equal((await call(appTokenB, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId))).status, 404, 'another tenant\'s user');
    });

    it('answers 403 when the admin has not consented the installation permission, or to a delegated token without it', async () => {
      sandbox.control.withholdAppRoles(tenantA.id, ['TeamsAppInstallation.ReadWriteSelfForUser.All']);
      const refused = await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'Forbidden');
      assert.match(refused.body.error.message, /Missing role permissions.*TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
      assert.equal((await installedApps(adele.id)).status, 403);
      assert.equal((await call(appTokenB, 'POST', `/users/${tenantB.users[1]!.id}/teamwork/installedApps`, bind(sandboxCatalogId(tenantB.id, 'communicator')))).status, 201, 'another tenant is not affected');
      const delegated = await call(meganToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(delegated.status, 403);
      assert.match(delegated.body.error.message, /Missing scope permissions/);

      // the control is also reachable over HTTP, and reset forgets it
      sandbox.control.reset();
      assert.equal((await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId))).status, 201);
      const http403 = await fetch(`${sandbox.url}/_sandbox/withhold-app-roles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenantId: tenantA.id, roles: installRoles }) });
      assert.equal(http403.status, 204);
      assert.equal((await installedApps(adele.id)).status, 403);
    });

    it('throttles installs with 429 and Retry-After like any Graph request', async () => {
      sandbox.control.throttle({ tenantId: tenantA.id, pathPrefix: `/users/${adele.id}/teamwork/installedApps`, count: 1, retryAfterSeconds: 7 });
      const throttled = await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal((await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId))).status, 201);
    });
  });

  describe('the chat of an installation', () => {
    it('is a Teams-shaped 1:1 chat id by default', async () => {
      await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      const [installation] = (await installedApps(adele.id)).body.value;
      const chat = await call(appToken, 'GET', `/users/${adele.id}/teamwork/installedApps/${encodeURIComponent(installation.id)}/chat`);
      assert.equal(chat.status, 200, chat.text);
      assert.equal(chat.body.id, `19:${stableUuid('communicator', 'BOT_ID')}_${adele.id}@unq.gbl.spaces`);
      assert.equal(chat.body.chatType, 'oneOnOne');
      assert.match(chat.body['@odata.context'], /\$metadata#chats\/\$entity$/);
    });

    it('comes from the chat factory, asked once at install time with the user\'s Playground id', async () => {
      const asked: SandboxChatRequest[] = [];
      sandbox.control.chatsFrom((request) => { asked.push(request); return `a:chat-of-${request.user.playgroundId}`; });
      await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      await call(appToken, 'POST', `/users/${adele.id}/teamwork/installedApps`, bind(communicatorCatalogId));
      assert.equal(asked.length, 1, 'not again for the 409');
      assert.deepEqual({ tenant: asked[0]!.tenantId, user: asked[0]!.user.playgroundId, app: asked[0]!.app.externalId }, { tenant: tenantA.id, user: 'user-id-2', app: communicatorManifestId });
      const [installation] = (await installedApps(adele.id)).body.value;
      assert.equal((await call(appToken, 'GET', `/users/${adele.id}/teamwork/installedApps/${encodeURIComponent(installation.id)}/chat`)).body.id, 'a:chat-of-user-id-2');
    });

    it('playgroundChats opens the chat on a Bot Connector for Playground users and keeps the default id for others', async () => {
      const received: Json[] = [];
      const connector = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({ url: req.url, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: `personal-chat-${received.length}` }));
        });
      });
      await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', () => resolve()));
      try {
        sandbox.control.chatsFrom(playgroundChats(`http://127.0.0.1:${(connector.address() as AddressInfo).port}/_connector/`));
        for (const user of [adele, staff]) assert.equal((await call(appToken, 'POST', `/users/${user.id}/teamwork/installedApps`, bind(communicatorCatalogId))).status, 201);
        assert.equal(received.length, 1, 'only Adele is a Playground user');
        assert.equal(received[0]!.url, '/_connector/v3/conversations');
        assert.deepEqual({ isGroup: received[0]!.body.isGroup, member: received[0]!.body.members[0].id, tenant: received[0]!.body.tenantId }, { isGroup: false, member: 'user-id-2', tenant: tenantA.id });
        const chatOf = async (userId: string) => {
          const [installation] = (await installedApps(userId)).body.value;
          return (await call(appToken, 'GET', `/users/${userId}/teamwork/installedApps/${encodeURIComponent(installation.id)}/chat`)).body.id;
        };
        assert.equal(await chatOf(adele.id), 'personal-chat-1');
        assert.match(await chatOf(staff.id), /^19:.*@unq\.gbl\.spaces$/);
      } finally {
        await new Promise<void>((resolve) => { connector.close(() => resolve()); connector.closeAllConnections(); });
      }
    });
  });
});
