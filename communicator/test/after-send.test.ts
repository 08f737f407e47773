import assert from 'node:assert/strict';
import { ConnectorSpy, cardOf, cardTitle } from './helpers/connector-spy.js';
import { draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';
import { servicesFor } from '../src/services.js';

const en = draftInput('').variants[0]!;
const fr = draftInput('').variants[1]!;
const edited = [
  { ...en, title: 'Hybrid work policy (corrected date)', body: 'From **15 October** the new policy applies.' },
  { ...fr, title: 'Politique de travail hybride (date corrigée)', body: 'À partir du **15 octobre** la nouvelle politique s’applique.' },
];

/** The message once its edit or recall has finished. */
async function afterSendDone(h: Harness, id: string, kind: 'update' | 'recall') {
  return eventually(async () => {
    const m = (await h.as(users.megan).get(`/messages/${id}`)).body;
    return m.afterSend?.kind === kind && m.afterSend.state === 'done' ? m : undefined;
  }, `the ${kind} of ${id} to finish`, 30_000);
}

const cardJson = (call: { body: any }) => JSON.stringify(cardOf(call.body));

describe('Company Communicator: editing and recalling sent cards (Agents Playground)', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;
  let messageId: string;
  const chats: Record<string, string> = {};
  const who = ['adele', 'isaiah', 'patti'] as const;

  before(async function () {
    h = await startHarness({ playground: true, options: { afterSendRetrySeconds: 1 } });
    const pg = h.playground!;
    spy = await ConnectorSpy.start(pg.serviceUrl);
    topicId = (await h.as(users.megan).post('/topics', { name: 'HR' })).body.id;
    chats.adele = await pg.installFor(mock.adele.id, { locale: 'fr-FR', serviceUrl: spy.url });
    chats.isaiah = await pg.installFor(mock.isaiah.id, { locale: 'en-US', serviceUrl: spy.url });
    chats.patti = await pg.installFor(mock.patti.id, { locale: 'fr-FR', serviceUrl: spy.url });
    await waitForInstalls(h, 3);

    const megan = h.as(users.megan);
    messageId = (await megan.post('/drafts', draftInput(topicId))).body.id;
    assert.equal((await megan.post(`/messages/${messageId}/send`, {})).status, 200);
    const sent = await waitForStatus(h, messageId, 'sent');
    assert.equal(sent.counts.sent, 3);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  it('keeps each personal install\'s Teams user id (core), so the send looked up no roster', async function () {
    const installs = await waitForInstalls(h, 3);
    assert.deepEqual(installs.map((i) => i.teamsUserId).sort(), [mock.adele.id, mock.isaiah.id, mock.patti.id].sort());
    for (const name of who) assert.equal((await recipientRow(h, messageId, mock[name].aad))!.teamsUserId, mock[name].id, name);
    // (the Teams SDK reads the installing member, GET …/members/{id}, when the install arrives: that is not the send's)
    assert.equal(spy.calls.filter((c) => c.method === 'GET' && /\/members$/.test(c.path)).length, 0, 'no conversation members lookup by the send');
  });

  it('only edits or recalls a sent message: a draft or a message still sending gets 409', async function () {
    const megan = h.as(users.megan);
    const draft = (await megan.post('/drafts', draftInput(topicId))).body;
    assert.equal((await megan.post(`/messages/${draft.id}/update`, { variants: edited, etag: draft.etag })).status, 409);
    assert.equal((await megan.post(`/messages/${draft.id}/recall`)).status, 409);
    // a message in the middle of its send
    const s = servicesFor(h.server.ctx, {});
    const row = (await s.messages.get(scope, draft.id))!;
    const sending = await s.messages.transition(scope, draft.id, ['draft'], 'sending');
    assert.ok(sending);
    const update = await megan.post(`/messages/${draft.id}/update`, { variants: edited, etag: sending.etag });
    assert.equal(update.status, 409);
    assert.match(update.body.error.message, /still being sent/);
    assert.equal((await megan.post(`/messages/${draft.id}/recall`)).status, 409);
    assert.equal((await s.messages.get(scope, draft.id))!.variants[0]!.title, row.variants[0]!.title, 'nothing changed');
    assert.equal((await megan.post('/messages/01NOSUCHMESSAGE/recall')).status, 404);
    assert.equal((await h.as(users.adele).post(`/messages/${messageId}/recall`)).status, 403, 'not an author');
  });

  it('validates an edit like a draft: a card over the size limit or a stale etag changes nothing', async function () {
    const megan = h.as(users.megan);
    const current = (await megan.get(`/messages/${messageId}`)).body;
    const long = Array.from({ length: 10 }, (_, i) => `Paragraph ${i}: ${'lorem ipsum dolor sit amet '.repeat(100)}`).join('\n\n');
    const tooBig = await megan.post(`/messages/${messageId}/update`, { variants: [{ ...edited[0], body: long }], etag: current.etag });
    assert.equal(tooBig.status, 400);
    assert.match(tooBig.body.error.message, /limit/);
    const invalid = await megan.post(`/messages/${messageId}/update`, { variants: [{ ...edited[0], links: [{ title: 'x', url: 'javascript:alert(1)' }] }], etag: current.etag });
    assert.equal(invalid.status, 400);
    assert.ok(invalid.body.error.details.some((d: { field: string }) => d.field === 'variants.0.links.0.url'));
    const stale = await megan.post(`/messages/${messageId}/update`, { variants: edited, etag: 'W/"datetime\'2001-01-01T00%3A00%3A00.0000000Z\'"' });
    assert.equal(stale.status, 412);
    const after = (await megan.get(`/messages/${messageId}`)).body;
    assert.equal(after.etag, current.etag, 'the message was not touched');
    assert.equal(after.afterSend, undefined);
    assert.equal(spy.calls.filter((c) => c.method === 'PUT').length, 0, 'no card was touched');
  });

  it('edits every delivered card in place, in each recipient\'s language and with their answer; a 429 waits for Retry-After', async function () {
    const pg = h.playground!;
    const megan = h.as(users.megan);
    // Adele reacted before the edit: her edited card still shows her answer
    const adele = (await recipientRow(h, messageId, mock.adele.aad))!;
    const reaction = await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'reaction', reaction: 'celebrate' } });
    assert.equal(reaction.status, 200);
    spy.fail(chats.isaiah!, 429, { method: 'PUT', headers: { 'retry-after': '2' } });

    const current = (await megan.get(`/messages/${messageId}`)).body;
    const res = await megan.post(`/messages/${messageId}/update`, { variants: edited, etag: current.etag });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.afterSend.kind, 'update');
    assert.equal(res.body.afterSend.state, 'running');
    assert.equal(res.body.variants[0].title, edited[0]!.title);
    const again = await megan.post(`/messages/${messageId}/update`, { variants: edited, etag: res.body.etag });
    assert.equal(again.status, 409, 'one edit at a time');

    const done = await afterSendDone(h, messageId, 'update');
    assert.deepEqual({ done: done.afterSend.done, failed: done.afterSend.failed, total: done.afterSend.total }, { done: 3, failed: 0, total: 3 });
    for (const name of who) {
      const row = (await recipientRow(h, messageId, mock[name].aad))!;
      const puts = spy.puts(chats[name]!);
      const ok = puts.filter((c) => c.status === 200);
      assert.equal(ok.length, 1, `${name}: one successful PUT`);
      assert.ok(ok[0]!.path.endsWith(`/activities/${encodeURIComponent(row.activityId!)}`) || ok[0]!.path.endsWith(`/activities/${row.activityId}`), `${name}: the activity delivered`);
      const expected = name === 'isaiah' ? edited[0]!.title : edited[1]!.title;
      assert.equal(cardTitle(cardOf(ok[0]!.body)), expected, `${name}: new title in their language`);
      assert.equal(row.after?.state, 'done');
    }
    const adeleCard = cardJson(spy.puts(chats.adele!).at(-1)!);
    assert.match(adeleCard, /Votre réponse/, 'Adele\'s answer stays on her card');
    assert.ok(!adeleCard.includes('"reaction":"like"'), 'her reaction buttons stay answered');
    assert.ok(!cardJson(spy.puts(chats.patti!).at(-1)!).includes('Votre réponse'), 'Patti answered nothing');
    // Isaiah's first PUT was throttled; the retry waited for Retry-After
    const isaiah = spy.puts(chats.isaiah!);
    assert.deepEqual(isaiah.map((c) => c.status), [429, 200]);
    assert.ok(isaiah[1]!.at - isaiah[0]!.at >= 1900, `retried ${isaiah[1]!.at - isaiah[0]!.at} ms after a Retry-After of 2 s`);
    // later card actions render the edited content
    const patti = (await recipientRow(h, messageId, mock.patti.aad))!;
    const refresh = await pg.invoke({ conversationId: chats.patti!, fromUserId: mock.patti.id, replyToId: patti.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });
    assert.equal(cardTitle(refresh.body.value), edited[1]!.title);
  });

  it('a redelivered edit job does only the recipients it had not finished', async function () {
    const s = servicesFor(h.server.ctx, {});
    const message = (await s.messages.get(scope, messageId))!;
    const op = message.afterSend!.op;
    // as if the worker had died after Adele and Isaiah, with Patti claimed but not finished
    await s.messages.patch(scope, messageId, (m) => ({ afterSend: { ...m.afterSend!, state: 'running' } }));
    await s.recipients.mutate(scope, messageId, (await recipientRow(h, messageId, mock.patti.aad))!.rowKey, (c) => c && { ...c, after: { op, state: 'running', claim: 'crashed-worker', at: new Date().toISOString() } });
    const before = Object.fromEntries(who.map((n) => [n, spy.puts(chats[n]!).length]));
    await s.queues.afterSend.enqueue({ tenantId: scope.tenantId, messageId, op, kind: 'update' });
    const done = await afterSendDone(h, messageId, 'update');
    assert.deepEqual([done.afterSend.done, done.afterSend.failed], [3, 0]);
    assert.equal(spy.puts(chats.patti!).length, before.patti! + 1, 'Patti\'s card is updated again');
    assert.equal(spy.puts(chats.adele!).length, before.adele, 'Adele\'s is not');
    assert.equal(spy.puts(chats.isaiah!).length, before.isaiah, 'nor Isaiah\'s');
  });

  it('recalls every card (5xx retried, 404 = already gone), then card actions answer "withdrawn" and nothing more is recorded', async function () {
    const pg = h.playground!;
    const megan = h.as(users.megan);
    spy.fail(chats.adele!, 500, { method: 'DELETE' });
    spy.fail(chats.patti!, 404, { method: 'DELETE' });
    const res = await megan.post(`/messages/${messageId}/recall`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.recalled, true);
    assert.equal(res.body.afterSend.kind, 'recall');

    const done = await afterSendDone(h, messageId, 'recall');
    assert.deepEqual({ done: done.afterSend.done, failed: done.afterSend.failed, total: done.afterSend.total }, { done: 3, failed: 0, total: 3 });
    for (const name of who) {
      const row = (await recipientRow(h, messageId, mock[name].aad))!;
      const deletes = spy.deletes(chats[name]!);
      assert.ok(deletes.at(-1)!.path.endsWith(`/activities/${encodeURIComponent(row.activityId!)}`) || deletes.at(-1)!.path.endsWith(`/activities/${row.activityId}`), name);
      assert.deepEqual(deletes.map((c) => c.status), name === 'adele' ? [500, 200] : name === 'patti' ? [404] : [200], name);
    }

    const feedbackBefore = (await megan.get(`/messages/${messageId}/report`)).body.counts.feedback;
    const adele = (await recipientRow(h, messageId, mock.adele.aad))!;
    const answer = await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'acknowledge' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(answer.body.value), /Ce message a été retiré/);
    const isaiah = (await recipientRow(h, messageId, mock.isaiah.aad))!;
    const refresh = await pg.invoke({ conversationId: chats.isaiah!, fromUserId: mock.isaiah.id, replyToId: isaiah.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });
    assert.match(JSON.stringify(refresh.body.value), /This message was withdrawn/);
    assert.equal((await recipientRow(h, messageId, mock.isaiah.aad))!.readAt, isaiah.readAt, 'no read recorded');
    assert.equal((await megan.get(`/messages/${messageId}/report`)).body.counts.feedback, feedbackBefore, 'no feedback recorded');

    // a recalled message is not edited, recalled or resent again
    const current = (await megan.get(`/messages/${messageId}`)).body;
    assert.equal((await megan.post(`/messages/${messageId}/update`, { variants: edited, etag: current.etag })).status, 409);
    assert.equal((await megan.post(`/messages/${messageId}/recall`)).status, 409);
    assert.equal((await megan.post(`/messages/${messageId}/resend`, { to: 'unread' })).status, 409);
  });
});
