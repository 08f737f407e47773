import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { LargeFileUploadTask, PageIterator, ResponseType, type Client, type PageCollection } from '@microsoft/microsoft-graph-client';
import { PNG } from 'pngjs';
import { sandboxGraphClient, startGraphSandbox, type RecordedRequest, type RunningGraphSandbox } from '../src/graph/index.js';
import { graphDelegatedScopes, IdentityProvider, startIdentityProvider, type RunningIdentityProvider } from '../src/identity/index.js';
import { tenantA, tenantB, type SampleTenant } from '../src/seed/tenants.js';

const graphAudience = 'https://graph.microsoft.com';
type Json = Record<string, any>;

/** Transitive members computed straight from the seed: users and nested groups, each once. */
function seedTransitiveMembers(tenant: SampleTenant, groupId: string): Set<string> {
  const found = new Set<string>();
  const walk = (id: string) => {
    for (const member of tenant.groups.find((g) => g.id === id)?.members ?? []) {
      if (found.has(member)) continue;
      found.add(member);
      walk(member);
    }
  };
  walk(groupId);
  return found;
}

describe('Graph sandbox (Microsoft Graph v1.0 stand-in)', function () {
  let idp: RunningIdentityProvider;
  let sandbox: RunningGraphSandbox;
  let meganToken: string;
  let appTokenA: string;
  let biancaToken: string;
  const megan = tenantA.users[1]!;
  const adele = tenantA.users[2]!;
  const allStaff = tenantA.groups.find((g) => g.displayName === 'All Staff')!;
  const retail = tenantA.groups.find((g) => g.displayName === 'Retail')!;
  const teamA = tenantA.teams[0]!;

  before(async () => {
    idp = await startIdentityProvider();
    sandbox = await startGraphSandbox({ identityUrl: idp.url });
    meganToken = await idp.idp.issueUserToken({ userId: megan.id, audience: graphAudience, scopes: graphDelegatedScopes });
    biancaToken = await idp.idp.issueUserToken({ userId: tenantB.users[0]!.id, audience: graphAudience, scopes: graphDelegatedScopes });
    appTokenA = await idp.idp.issueAppToken({ tenantId: tenantA.id, audience: graphAudience, roles: ['Group.Read.All'] });
  });
  after(async () => {
    await sandbox.stop();
    await idp.stop();
  });
  beforeEach(() => sandbox.control.reset());

  const clientFor = (token: string): Client => sandboxGraphClient({ url: sandbox.url, getAccessToken: async () => token });

  async function call(token: string | undefined, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (Buffer.isBuffer(init.body)) body = new Uint8Array(init.body);
    else if (init.body !== undefined) { body = JSON.stringify(init.body); headers['content-type'] ??= 'application/json'; }
    const res = await fetch(`${sandbox.url}/v1.0${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as Json };
  }

  describe('paging, through the Graph client', () => {
    it('walks /groups/{All Staff}/transitiveMembers with $top=50 and PageIterator, every member once', async () => {
      const client = clientFor(meganToken);
      const expected = seedTransitiveMembers(tenantA, allStaff.id);
      const first = (await client.api(`/groups/${allStaff.id}/transitiveMembers`).top(50).get()) as PageCollection;
      assert.equal(first.value.length, 50);
      assert.match(first['@odata.nextLink']!, new RegExp(`^${sandbox.url}/v1\\.0/groups/${allStaff.id}/transitiveMembers\\?.*\\$skiptoken=`));

      const seen: string[] = [];
      const types = new Set<string>();
      await new PageIterator(client, first, (member: Json) => { seen.push(member.id); types.add(member['@odata.type']); return true; }).iterate();
      assert.equal(seen.length, expected.size);
      assert.equal(new Set(seen).size, seen.length, 'no duplicates');
      assert.deepEqual(new Set(seen), expected);
      assert.deepEqual(types, new Set(['#microsoft.graph.user', '#microsoft.graph.group']));

      const pageRequests = sandbox.control.requests().filter((r) => r.path === `/v1.0/groups/${allStaff.id}/transitiveMembers`);
      assert.equal(pageRequests.length, Math.ceil(expected.size / 50));
      assert.ok(pageRequests.every((r) => r.status === 200 && r.tenant === tenantA.id));
    });

    it('casts to users with /transitiveMembers/microsoft.graph.user', async () => {
      const client = clientFor(appTokenA);
      const expectedUsers = [...seedTransitiveMembers(tenantA, allStaff.id)].filter((id) => tenantA.users.some((u) => u.id === id));
      const ids: string[] = [];
      const first = (await client.api(`/groups/${allStaff.id}/transitiveMembers/microsoft.graph.user`).top(999).select('id,displayName').get()) as PageCollection;
      await new PageIterator(client, first, (u: Json) => { ids.push(u.id); return true; }).iterate();
      assert.deepEqual(new Set(ids), new Set(expectedUsers));
      assert.equal(ids.length, expectedUsers.length);
      assert.deepEqual(Object.keys(first.value[0]).sort(), ['@odata.type', 'displayName', 'id']);
    });

    it('adds a big group of new users (a benchmark audience), paged like any group, gone after reset', async () => {
      const users = Array.from({ length: 2500 }, (_, i) => ({ id: randomUUID(), displayName: `Person ${i}`, userPrincipalName: `person${i}@example.com` }));
      const groupId = sandbox.control.addGroup(tenantA.id, { displayName: 'Everyone', users });
      const client = clientFor(appTokenA);
      const ids: string[] = [];
      const first = (await client.api(`/groups/${groupId}/transitiveMembers/microsoft.graph.user`).top(999).select('id,userPrincipalName').get()) as PageCollection;
      await new PageIterator(client, first, (u: Json) => { ids.push(u.id); return true; }).iterate();
      assert.deepEqual(ids, users.map((u) => u.id), 'every member once, in order');
      assert.equal(sandbox.control.requests().filter((r) => r.path.startsWith(`/v1.0/groups/${groupId}/`)).length, 3, '999 + 999 + 502');
      assert.equal((await call(appTokenA, 'GET', `/users/${users[7]!.userPrincipalName}`)).body.id, users[7]!.id, 'the users are in the directory');
      assert.throws(() => sandbox.control.addGroup(tenantA.id, { displayName: 'Again', users: users.slice(0, 1) }), /already in tenant/);
      sandbox.control.reset();
      assert.equal((await call(appTokenA, 'GET', `/groups/${groupId}`)).status, 404);
    });

    it('defaults to pages of 100, honours $select, $count, $filter and $orderby, and refuses $top above 999', async () => {
      const users = await call(appTokenA, 'GET', '/users?$select=id,userPrincipalName');
      assert.equal(users.status, 200);
      assert.equal(users.body.value.length, 100);
      assert.equal(users.body['@odata.context'], `${sandbox.url}/v1.0/$metadata#users(id,userPrincipalName)`);
      assert.deepEqual(Object.keys(users.body.value[0]).sort(), ['@odata.type', 'id', 'userPrincipalName']);
      const next = new URL(users.body['@odata.nextLink']);
      assert.equal(next.searchParams.get('$select'), 'id,userPrincipalName');
      const page2 = await call(appTokenA, 'GET', `${next.pathname.slice('/v1.0'.length)}${next.search}`);
      assert.equal(page2.body.value[0].id, tenantA.users[100]!.id);

      const counted = await call(appTokenA, 'GET', '/users?$count=true&$top=1', { headers: { ConsistencyLevel: 'eventual' } });
      assert.equal(counted.body['@odata.count'], tenantA.users.length);
      const countWithoutHeader = await call(appTokenA, 'GET', '/users?$count=true');
      assert.equal(countWithoutHeader.status, 400);

      const filtered = await call(appTokenA, 'GET', `/users?$filter=${encodeURIComponent("startswith(displayName,'meg')")}`);
      assert.deepEqual(filtered.body.value.map((u: Json) => u.id), [megan.id]);
      const byUpn = await call(appTokenA, 'GET', `/users?$filter=${encodeURIComponent("startswith(userPrincipalName,'staff00')")}`);
      assert.equal(byUpn.body.value.length, 9);
      const byId = await call(appTokenA, 'GET', `/users?$filter=${encodeURIComponent(`id eq '${adele.id}'`)}`);
      assert.deepEqual(byId.body.value.map((u: Json) => u.displayName), [adele.displayName]);
      const badFilter = await call(appTokenA, 'GET', `/users?$filter=${encodeURIComponent('endswith(mail,\'x\')')}`);
      assert.equal(badFilter.status, 400);
      assert.equal(badFilter.body.error.code, 'Request_UnsupportedQuery');

      const ordered = await call(appTokenA, 'GET', '/groups?$orderby=displayName desc');
      const names = ordered.body.value.map((g: Json) => g.displayName);
      assert.deepEqual(names, [...names].sort().reverse());

      const tooBig = await call(appTokenA, 'GET', '/users?$top=1000');
      assert.equal(tooBig.status, 400);
    });

    it('requires ConsistencyLevel: eventual for $search, then matches word prefixes', async () => {
      const search = `/users?$search=${encodeURIComponent('"displayName:bowen"')}`;
      const refused = await call(appTokenA, 'GET', search);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /ConsistencyLevel: eventual/);
      const found = await call(appTokenA, 'GET', search, { headers: { ConsistencyLevel: 'eventual' } });
      assert.equal(found.status, 200);
      assert.deepEqual(found.body.value.map((u: Json) => u.id), [megan.id]);
    });
  });

  describe('throttling', () => {
    it('answers 429 with Retry-After, and the client retry handler waits before succeeding', async () => {
      sandbox.control.throttle({ tenantId: tenantA.id, count: 1, retryAfterSeconds: 1, pathPrefix: '/users' });
      const user = (await clientFor(meganToken).api(`/users/${adele.userPrincipalName}`).get()) as Json;
      assert.equal(user.id, adele.id);

      const attempts = sandbox.control.requests().filter((r) => r.path === `/v1.0/users/${adele.userPrincipalName}`);
      assert.deepEqual(attempts.map((r) => r.status), [429, 200]);
      assert.ok(Date.parse(attempts[1]!.time) - Date.parse(attempts[0]!.time) >= 1000, 'retry came after Retry-After');
    });

    it('is configurable over HTTP, scoped by tenant and path, and reports Graph\'s error body', async () => {
      const set = await fetch(`${sandbox.url}/_sandbox/throttle`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId: tenantA.id, count: 2, retryAfterSeconds: 7, pathPrefix: '/v1.0/groups' }),
      });
      assert.equal(set.status, 204);
      assert.equal((await call(biancaToken, 'GET', `/groups/${tenantB.groups[0]!.id}`)).status, 200, 'other tenant unaffected');
      assert.equal((await call(appTokenA, 'GET', `/users/${adele.id}`)).status, 200, 'other path unaffected');
      for (let i = 0; i < 2; i++) {
        const throttled = await call(appTokenA, 'GET', `/groups/${retail.id}`, { headers: { 'client-request-id': `c-${i}` } });
        assert.equal(throttled.status, 429);
        assert.equal(throttled.headers.get('retry-after'), '7');
        assert.equal(throttled.body.error.code, 'TooManyRequests');
        assert.equal(throttled.body.error.innerError['client-request-id'], `c-${i}`);
        assert.equal(throttled.headers.get('client-request-id'), `c-${i}`);
      }
      assert.equal((await call(appTokenA, 'GET', `/groups/${retail.id}`)).status, 200);

      const log = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as { value: RecordedRequest[] };
      assert.deepEqual(log.value.map((r) => r.status), [200, 200, 429, 429, 200]);
      assert.deepEqual(log.value.map((r) => r.tenant), [tenantB.id, tenantA.id, tenantA.id, tenantA.id, tenantA.id]);
    });
  });

  describe('$batch', () => {
    it('runs a dependsOn chain in order, throttles an inner request and fails its dependents with 424', async () => {
      sandbox.control.throttle({ tenantId: tenantA.id, count: 1, retryAfterSeconds: 3, pathPrefix: `/groups/${retail.id}` });
      const client = clientFor(meganToken);
      const requests = [
        { id: '1', method: 'GET', url: '/me?$select=id,displayName' },
        { id: '2', method: 'GET', url: `/groups/${retail.id}/members`, dependsOn: ['1'] },
        { id: '3', method: 'GET', url: `/users/${adele.id}/presence`, dependsOn: ['2'] },
        { id: '4', method: 'POST', url: '/me/onlineMeetings', dependsOn: ['1'], headers: { 'Content-Type': 'application/json' }, body: { subject: 'Batch sync' } },
      ];
      const result = (await client.api('/$batch').post({ requests })) as { responses: Array<{ id: string; status: number; headers: Json; body: Json }> };
      const byId = Object.fromEntries(result.responses.map((r) => [r.id, r]));
      assert.equal(byId['1']!.status, 200);
      assert.equal(byId['1']!.body.id, megan.id);
      assert.equal(byId['2']!.status, 429);
      assert.equal(byId['2']!.headers['retry-after'], '3');
      assert.equal(byId['2']!.body.error.code, 'TooManyRequests');
      assert.equal(byId['3']!.status, 424);
      assert.equal(byId['4']!.status, 201);
      assert.equal(byId['4']!.body.subject, 'Batch sync');

      const log = sandbox.control.requests();
      const batch = log.find((r) => r.path === '/v1.0/$batch')!;
      const inner = log.filter((r) => r.batchRequestId === batch.requestId);
      // 4 depends only on 1, so it may run before or after 2; 2 must come after 1
      const paths = inner.map((r) => r.path);
      assert.equal(paths[0], '/v1.0/me', 'the request everything depends on ran first');
      assert.ok(paths.indexOf(`/v1.0/groups/${retail.id}/members`) > paths.indexOf('/v1.0/me'), 'dependency ran first');
      assert.ok(!inner.some((r) => r.path.endsWith('/presence')), 'a request whose dependency failed is never run');

      // What a client does next: send the failed part again once Retry-After has passed.
      const retry = (await client.api('/$batch').post({ requests: [{ ...requests[1]!, dependsOn: undefined }, requests[2]!] })) as { responses: Array<{ id: string; status: number; body: Json }> };
      assert.deepEqual(retry.responses.map((r) => r.status), [200, 200]);
      assert.deepEqual(new Set(retry.responses[0]!.body.value.map((m: Json) => m.id)), new Set(retail.members));
    });

    it('refuses more than 20 requests, circular dependencies and absolute urls', async () => {
      const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
      const tooMany = await call(meganToken, 'POST', '/$batch', { body: { requests: many } });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.code, 'BadRequest');
      const circular = await call(meganToken, 'POST', '/$batch', { body: { requests: [
        { id: 'a', method: 'GET', url: '/me', dependsOn: ['b'] }, { id: 'b', method: 'GET', url: '/me', dependsOn: ['a'] },
      ] } });
      assert.equal(circular.status, 400);
      const absolute = await call(meganToken, 'POST', '/$batch', { body: { requests: [{ id: 'x', method: 'GET', url: `${sandbox.url}/v1.0/me` }] } });
      assert.equal(absolute.status, 200);
      assert.equal(absolute.body.responses[0].status, 400);
      const unauthenticated = await call(undefined, 'POST', '/$batch', { body: { requests: [{ id: '1', method: 'GET', url: '/me' }] } });
      assert.equal(unauthenticated.status, 401);
    });
  });

  describe('authentication and tenant isolation', () => {
    it('gives tenant B 404 for tenant A\'s objects, in Graph\'s error shape', async () => {
      const res = await call(biancaToken, 'GET', `/groups/${allStaff.id}`, { headers: { 'client-request-id': 'isolation-1' } });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'Request_ResourceNotFound');
      assert.equal(res.body.error.innerError['client-request-id'], 'isolation-1');
      assert.equal(res.body.error.innerError['request-id'], res.headers.get('request-id'));
      assert.ok(res.body.error.innerError.date);
      await assert.rejects(clientFor(biancaToken).api(`/groups/${allStaff.id}/transitiveMembers`).get(), (err: { statusCode: number; code: string }) => err.statusCode === 404 && err.code === 'Request_ResourceNotFound');
      assert.equal((await call(biancaToken, 'GET', `/users/${megan.userPrincipalName}`)).status, 404);
      assert.equal((await call(biancaToken, 'GET', `/teams/${teamA.id}`)).status, 404);
      assert.equal((await call(biancaToken, 'GET', `/groups/${teamA.id}/drive`)).status, 404);
      const own = await call(biancaToken, 'GET', '/users?$top=999');
      assert.deepEqual(new Set(own.body.value.map((u: Json) => u.id)), new Set(tenantB.users.map((u) => u.id)));
    });

    it('answers 401 InvalidAuthenticationToken to missing, forged, expired and wrong-audience tokens', async () => {
      const impostor = await IdentityProvider.create(idp.url);
      const tokens = {
        missing: undefined,
        garbage: 'not-a-jwt',
        forged: await impostor.issueUserToken({ userId: megan.id, audience: graphAudience, scopes: ['User.Read'] }),
        expired: await idp.idp.issueUserToken({ userId: megan.id, audience: graphAudience, scopes: ['User.Read'], expiresInSeconds: -120 }),
        wrongAudience: await idp.idp.issueUserToken({ userId: megan.id, audience: 'api://some-other-app', scopes: ['User.Read'] }),
      };
      for (const [name, token] of Object.entries(tokens)) {
        const res = await call(token, 'GET', '/me');
        assert.equal(res.status, 401, name);
        assert.equal(res.body.error.code, 'InvalidAuthenticationToken', name);
      }
      assert.ok(sandbox.control.requests().every((r) => r.status === 401 && r.tenant === null));
      await assert.rejects(clientFor(tokens.forged).api('/me').get(), (err: { statusCode: number }) => err.statusCode === 401);
    });

    it('serves /me to delegated tokens only', async () => {
      const me = await call(meganToken, 'GET', '/me');
      assert.equal(me.body.userPrincipalName, megan.userPrincipalName);
      const app = await call(appTokenA, 'GET', '/me');
      assert.equal(app.status, 400);
      assert.match(app.body.error.message, /delegated/);
    });
  });

  describe('directory and teams', () => {
    it('lists memberships, owners and team members in Graph shapes', async () => {
      const memberOf = await call(meganToken, 'GET', `/users/${adele.id}/memberOf`);
      assert.deepEqual(new Set(memberOf.body.value.map((g: Json) => g.id)), new Set([...tenantA.groups.filter((g) => g.members.includes(adele.id)).map((g) => g.id), teamA.id]));
      const retailMembers = await call(meganToken, 'GET', `/groups/${retail.id}/members`);
      assert.deepEqual(retailMembers.body.value.map((m: Json) => m.id), retail.members);

      const joined = await call(meganToken, 'GET', '/me/joinedTeams');
      assert.deepEqual(joined.body.value.map((t: Json) => t.id), [teamA.id]);
      const channels = await call(meganToken, 'GET', `/teams/${teamA.id}/channels`);
      assert.deepEqual(channels.body.value.map((c: Json) => c.displayName), teamA.channels.map((c) => c.displayName));
      const channel = await call(meganToken, 'GET', `/teams/${teamA.id}/channels/${teamA.channels[1]!.id}`);
      assert.equal(channel.body.membershipType, 'standard');

      const members = await call(meganToken, 'GET', `/teams/${teamA.id}/members`);
      assert.equal(members.body.value.length, new Set([...teamA.members, ...teamA.owners]).size);
      const owner = members.body.value.find((m: Json) => m.userId === megan.id);
      assert.equal(owner['@odata.type'], '#microsoft.graph.aadUserConversationMember');
      assert.deepEqual(owner.roles, ['owner']);
      assert.equal(owner.email, megan.mail);
      assert.equal(owner.displayName, megan.displayName);
      assert.ok(owner.id);
      const plain = members.body.value.find((m: Json) => m.userId === adele.id);
      assert.deepEqual(plain.roles, []);
      const noTeam = await call(meganToken, 'GET', `/teams/${retail.id}`);
      assert.equal(noTeam.status, 404);
    });
  });

  describe('presence', () => {
    it('refuses getPresencesByUserId with more than 650 ids and answers up to 650', async () => {
      const known = tenantA.users.map((u) => u.id);
      const ids = [...known, ...Array.from({ length: 650 - known.length }, () => randomUUID())];
      const ok = await call(appTokenA, 'POST', '/communications/getPresencesByUserId', { body: { ids } });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.value.length, 650);
      assert.equal(ok.body.value.find((p: Json) => p.id === ids[649]).availability, 'PresenceUnknown');
      const tooMany = await call(appTokenA, 'POST', '/communications/getPresencesByUserId', { body: { ids: [...ids, randomUUID()] } });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.code, 'BadRequest');
    });

    it('changes what presence returns with setUserPreferredPresence and restores it with clearUserPreferredPresence', async () => {
      const before = await call(meganToken, 'GET', '/me/presence');
      assert.equal(before.body.availability, 'Available');
      const set = await call(meganToken, 'POST', `/users/${megan.id}/presence/setUserPreferredPresence`, { body: { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT1H' } });
      assert.equal(set.status, 200);
      const during = await call(appTokenA, 'POST', '/communications/getPresencesByUserId', { body: { ids: [megan.id, adele.id] } });
      assert.deepEqual(during.body.value.map((p: Json) => [p.id, p.availability, p.activity]), [[megan.id, 'DoNotDisturb', 'DoNotDisturb'], [adele.id, 'Available', 'Available']]);
      const invalid = await call(meganToken, 'POST', `/users/${megan.id}/presence/setUserPreferredPresence`, { body: { availability: 'DoNotDisturb', activity: 'Available' } });
      assert.equal(invalid.status, 400);
      const someoneElse = await call(meganToken, 'POST', `/users/${adele.id}/presence/setUserPreferredPresence`, { body: { availability: 'Away', activity: 'Away' } });
      assert.equal(someoneElse.status, 403);
      assert.equal((await call(meganToken, 'POST', '/me/presence/clearUserPreferredPresence')).status, 200);
      assert.equal((await call(meganToken, 'GET', `/users/${megan.id}/presence`)).body.availability, 'Available');
    });
  });

  describe('online meetings and activity feed', () => {
    it('creates and reads an online meeting for the signed-in user only', async () => {
      const created = await call(meganToken, 'POST', '/me/onlineMeetings', { body: { subject: 'Desk 12 huddle', startDateTime: '2030-03-01T10:00:00Z', endDateTime: '2030-03-01T10:30:00Z' } });
      assert.equal(created.status, 201);
      assert.match(created.body.joinWebUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      assert.equal(created.body.startDateTime, '2030-03-01T10:00:00.000Z');
      assert.equal(created.body.participants.organizer.identity.user.id, megan.id);
      const read = await call(meganToken, 'GET', `/me/onlineMeetings/${created.body.id}`);
      assert.equal(read.body.subject, 'Desk 12 huddle');
      const adeleToken = await idp.idp.issueUserToken({ userId: adele.id, audience: graphAudience, scopes: ['OnlineMeetings.ReadWrite'] });
      assert.equal((await call(adeleToken, 'GET', `/me/onlineMeetings/${created.body.id}`)).status, 404);
    });

    it('records activity notifications sent to a user or a team', async () => {
      const body = { topic: { source: 'text', value: 'Knock knock', webUrl: 'https://teams.microsoft.com/l/entity/x' }, activityType: 'knock', previewText: { content: 'Megan is knocking' }, templateParameters: [{ name: 'from', value: 'Megan' }] };
      const toUser = await call(appTokenA, 'POST', `/users/${adele.id}/teamwork/sendActivityNotification`, { body });
      assert.equal(toUser.status, 204);
      const toTeam = await call(appTokenA, 'POST', `/teams/${teamA.id}/sendActivityNotification`, { body: { ...body, recipient: { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: adele.id } } });
      assert.equal(toTeam.status, 204);
      const noRecipient = await call(appTokenA, 'POST', `/teams/${teamA.id}/sendActivityNotification`, { body });
      assert.equal(noRecipient.status, 400);
      const crossTenant = await call(biancaToken, 'POST', `/users/${adele.id}/teamwork/sendActivityNotification`, { body });
      assert.equal(crossTenant.status, 404);

      const recorded = (await (await fetch(`${sandbox.url}/_sandbox/notifications`)).json()) as { value: Json[] };
      assert.deepEqual(recorded.value.map((n) => n.target), [{ kind: 'user', userId: adele.id }, { kind: 'team', teamId: teamA.id }]);
      assert.equal(recorded.value[0]!.activityType, 'knock');
      assert.equal(recorded.value[0]!.tenantId, tenantA.id);
      assert.deepEqual(sandbox.control.notifications(), recorded.value);
    });
  });

  describe('drives', () => {
    it('seeds each team drive with Images/ holding three PNGs, with thumbnails and content', async () => {
      const client = clientFor(meganToken);
      const drive = (await client.api(`/groups/${teamA.id}/drive`).get()) as Json;
      assert.equal(drive.driveType, 'documentLibrary');
      assert.match(drive.webUrl, /Shared%20Documents$/);
      const rootChildren = (await client.api(`/drives/${drive.id}/root/children`).get()) as PageCollection;
      const images = rootChildren.value.find((i: Json) => i.name === 'Images');
      assert.equal(images.folder.childCount, 3);

      const firstPage = (await client.api(`/drives/${drive.id}/items/${images.id}/children`).top(2).get()) as PageCollection;
      assert.equal(firstPage.value.length, 2);
      const files: Json[] = [];
      await new PageIterator(client, firstPage, (i: Json) => { files.push(i); return true; }).iterate();
      assert.deepEqual(files.map((f) => f.name).sort(), ['forest.png', 'ocean.png', 'sunrise.png']);

      const sunrise = files.find((f) => f.name === 'sunrise.png')!;
      assert.equal(sunrise.file.mimeType, 'image/png');
      const content = Buffer.from((await client.api(`/drives/${drive.id}/items/${sunrise.id}/content`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer);
      const decoded = PNG.sync.read(content);
      assert.deepEqual([decoded.width, decoded.height], [sunrise.image.width, sunrise.image.height]);
      assert.equal(content.length, sunrise.size);

      const thumbs = (await client.api(`/drives/${drive.id}/items/${sunrise.id}/thumbnails`).get()) as Json;
      for (const size of ['small', 'medium', 'large']) {
        const t = thumbs.value[0][size];
        const bytes = Buffer.from(await (await fetch(t.url)).arrayBuffer());
        const png = PNG.sync.read(bytes);
        assert.deepEqual([png.width, png.height], [t.width, t.height], size);
        assert.ok(Math.max(t.width, t.height) <= { small: 96, medium: 176, large: 800 }[size]!);
      }

      const byPath = await call(meganToken, 'GET', `/groups/${teamA.id}/drive/root:/Images/ocean.png`);
      assert.equal(byPath.body.name, 'ocean.png');
      const search = (await client.api(`/drives/${drive.id}/root/search(q='png')`).get()) as PageCollection;
      assert.equal(search.value.length, 3);
    });

    it('uploads in three chunks through an upload session and serves the same bytes back', async () => {
      const client = clientFor(meganToken);
      const driveId = ((await client.api(`/groups/${teamA.id}/drive`).get()) as Json).id as string;
      const bytes = randomBytes(5 * 1024 * 1024 + 123);
      const session = await LargeFileUploadTask.createUploadSession(client, `/drives/${driveId}/root:/Images/large/photo.bin:/createUploadSession`, { item: { '@microsoft.graph.conflictBehavior': 'rename' } });
      assert.match(session.url, new RegExp(`^${sandbox.url}/`));
      const task = new LargeFileUploadTask(client, {
        content: bytes, name: 'photo.bin', size: bytes.length,
        sliceFile: (range) => bytes.subarray(range.minValue, range.maxValue + 1),
      }, session, { rangeSize: Math.ceil(bytes.length / 3) });
      const result = await task.upload();
      const item = result.responseBody as Json;
      assert.equal(item.name, 'photo.bin');
      assert.equal(item.size, bytes.length);

      const puts = sandbox.control.requests().filter((r) => r.method === 'PUT' && r.path.startsWith('/_upload/'));
      assert.deepEqual(puts.map((r) => r.status), [202, 202, 201]);

      const content = await fetch(`${sandbox.url}/v1.0/drives/${driveId}/items/${item.id}/content`, { headers: { authorization: `Bearer ${meganToken}` } });
      assert.equal(content.status, 200, 'fetch followed the 302 to the download URL');
      assert.ok(Buffer.from(await content.arrayBuffer()).equals(bytes));
      const redirect = await call(meganToken, 'GET', `/drives/${driveId}/items/${item.id}/content`);
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers.get('location'), item['@microsoft.graph.downloadUrl']);
    });

    it('addresses upload sessions by parent item, refuses out-of-order fragments, and allows browser uploads', async () => {
      const driveId = (await call(meganToken, 'GET', `/groups/${teamA.id}/drive`)).body.id as string;
      const images = await call(meganToken, 'GET', `/drives/${driveId}/root:/Images`);
      const created = await call(meganToken, 'POST', `/drives/${driveId}/items/${images.body.id}:/new.png:/createUploadSession`, { body: {} });
      assert.equal(created.status, 200);
      assert.deepEqual(created.body.nextExpectedRanges, ['0-']);
      assert.ok(Date.parse(created.body.expirationDateTime) > Date.now());
      const uploadUrl = created.body.uploadUrl as string;

      const preflight = await fetch(uploadUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-range' } });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');

      const bytes = randomBytes(1000);
      const put = (from: number, to: number) => fetch(uploadUrl, { method: 'PUT', headers: { 'content-range': `bytes ${from}-${to}/${bytes.length}` }, body: new Uint8Array(bytes.subarray(from, to + 1)) });
      const outOfOrder = await put(500, 999);
      assert.equal(outOfOrder.status, 416);
      const firstHalf = await put(0, 499);
      assert.equal(firstHalf.status, 202);
      assert.deepEqual(((await firstHalf.json()) as Json).nextExpectedRanges, ['500-']);
      const done = await put(500, 999);
      assert.equal(done.status, 201);
      const item = (await done.json()) as Json;
      assert.equal(item.parentReference.id, images.body.id);
      assert.equal(item.name, 'new.png');
      assert.equal((await fetch(uploadUrl, { method: 'PUT', headers: { 'content-range': 'bytes 0-0/1' }, body: 'x' })).status, 404, 'a finished session is gone');
    });

    it('accepts simple uploads up to 4 MB, renames, deletes, and resets to the seed', async () => {
      const driveRes = await call(meganToken, 'GET', `/groups/${teamA.id}/drive`);
      const driveId = driveRes.body.id as string;
      const small = await call(meganToken, 'PUT', `/drives/${driveId}/root:/notes.txt:/content`, { body: Buffer.from('hello'), headers: { 'content-type': 'text/plain' } });
      assert.equal(small.status, 201);
      const tooBig = await call(meganToken, 'PUT', `/drives/${driveId}/root:/big.bin:/content`, { body: Buffer.alloc(4 * 1024 * 1024 + 1), headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(tooBig.status, 413);
      const renamed = await call(meganToken, 'PATCH', `/drives/${driveId}/items/${small.body.id}`, { body: { name: 'notes-2.txt', description: 'Meeting notes' } });
      assert.equal(renamed.body.name, 'notes-2.txt');
      assert.equal(renamed.body.description, 'Meeting notes');
      const images = await call(meganToken, 'GET', `/drives/${driveId}/root:/Images`);
      assert.equal((await call(meganToken, 'DELETE', `/drives/${driveId}/items/${images.body.id}`)).status, 204);
      assert.equal((await call(meganToken, 'GET', `/drives/${driveId}/root:/Images`)).status, 404);

      sandbox.control.reset();
      const restored = await call(meganToken, 'GET', `/drives/${driveId}/root/children`);
      assert.deepEqual(restored.body.value.map((i: Json) => i.name), ['Images']);
      assert.deepEqual(sandbox.control.requests().map((r) => r.path), [`/v1.0/drives/${driveId}/root/children`]);
    });
  });
});
