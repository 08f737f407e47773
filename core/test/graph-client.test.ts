import assert from 'node:assert/strict';
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { createGraphClientFactory, type GraphClientFactory } from '../src/graph/graph-client.js';
import { devIdentityTokenSource } from '../src/graph/token-sources.js';
import { createTokenValidator } from '../src/identity/token-validator.js';
import { TokenBucketLimiter } from '../src/limits/index.js';
import type { Identity } from '../src/identity/identity.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../../devtools/src/graph/index.js';
import { tenantA, tenantB } from '../../devtools/src/seed/tenants.js';

describe('Graph client factory, over HTTP to the Graph sandbox', function () {
  let idp: RunningIdentityProvider;
  let graph: RunningGraphSandbox;
  let factory: GraphClientFactory;
  let limiter: TokenBucketLimiter;
  const audience = 'api://localhost/communicator';

  async function signedIn(upn: string): Promise<Identity> {
    const token = await idp.idp.issueUserToken({ userId: upn, audience });
    return createTokenValidator({ issuerTemplate: `${idp.url}/{tenantid}/v2.0`, jwksUrl: `${idp.url}/discovery/v2.0/keys`, audiences: [audience] })(token);
  }

  before(async function () {
    idp = await startIdentityProvider();
    graph = await startGraphSandbox({ identityUrl: idp.url });
    limiter = new TokenBucketLimiter();
    factory = createGraphClientFactory({ baseUrl: graph.url, tokens: devIdentityTokenSource(idp.url, audience), gate: limiter });
  });

  after(async function () {
    await graph?.stop();
    await idp?.stop();
  });

  beforeEach(function () { graph.control.reset(); });

  it('acts on behalf of the signed-in user (/me is that user)', async function () {
    const me = (await factory.forUser(await signedIn('meganb@example.com')).api('/me').get()) as { displayName: string; userPrincipalName: string };
    assert.equal(me.displayName, 'Megan Bowen');
    assert.equal(me.userPrincipalName, 'meganb@example.com');
  });

  it('pages through transitive group members with @odata.nextLink, each member once', async function () {
    const allStaff = tenantA.groups.find((g) => g.displayName === 'All Staff')!;
    const client = factory.forApp(tenantA.id);
    const first = (await client.api(`/groups/${allStaff.id}/transitiveMembers/microsoft.graph.user`).top(50).get()) as PageCollection;
    assert.ok(first['@odata.nextLink'], 'the first page links to the next');
    const ids: string[] = [];
    await new PageIterator(client, first, (u: { id: string }) => { ids.push(u.id); return true; }).iterate();
    const userIds = new Set(tenantA.users.map((u) => u.id));
    const expected = new Set<string>();
    const walk = (groupId: string) => {
      for (const m of tenantA.groups.find((g) => g.id === groupId)!.members) userIds.has(m) ? expected.add(m) : walk(m);
    };
    walk(allStaff.id);
    assert.equal(ids.length, expected.size);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.ok(graph.control.requests().filter((r) => r.path.includes('transitiveMembers')).length > 1, 'several pages were requested');
  });

  it('waits out a 429 Retry-After before asking again, then succeeds', async function () {
    graph.control.throttle({ tenantId: tenantA.id, count: 1, retryAfterSeconds: 1, pathPrefix: '/v1.0/groups' });
    const groups = (await factory.forApp(tenantA.id).api('/groups').get()) as { value: Array<{ id: string }> };
    assert.ok(groups.value.some((g) => g.id === tenantA.groups[0]!.id));
    const calls = graph.control.requests().filter((r) => r.path === '/v1.0/groups');
    assert.deepEqual(calls.map((c) => c.status), [429, 200]);
    assert.ok(Date.parse(calls[1]!.time) - Date.parse(calls[0]!.time) >= 1000, 'the retry came after Retry-After');
  });

  it('keeps tenants apart: tenant B cannot read tenant A objects', async function () {
    const retail = tenantA.groups[0]!;
    await assert.rejects(factory.forApp(tenantB.id).api(`/groups/${retail.id}`).get(), (err: { statusCode?: number }) => err.statusCode === 404);
    const bGroups = (await factory.forUser(await signedIn('biancap@fabrikam.example')).api('/groups').get()) as { value: Array<{ id: string }> };
    const bIds = new Set([...tenantB.groups, ...tenantB.teams].map((g) => g.id));
    assert.ok(bGroups.value.length > 0);
    assert.deepEqual(bGroups.value.filter((g) => !bIds.has(g.id)), [], 'only tenant B groups and team groups');
  });
});
