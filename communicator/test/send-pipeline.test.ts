import assert from 'node:assert/strict';
import { ulid } from 'ulid';
import { recipientKeys } from '../src/domain/keys.js';
import { servicesFor } from '../src/services.js';
import { SendClaimStore } from '../src/store/send-claim-store.js';
import { ConnectorSpy, cardOf } from './helpers/connector-spy.js';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';

describe('Company Communicator: the send pipeline under Bot Connector errors and redelivery', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;
  const chats: Record<string, string> = {};

  before(async function () {
    h = await startHarness({ playground: true, options: { sendingGraceMs: 500, finalizeIntervalSeconds: 1 } });
    spy = await ConnectorSpy.start(h.playground!.serviceUrl);
    topicId = (await h.as(users.megan).post('/topics', { name: 'Ops' })).body.id;
    for (const [name, user] of [['adele', mock.adele], ['isaiah', mock.isaiah], ['patti', mock.patti], ['lynne', mock.lynne]] as const) {
      chats[name] = await h.playground!.installFor(user.id, { locale: user.locale, serviceUrl: spy.url });
    }
    await waitForInstalls(h, 4);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  it('waits out 429 Retry-After, retries 5xx, and fails for good on 403 and 404 with the reason', async function () {
    spy.fail(chats.adele!, 429, { headers: { 'Retry-After': '2' } });
    spy.fail(chats.isaiah!, 502, { times: 2 });
    spy.fail(chats.patti!, 403);
    spy.fail(chats.lynne!, 404);
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId))).body.id;
    await megan.post(`/messages/${id}/send`, {});
    const done = await waitForStatus(h, id, 'sent', 40_000);
    assert.deepEqual(
      { recipients: done.counts.recipients, sent: done.counts.sent, failed: done.counts.failed, retried: done.counts.retried },
      { recipients: 4, sent: 2, failed: 2, retried: 2 },
    );

    const adelePosts = spy.posts(chats.adele!).filter((c) => cardOf(c.body));
    assert.deepEqual(adelePosts.map((c) => c.status), [429, 201]);
    assert.ok(adelePosts[1]!.at - adelePosts[0]!.at >= 2000, 'not retried before Retry-After');
    assert.deepEqual(spy.posts(chats.isaiah!).filter((c) => cardOf(c.body)).map((c) => c.status), [502, 502, 201]);
    assert.equal(spy.posts(chats.patti!).filter((c) => cardOf(c.body)).length, 1, '403 is not retried');

    const rows = (await megan.get(`/messages/${id}/recipients`)).body.items;
    const byName = Object.fromEntries(rows.map((r: any) => [r.name, r]));
    assert.deepEqual([byName['Adele Vance'].status, byName['Adele Vance'].retries], ['sent', 1]);
    assert.deepEqual([byName['Isaiah Langer'].status, byName['Isaiah Langer'].retries], ['sent', 2]);
    assert.equal(byName['Patti Fernandez'].status, 'failed');
    assert.match(byName['Patti Fernandez'].failureReason, /403/);
    assert.match(byName['Lynne Robbins'].failureReason, /404/);

    // resend to the failed ones only, now that the connector accepts them
    const resend = await megan.post(`/messages/${id}/resend`, { to: 'failed' });
    assert.equal(resend.status, 201);
    const again = await waitForStatus(h, resend.body.id, 'sent');
    assert.deepEqual([again.counts.recipients, again.counts.sent], [2, 2]);
  });

  it('never sends twice: a job redelivered after a crash records "sent, unconfirmed" instead of sending again', async function () {
    const s = servicesFor(h.server.ctx, {});
    const megan = h.as(users.megan);
    const id = (await megan.post('/drafts', draftInput(topicId))).body.id;
    await s.messages.transition(scope, id, ['draft'], 'sending', { sendAt: new Date().toISOString() });
    const base = { kind: 'user' as const, retries: 0, serviceUrl: spy.url, locale: 'en-US' };
    // Adele: a worker (before send claims) marked her row "sending" and died during the Bot Connector call
    // Isaiah: a worker recorded "sent" and died before counting it
    // Patti: a worker claimed her send (choosing French) and died during the call, her row still queued
    // Lynne: her first send was claimed, then handed back to the queue (claimSeq 1): her next send is hers to claim
    await s.recipients.createMissing(scope, id, [
      { key: recipientKeys.user(mock.adele.aad), data: { ...base, aadId: mock.adele.aad, name: 'Adele Vance', conversationId: chats.adele, status: 'sending', attemptId: ulid() } },
      { key: recipientKeys.user(mock.isaiah.aad), data: { ...base, aadId: mock.isaiah.aad, name: 'Isaiah Langer', conversationId: chats.isaiah, status: 'sent', activityId: 'earlier', sentAt: new Date().toISOString(), counted: false } },
      { key: recipientKeys.user(mock.patti.aad), data: { ...base, aadId: mock.patti.aad, name: 'Patti Fernandez', conversationId: chats.patti, status: 'queued' } },
      { key: recipientKeys.user(mock.lynne.aad), data: { ...base, aadId: mock.lynne.aad, name: 'Lynne Robbins', conversationId: chats.lynne, status: 'queued', claimSeq: 1 } },
    ]);
    await s.sendClaims.claim(scope, [{ row: (await recipientRow(h, id, mock.patti.aad))!, locale: 'fr-FR' }]);
    await s.sendClaims.claim(scope, [{ row: { ...(await recipientRow(h, id, mock.lynne.aad))!, claimSeq: 0 }, locale: 'en-US' }]);
    // a second claim of the same send, as another process (no cache) would try it
    await assert.rejects(new SendClaimStore(h.server.ctx.storage).claim(scope, [{ row: (await recipientRow(h, id, mock.patti.aad))! }]), (err: any) => err.status === 409, 'a send is claimed once');
    await s.counters.setMeta(scope, id, { recipients: 4, preFailed: 0 });
    const postsBefore = spy.calls.length;
    await s.ensureQueues();
    for (const who of [mock.adele, mock.isaiah, mock.isaiah, mock.patti, mock.lynne]) await s.queues.send.enqueue({ tenantId: scope.tenantId, messageId: id, keys: [recipientKeys.user(who.aad)] });
    await s.queues.pipeline.enqueue({ kind: 'finalize', tenantId: scope.tenantId, messageId: id, idleChecks: 0, lastDone: 0 });

    const done = await waitForStatus(h, id, 'sent', 30_000);
    assert.deepEqual([done.counts.sent, done.counts.failed], [4, 0], 'each counted once, though Isaiah\'s job ran twice');
    const posted = spy.calls.slice(postsBefore).filter((c) => c.method === 'POST' && cardOf(c.body));
    assert.deepEqual(posted.map((c) => c.conversationId), [chats.lynne], 'only Lynne, whose claimed send was handed back, was sent to');
    const adele = (await recipientRow(h, id, mock.adele.aad))!;
    assert.deepEqual([adele.status, adele.unconfirmed, adele.activityId], ['sent', true, undefined]);
    const patti = (await recipientRow(h, id, mock.patti.aad))!;
    assert.deepEqual([patti.status, patti.unconfirmed, patti.locale], ['sent', true, 'fr-FR'], 'recorded with what her claim chose');
    const lynne = (await recipientRow(h, id, mock.lynne.aad))!;
    assert.deepEqual([lynne.status, lynne.unconfirmed, lynne.claimSeq], ['sent', undefined, 1]);
    const view = (await megan.get(`/messages/${id}/recipients`)).body.items.find((r: any) => r.name === 'Adele Vance');
    assert.equal(view.unconfirmed, true);
  });

  it('send jobs that start together read the message once and share it (one per-send card template, not one per job)', async function () {
    const s = servicesFor(h.server.ctx, {});
    const id = (await h.as(users.megan).post('/drafts', draftInput(topicId))).body.id;
    const copies = await Promise.all(Array.from({ length: 8 }, () => s.messageContent(scope, id)));
    assert.ok(copies[0], 'the message was read');
    assert.ok(copies.every((m) => m === copies[0]), 'every job got the same copy');
    assert.equal(await s.messageContent(scope, id), copies[0], 'and later ones too');
    assert.equal(await s.messageContent(scope, '01NOSUCHMESSAGE0000000000A'), undefined);
    assert.equal(await s.messageContent({ tenantId: '22222222-2222-2222-2222-222222222222' }, id), undefined, "another tenant's scope finds nothing");
  });

  it('erases finished messages older than the tenant\'s retention, with their report', async function () {
    const s = servicesFor(h.server.ctx, {});
    const alex = h.as(users.alex);
    const megan = h.as(users.megan);
    const sent = (await megan.get('/messages?status=sent')).body as Array<{ id: string }>;
    assert.ok(sent.length >= 2);
    const old = (await s.messages.get(scope, sent[0]!.id))!;
    const { partition: _p, rowKey: _r, etag: _e, updatedAt: _u, ...data } = old;
    await s.messages.replace(scope, old.rowKey, { ...data, sendAt: new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString() }, old.etag);
    const draft = (await megan.post('/drafts', draftInput(topicId))).body.id;

    assert.equal(await s.retention.sweep(scope), 0, 'retention 0 keeps everything');
    const settings = (await alex.get('/settings')).body;
    await alex.put('/settings', { authors: settings.authors, retentionDays: 30, etag: settings.etag });
    const oldRows = await s.recipients.listAll(scope, old.rowKey);
    await s.sendClaims.claim(scope, [{ row: { ...oldRows[0]!, claimSeq: 99 } }]);
    assert.equal((await s.sendClaims.current(scope, [{ ...oldRows[0]!, claimSeq: 99 }])).size, 1);
    assert.equal(await s.retention.sweep(scope), 1);
    assert.equal((await megan.get(`/messages/${old.rowKey}`)).status, 404);
    assert.equal((await s.recipients.listAll(scope, old.rowKey)).length, 0);
    assert.equal((await s.sendClaims.current(scope, [{ ...oldRows[0]!, claimSeq: 99 }])).size, 0, 'its send claims went with it');
    assert.equal((await s.counters.totals(scope, old.rowKey)).meta, undefined);
    assert.equal((await megan.get(`/messages/${sent[1]!.id}`)).status, 200, 'a recent one stays');
    assert.equal((await megan.get(`/messages/${draft}`)).status, 200, 'drafts are not touched');
  });
});
