import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client as ApiClient, type IMessageActivityInput } from '@microsoft/teams.api';
import { renderBroadcastCard } from '@teamspro/templates';
import {
  ConnectorLimits, documentedPerThreadLimits, documentedTenantRps, SlidingWindows, startConnectorSimulator, syntheticUsers, TokenBucket,
  type ConnectorSimulatorOptions, type RunningConnectorSimulator,
} from '../src/connector/index.js';
import { loadRecipients, type LoadResult } from '../src/connector/load.js';

const tenantA = '00000000-0000-0000-0000-0000000000001';
const tenantB = 'b0000000-0000-0000-0000-000000000001';
type AxiosFailure = { response?: { status: number; headers: Record<string, unknown>; data: any }; code?: string; message: string };

/** The Teams SDK's ApiClient as communicator/src/bot/connector.ts uses it, with a token-bearing HTTP client (the SDK builds it from these options). */
function apiFor(url: string, opts: { timeout?: number } = {}): ApiClient {
  return new ApiClient(url, { token: async () => 'any-bot-token', ...(opts.timeout ? { timeout: opts.timeout } : {}) });
}

/** An activity the way BotConnector.sendCard builds it: a broadcast card whose actions carry the message id. */
function cardActivity(messageId: string, title = 'Quarterly update'): IMessageActivityInput {
  const card = renderBroadcastCard('standard', { messageId, title, feedback: { acknowledge: true } });
  return { type: 'message', summary: title, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] } as unknown as IMessageActivityInput;
}

async function failure(promise: Promise<unknown>): Promise<AxiosFailure> {
  try {
    await promise;
  } catch (err) {
    return err as AxiosFailure;
  }
  return assert.fail('the call was expected to fail');
}

async function openChat(api: ApiClient, tenantId: string, userId: string): Promise<string> {
  const created = await api.conversations.create({ isGroup: false, members: [{ id: userId, role: 'user', name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never);
  return created.id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Bot Connector simulator (devtools/src/connector)', function () {
  const running: RunningConnectorSimulator[] = [];
  async function start(opts: ConnectorSimulatorOptions = {}): Promise<RunningConnectorSimulator> {
    const sim = await startConnectorSimulator(opts);
    running.push(sim);
    return sim;
  }
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });

  describe('limits (documented numbers, synthetic clock)', () => {
    it('carries the numbers Microsoft documents', () => {
      assert.equal(documentedTenantRps, 50);
      assert.deepEqual(documentedPerThreadLimits.send, [{ limit: 7, seconds: 1 }, { limit: 8, seconds: 2 }, { limit: 60, seconds: 30 }, { limit: 1800, seconds: 3600 }]);
      assert.deepEqual(documentedPerThreadLimits.create, documentedPerThreadLimits.send);
      assert.deepEqual(documentedPerThreadLimits.members, [{ limit: 14, seconds: 1 }, { limit: 16, seconds: 2 }, { limit: 120, seconds: 30 }, { limit: 3600, seconds: 3600 }]);
    });

    it('sliding windows: 7 per 1 s, then 8 per 2 s, then 60 per 30 s', () => {
      const w = new SlidingWindows(documentedPerThreadLimits.send);
      for (let i = 0; i < 7; i++) { assert.equal(w.wait(0), 0); w.take(0); }
      assert.equal(w.wait(0), 1000, 'the 8th in the same second waits for the 1 s window');
      assert.equal(w.wait(999), 1);
      assert.equal(w.wait(1000), 0);
      w.take(1000);
      assert.equal(w.wait(1000), 1000, 'the 9th within 2 s waits for the 2 s window');
      // spread 60 over 30 s: then the 61st waits for the oldest to leave the 30 s window
      const slow = new SlidingWindows(documentedPerThreadLimits.send);
      for (let i = 0; i < 60; i++) { const t = i * 400; assert.equal(slow.wait(t), 0, `request ${i}`); slow.take(t); }
      assert.equal(slow.wait(24_000), 6000);
      assert.equal(slow.wait(30_000), 0);
    });

    it('tenant cap and thread windows together: a request must fit both, and only admitted ones count', () => {
      const limits = new ConnectorLimits({ capPerTenant: 3, perTenant: new Map([['slow-tenant', 0.5]]), algorithm: 'sliding-window' }, { ...documentedPerThreadLimits, send: [{ limit: 2, seconds: 10 }] });
      assert.equal(limits.admit('t', 'send', 'chat-1', 0), undefined);
      assert.equal(limits.admit('t', 'send', 'chat-1', 1), undefined);
      assert.deepEqual(limits.admit('t', 'send', 'chat-1', 2), { scope: 'conversation', waitMs: 9998 });
      assert.equal(limits.admit('t', 'send', 'chat-2', 3), undefined, 'the thread 429 did not use up the tenant cap');
      assert.deepEqual(limits.admit('t', 'send', 'chat-3', 4), { scope: 'tenant', waitMs: 996 });
      assert.equal(limits.admit('other', 'send', 'chat-9', 4), undefined, 'caps are per tenant');
      // below one request per second: one per 1/cap seconds
      assert.equal(limits.admit('slow-tenant', 'create', 'c1', 0), undefined);
      assert.deepEqual(limits.admit('slow-tenant', 'create', 'c2', 1000), { scope: 'tenant', waitMs: 1000 });
      assert.equal(limits.admit('slow-tenant', 'create', 'c2', 2000), undefined);
    });

    it('token bucket: burst, then the refill rate', () => {
      const b = new TokenBucket(10, 3, 0);
      for (let i = 0; i < 3; i++) { assert.equal(b.wait(0), 0); b.take(0); }
      assert.equal(b.wait(0), 100);
      assert.equal(b.wait(100), 0);
    });
  });

  it('speaks the Teams SDK: 1:1 conversations are stable per user; send, update, delete', async () => {
    const users = syntheticUsers(tenantA, 3);
    const sim = await start({ tenants: { [tenantA]: { users } }, keepActivities: true });
    const api = apiFor(sim.url);
    const first = await openChat(api, tenantA, users[0]!.id);
    assert.equal(await openChat(api, tenantA, users[0]!.id), first, 'creating twice gives the same conversation, as in Teams');
    assert.equal(await openChat(api, tenantA, users[0]!.aadObjectId!), first, 'the AAD object id reaches the same chat');
    const second = await openChat(api, tenantA, users[1]!.id);
    assert.notEqual(second, first);
    assert.notEqual(await openChat(api, tenantB, users[0]!.id), first, 'another tenant is another chat');
    assert.equal(sim.conversationIdFor(tenantA, users[0]!.id), first);
    assert.equal(sim.stats().conversationsCreated, 3);

    const noTenant = await failure(api.conversations.create({ isGroup: false, members: [{ id: users[2]!.id, role: 'user', name: '' }] } as never));
    assert.equal(noTenant.response?.status, 400);

    const sent = await api.conversations.activities(first).create(cardActivity('msg-1'));
    assert.match(sent.id, /^\d+$/);
    const [delivery] = sim.deliveries;
    assert.ok(delivery);
    assert.equal(delivery.tenantId, tenantA);
    assert.equal(delivery.conversationId, first);
    assert.equal(delivery.recipientId, users[0]!.id);
    assert.equal(delivery.recipientAadId, users[0]!.aadObjectId);
    assert.equal(delivery.messageId, 'msg-1', 'the message id comes from the card action data');
    assert.equal(delivery.activityId, sent.id);
    assert.equal((delivery.activity as any).attachments[0].content.type, 'AdaptiveCard');

    const updated = await api.conversations.activities(first).update(sent.id, cardActivity('msg-1', 'Corrected title'));
    assert.equal(updated.id, sent.id);
    await api.conversations.activities(first).delete(sent.id);
    assert.deepEqual(sim.edits.map((e) => [e.kind, e.activityId, e.messageId]), [['update', sent.id, 'msg-1'], ['delete', sent.id, 'msg-1']]);
    const gone = await failure(api.conversations.activities(first).update(sent.id, cardActivity('msg-1')));
    assert.equal(gone.response?.status, 404);
    const elsewhere = await failure(api.conversations.activities(second).delete(sent.id));
    assert.equal(elsewhere.response?.status, 404, 'an activity id belongs to its conversation');
    assert.equal(sim.deliveries.length, 1, 'updates and deletes are not deliveries');
  });

  it('answers members, paged members and team channels from a configurable roster', async () => {
    const users = syntheticUsers(tenantA, 120);
    const teamId = '19:team-general@thread.tacv2';
    const sim = await start({
      tenants: { [tenantA]: { users, teams: [{ id: teamId, name: 'Everyone', aadGroupId: 'g-1', channels: [{ id: '19:news@thread.tacv2', name: 'News' }] }] } },
    });
    const api = apiFor(sim.url);
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await api.conversations.getPagedMembers(teamId, 50, token);
      pageSizes.push(page.members.length);
      seen.push(...page.members.map((m) => m.id));
      assert.equal(page.members[0]!.aadObjectId, users[seen.length - page.members.length]!.aadObjectId);
      token = page.continuationToken || undefined;
    } while (token);
    assert.deepEqual(pageSizes, [50, 50, 20]);
    assert.deepEqual(seen, users.map((u) => u.id));

    const chat = await openChat(api, tenantA, users[7]!.aadObjectId!);
    const members = await api.conversations.getMembers(chat);
    assert.deepEqual(members.map((m) => [m.id, m.aadObjectId]), [[users[7]!.id, users[7]!.aadObjectId]]);
    const channels = await api.teams.getConversations(teamId);
    assert.deepEqual(channels.map((c) => c.id), [teamId, '19:news@thread.tacv2']);
    const channelMembers = await api.conversations.getMembers('19:news@thread.tacv2');
    assert.equal(channelMembers.length, 120);
  });

  it('refuses a request without an Authorization header (401), accepts any bearer token', async () => {
    const sim = await start();
    const anonymous = new ApiClient(sim.url); // the SDK's default HTTP client: no token
    const refused = await failure(openChat(anonymous, tenantA, '29:alex'));
    assert.equal(refused.response?.status, 401);
    const refusedSend = await failure(anonymous.conversations.activities(sim.conversationIdFor(tenantA, '29:alex')).create(cardActivity('m')));
    assert.equal(refusedSend.response?.status, 401);
    assert.equal(sim.deliveries.length, 0);
    assert.equal(sim.stats().unauthorized, 2);
    const withToken = new ApiClient(sim.url, { token: 'whatever-it-is' });
    assert.ok((await withToken.conversations.activities(await openChat(withToken, tenantA, '29:alex')).create(cardActivity('m'))).id);
  });

  it('enforces the documented 50 requests/s per tenant by default: 429 with Retry-After, counted, other tenants unaffected', async () => {
    const sim = await start();
    const api = apiFor(sim.url);
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => openChat(api, tenantA, `29:user-${i}`)));
    const throttled = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(results.length - throttled.length, 50);
    assert.equal(throttled.length, 10);
    for (const r of throttled) {
      const err = r.reason as AxiosFailure;
      assert.equal(err.response?.status, 429);
      assert.ok(Number(err.response?.headers['retry-after']) >= 1, 'Retry-After in whole seconds');
      assert.equal(err.response?.data?.error?.code, 'TooManyRequests');
    }
    assert.ok(await openChat(api, tenantB, '29:user-0'), 'the cap is per tenant');
    const stats = sim.stats();
    assert.equal(stats.throttled, 10);
    assert.equal(stats.perTenant[tenantA]!.throttledByScope.tenant, 10);
    assert.equal(stats.perTenant[tenantB]!.throttled, 0);
    assert.equal(sim.throttles.length, 10);
    assert.ok(sim.throttles.every((t) => t.tenantId === tenantA && t.op === 'createConversation' && t.scope === 'tenant'));
    assert.equal(sim.report().throttled, 10);
  });

  it('counts a configurable cap exactly (token bucket), and changes it at runtime', async () => {
    const sim = await start({ capPerTenant: 0.01, capAlgorithm: 'token-bucket', burst: 5, perConversation: false });
    const api = apiFor(sim.url);
    const chat = sim.conversationIdFor(tenantA, '29:megan');
    let ok = 0, limited = 0;
    for (let i = 0; i < 8; i++) {
      try { await api.conversations.activities(chat).create(cardActivity(`m-${i}`)); ok += 1; } catch (err) { assert.equal((err as AxiosFailure).response?.status, 429); limited += 1; }
    }
    assert.deepEqual([ok, limited], [5, 3]);
    assert.equal(Number(sim.throttles[0]!.retryAfterSeconds) > 60, true, 'Retry-After reflects the refill rate (1 token per 100 s)');
    sim.control.setCap(0);
    await api.conversations.activities(chat).create(cardActivity('m-after'));
    assert.equal(sim.deliveries.length, 6);
  });

  it('enforces the per-bot-per-thread limit (7 sends per second to one conversation) with no tenant cap', async () => {
    const sim = await start({ capPerTenant: 0 });
    const api = apiFor(sim.url);
    const chat = await openChat(api, tenantA, '29:adele');
    const results = await Promise.allSettled(Array.from({ length: 9 }, (_, i) => api.conversations.activities(chat).create(cardActivity(`m-${i}`))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 7);
    assert.equal(sim.stats().perTenant[tenantA]!.throttledByScope.conversation, 2);
    // one message to each of many users never meets the thread limit
    const many = await Promise.all(Array.from({ length: 30 }, async (_, i) => api.conversations.activities(await openChat(api, tenantA, `29:u${i}`)).create(cardActivity('broadcast'))));
    assert.equal(many.length, 30);
  });

  it('detects a retry that comes back before its Retry-After expired', async () => {
    const sim = await start({ capPerTenant: 0.01, capAlgorithm: 'token-bucket', burst: 1, perConversation: false, retryAfterSeconds: 1 });
    const api = apiFor(sim.url);
    const alex = sim.conversationIdFor(tenantA, '29:alex');
    const megan = sim.conversationIdFor(tenantA, '29:megan');
    await api.conversations.activities(alex).create(cardActivity('m-1'));
    const first = await failure(api.conversations.activities(megan).create(cardActivity('m-1')));
    assert.equal(first.response?.status, 429);
    assert.equal(first.response?.headers['retry-after'], '1');
    await failure(api.conversations.activities(megan).create(cardActivity('m-1'))); // at once: early
    assert.equal(sim.stats().perTenant[tenantA]!.earlyRetries, 1);
    assert.equal(sim.earlyRetries[0]!.messageId, 'm-1');
    assert.ok(sim.earlyRetries[0]!.earlyByMs > 0);
    await sleep(1100); // honouring the Retry-After of the second 429
    await failure(api.conversations.activities(megan).create(cardActivity('m-1')));
    assert.equal(sim.stats().perTenant[tenantA]!.earlyRetries, 1, 'a retry after Retry-After is not early');
    assert.equal(sim.report().earlyRetries, 1);
    assert.equal(sim.stats().throttled, 3);
  });

  it('answers a 5xx burst (next N requests, or for a time) without delivering', async () => {
    const sim = await start({ capPerTenant: 0 });
    const api = apiFor(sim.url);
    const chat = await openChat(api, tenantA, '29:alex');
    sim.control.serverErrors({ count: 3, ops: ['sendActivity'] });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await failure(api.conversations.activities(chat).create(cardActivity(`m-${i}`)))).response!.status);
    assert.deepEqual(statuses, [500, 502, 503]);
    assert.equal(sim.deliveries.length, 0);
    await api.conversations.activities(chat).create(cardActivity('m-3'));
    assert.equal(sim.deliveries.length, 1, 'the burst is over after 3');

    sim.control.serverErrors({ forMs: 300, statuses: [503] });
    assert.equal((await failure(openChat(api, tenantA, '29:megan'))).response?.status, 503);
    await sleep(350);
    assert.ok(await openChat(api, tenantA, '29:megan'));
    assert.equal(sim.stats().serverErrors, 4);
  });

  it('starts a 5xx burst after letting a given number of matching requests through', async () => {
    const sim = await start({ capPerTenant: 0 });
    const api = apiFor(sim.url);
    const chat = await openChat(api, tenantA, '29:alex');
    sim.control.serverErrors({ after: 2, count: 1, statuses: [503], ops: ['sendActivity'] });
    await openChat(api, tenantA, '29:megan'); // another operation: neither passed nor failed by the burst
    assert.equal(sim.control.chaosState().serverErrors?.after, 2);
    await api.conversations.activities(chat).create(cardActivity('m-0'));
    await api.conversations.activities(chat).create(cardActivity('m-1'));
    assert.equal((await failure(api.conversations.activities(chat).create(cardActivity('m-2')))).response?.status, 503);
    await api.conversations.activities(chat).create(cardActivity('m-3'));
    assert.deepEqual(sim.deliveries.map((d) => d.messageId), ['m-0', 'm-1', 'm-3']);
    assert.equal(sim.stats().serverErrors, 1);
  });

  it('drops the connection after recording the delivery: the client errs, the delivery is recorded once, a naive retry shows as a duplicate', async () => {
    const users = syntheticUsers(tenantA, 3);
    const sim = await start({ capPerTenant: 0, tenants: { [tenantA]: { users } } });
    const api = apiFor(sim.url);
    const chat = await openChat(api, tenantA, users[0]!.id);
    const startedAt = Date.now();
    sim.control.drop({ count: 1, afterDelivery: true, ops: ['sendActivity'] });
    const err = await failure(api.conversations.activities(chat).create(cardActivity('msg-9')));
    assert.equal(err.response, undefined, 'no HTTP answer at all');
    assert.ok(err.code === 'ECONNRESET' || /socket hang up/i.test(err.message), `${err.code} ${err.message}`);
    assert.equal(sim.deliveries.length, 1);
    assert.equal(sim.deliveries[0]!.answered, 'dropped');
    const before = sim.report({ startedAt, messageId: 'msg-9', expected: { [tenantA]: [users[0]!.id] } });
    assert.deepEqual([before.ok, before.delivered, before.unacknowledged, before.dropped, before.duplicateCount], [true, 1, 1, 1, 0]);

    await api.conversations.activities(chat).create(cardActivity('msg-9')); // what a naive sender does
    const after = sim.report({ startedAt, messageId: 'msg-9', expected: { [tenantA]: [users[0]!.id] } });
    assert.equal(after.ok, false);
    assert.equal(after.duplicateCount, 1);
    assert.equal(after.duplicates[0]!.count, 2);
    assert.equal(after.duplicates[0]!.recipientId, users[0]!.id);

    // dropped before delivery: nothing recorded
    const other = await openChat(api, tenantA, users[1]!.id);
    sim.control.drop({ count: 1, ops: ['sendActivity'] });
    assert.equal((await failure(api.conversations.activities(other).create(cardActivity('msg-9')))).response, undefined);
    assert.equal(sim.deliveries.filter((d) => d.conversationId === other).length, 0);
  });

  it('report(): duplicates, missing, unexpected, latency and rate for a run', async () => {
    const users = syntheticUsers(tenantA, 4);
    const others = syntheticUsers(tenantB, 2, 'fab');
    const sim = await start({ capPerTenant: 0, tenants: { [tenantA]: { users }, [tenantB]: { users: others } } });
    const api = apiFor(sim.url);
    await api.conversations.activities(await openChat(api, tenantA, users[3]!.id)).create(cardActivity('old-message')); // before the run
    const startedAt = Date.now();
    for (const u of users.slice(0, 3)) await api.conversations.activities(await openChat(api, tenantA, u.id)).create(cardActivity('msg-2'));
    await api.conversations.activities(sim.conversationIdFor(tenantA, users[1]!.id)).create(cardActivity('msg-2')); // a duplicate
    await api.conversations.activities(await openChat(api, tenantB, others[0]!.id)).create(cardActivity('msg-2'));
    await api.conversations.activities(await openChat(api, tenantB, '29:stranger')).create(cardActivity('msg-2'));
    await api.conversations.activities(sim.conversationIdFor(tenantA, users[0]!.id)).create(cardActivity('msg-3')); // another message

    const r = sim.report({ startedAt, messageId: 'msg-2', expected: { [tenantA]: users.map((u) => u.id), [tenantB]: others.map((u) => u.aadObjectId!) } });
    assert.equal(r.ok, false);
    assert.equal(r.deliveries, 6);
    assert.equal(r.delivered, 5);
    assert.equal(r.duplicateCount, 1);
    assert.deepEqual(r.duplicates.map((d) => [d.tenantId, d.recipientId, d.messageId, d.count]), [[tenantA, users[1]!.id, 'msg-2', 2]]);
    assert.equal(r.missingCount, 2);
    assert.deepEqual(r.missing.sort((a, b) => a.tenantId.localeCompare(b.tenantId)), [{ tenantId: tenantA, recipientId: users[3]!.id }, { tenantId: tenantB, recipientId: others[1]!.aadObjectId! }]);
    assert.equal(r.unexpected, 1, 'the stranger');
    assert.deepEqual([r.perTenant[tenantA]!.delivered, r.perTenant[tenantA]!.duplicates, r.perTenant[tenantA]!.missing], [3, 1, 1]);
    assert.ok(r.latencyMs && r.latencyMs.p50 >= 0 && r.latencyMs.p50 <= r.latencyMs.p99 && r.latencyMs.p99 <= r.latencyMs.max);
    assert.ok(r.ratePerSecond > 0);

    const clean = sim.report({ startedAt, messageId: 'msg-3', expected: { [tenantA]: [users[0]!.id] } });
    assert.deepEqual([clean.ok, clean.delivered, clean.missingCount, clean.duplicateCount], [true, 1, 0, 0]);
  });

  it('answers 403 for a user who always fails, and only for them', async () => {
    const users = syntheticUsers(tenantA, 2);
    const sim = await start({ capPerTenant: 0, tenants: { [tenantA]: { users } }, chaos: { failingUsers: [users[0]!.aadObjectId!] } });
    const api = apiFor(sim.url);
    const create = await failure(openChat(api, tenantA, users[0]!.id));
    assert.equal(create.response?.status, 403);
    assert.equal(create.response?.data?.error?.code, 'ConversationBlockedByUser');
    const send = await failure(api.conversations.activities(sim.conversationIdFor(tenantA, users[0]!.id)).create(cardActivity('m')));
    assert.equal(send.response?.status, 403);
    await api.conversations.activities(await openChat(api, tenantA, users[1]!.id)).create(cardActivity('m'));
    assert.deepEqual(sim.deliveries.map((d) => d.recipientId), [users[1]!.id]);
    assert.equal(sim.stats().forbidden, 2);
    sim.control.failUsers([]);
    await api.conversations.activities(sim.conversationIdFor(tenantA, users[0]!.id)).create(cardActivity('m'));
    assert.equal(sim.deliveries.length, 2);
  });

  it('slows responses: a client that times out still got its activity delivered', async () => {
    const sim = await start({ capPerTenant: 0 });
    const chat = sim.conversationIdFor(tenantA, '29:alex');
    sim.control.slow({ delayMs: 2000, ops: ['sendActivity'] });
    const impatient = apiFor(sim.url, { timeout: 150 });
    const err = await failure(impatient.conversations.activities(chat).create(cardActivity('m-slow')));
    assert.equal(err.response, undefined);
    assert.equal(err.code, 'ECONNABORTED');
    assert.equal(sim.deliveries.length, 1);
    assert.equal(sim.stats().slowed, 1);
    sim.control.slow(null);
    assert.ok((await impatient.conversations.activities(chat).create(cardActivity('m-fast'))).id);
  });

  it('404 for unknown conversations; ids it handed out still work after a restart; seeded ids; 413 for oversized activities', async () => {
    const first = await start({ capPerTenant: 0 });
    const api1 = apiFor(first.url);
    const chat = await openChat(api1, tenantA, '29:adele');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const sim = await start({ capPerTenant: 0 });
    const api = apiFor(sim.url);
    await api.conversations.activities(chat).create(cardActivity('after-restart'));
    assert.deepEqual([sim.deliveries[0]!.tenantId, sim.deliveries[0]!.recipientId], [tenantA, '29:adele']);
    assert.equal((await failure(api.conversations.activities('19:nobody@thread.tacv2').create(cardActivity('x')))).response?.status, 404);
    assert.equal((await failure(api.conversations.activities('a:1garbage').create(cardActivity('x')))).response?.status, 404);
    sim.control.addConversation({ id: 'conv-seeded-1', tenantId: tenantB, userId: '29:seeded' }); // ids a benchmark seeded itself
    await api.conversations.activities('conv-seeded-1').create(cardActivity('seeded'));
    assert.deepEqual([sim.deliveries[1]!.tenantId, sim.deliveries[1]!.recipientId], [tenantB, '29:seeded']);
    const big = { type: 'message', text: 'x'.repeat(110 * 1024) } as unknown as IMessageActivityInput;
    const tooBig = await failure(api.conversations.activities(chat).create(big));
    assert.equal(tooBig.response?.status, 413);
    assert.equal(tooBig.response?.data?.error?.code, 'MessageSizeTooBig');

    const open = await start({ capPerTenant: 0, acceptUnknownConversations: true });
    const channel = '19:general@thread.tacv2';
    await apiFor(open.url).conversations.activities(channel).create({ ...cardActivity('to-channel'), channelData: { tenant: { id: tenantB } } } as IMessageActivityInput);
    assert.deepEqual([open.deliveries[0]!.tenantId, open.deliveries[0]!.recipientId], [tenantB, channel]);
  });

  it('can be driven over HTTP (/_simulator/*) by a process that did not start it', async () => {
    const sim = await start({ capPerTenant: 0 });
    const api = apiFor(sim.url);
    const post = (path: string, body: unknown) => fetch(`${sim.url}/_simulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('chaos', { serverErrors: { count: 1, statuses: [502] } })).status, 200);
    assert.equal((await failure(openChat(api, tenantA, '29:alex'))).response?.status, 502);
    await api.conversations.activities(await openChat(api, tenantA, '29:alex')).create(cardActivity('m-http'));
    const stats = await (await fetch(`${sim.url}/_simulator/stats`)).json() as { delivered: number; serverErrors: number };
    assert.deepEqual([stats.delivered, stats.serverErrors], [1, 1]);
    const report = await (await post('report', { messageId: 'm-http', expected: { [tenantA]: ['29:alex', '29:megan'] } })).json() as { delivered: number; missing: unknown[] };
    assert.equal(report.delivered, 1);
    assert.deepEqual(report.missing, [{ tenantId: tenantA, recipientId: '29:megan' }]);
    assert.equal((await post('cap', { capPerTenant: -1 })).status, 400);
    assert.equal((await post('reset', {})).status, 204);
    assert.equal(sim.deliveries.length, 0);
  });

  it('keeps up with a load generator in another process (self-measurement, printed only)', async function () {
    this.timeout(180_000);
    const sim = await start({ capPerTenant: 0 });
    const recipients = 5000;
    const tenants = 4;
    const cpuBefore = process.cpuUsage();
    const loadScript = fileURLToPath(new URL('../src/connector/load.ts', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', loadScript, '--url', sim.url, '--recipients', String(recipients), '--concurrency', '64', '--tenants', String(tenants), '--message-id', 'bench-1'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`load generator exited ${code}`))));
    });
    const cpu = process.cpuUsage(cpuBefore);
    const load = JSON.parse(output.trim().split('\n').pop()!) as LoadResult;
    const stats = sim.stats();
    const report = sim.report({ messageId: 'bench-1', expected: loadRecipients({ recipients, tenants }) });
    const cpuMicros = cpu.user + cpu.system;
    // the load generator (one process, one core) is the limit here; the simulator's CPU per request says what it could take
    console.log(`      connector simulator at no cap: ${load.requests} requests in ${load.seconds.toFixed(2)} s = ${load.requestsPerSecond.toFixed(0)} requests/s `
      + `(${report.ratePerSecond.toFixed(0)} deliveries/s); simulator process busy ${((cpuMicros / 1e6 / load.seconds) * 100).toFixed(0)}% of one core, `
      + `${(cpuMicros / stats.requests).toFixed(0)} µs CPU/request ≈ ${(1e6 / (cpuMicros / stats.requests)).toFixed(0)} requests/s on a core of its own`);
    assert.deepEqual(load.statuses, { 201: 2 * recipients });
    assert.equal(report.ok, true);
    assert.equal(report.delivered, recipients);
    assert.equal(stats.requests, 2 * recipients);
  });
});
