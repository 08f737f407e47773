import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { ConnectorSpy, cardOf, cardTitle } from './helpers/connector-spy.js';
import { draftInput, eventually, publicUrl, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';

const en = draftInput('').variants[0]!;
const fr = draftInput('').variants[1]!;

describe('Company Communicator: a broadcast through the Microsoft 365 Agents Playground', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;
  let messageId: string;
  const chats: Record<string, string> = {};

  before(async function () {
    h = await startHarness({ playground: true });
    const pg = h.playground!;
    spy = await ConnectorSpy.start(pg.serviceUrl);
    topicId = (await h.as(users.megan).post('/topics', { name: 'HR' })).body.id;
    // Alex installs from the Playground itself; Adele, Isaiah and Patti through installationUpdate activities
    await pg.install();
    chats.alex = pg.config.personalChat.id;
    chats.adele = await pg.installFor(mock.adele.id, { locale: 'fr-FR', serviceUrl: spy.url });
    chats.isaiah = await pg.installFor(mock.isaiah.id, { locale: 'en-US', serviceUrl: spy.url });
    chats.patti = await pg.installFor(mock.patti.id, { locale: 'fr-FR', serviceUrl: spy.url });
    await waitForInstalls(h, 4);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  it('sends an English and French message to everyone who installed the app, each in their language', async function () {
    const megan = h.as(users.megan);
    const draft = await megan.post('/drafts', draftInput(topicId));
    messageId = draft.body.id;
    const count = await megan.post(`/messages/${messageId}/audience/count`);
    assert.deepEqual(count.body, { recipients: 4, bySource: [{ source: 'allUsers', count: 4 }], duplicatesRemoved: 0 });

    const since = h.playground!.messages.length;
    const sent = await megan.post(`/messages/${messageId}/send`, {});
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.status, 'queued');

    // Alex's chat, on the Playground's WebSocket
    const alexCard = await h.playground!.waitForMessage((m) => m.conversationId === chats.alex && m.attachments.length > 0, { since, timeoutMs: 20_000 });
    assert.equal(alexCard.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(cardTitle(alexCard.attachments[0]!.content), en.title);
    // the other chats, through the connector the Playground answered
    for (const [who, title] of [['adele', fr.title], ['isaiah', en.title], ['patti', fr.title]] as const) {
      const post = await eventually(async () => spy.posts(chats[who]!).find((c) => cardOf(c.body)), `${who}'s card`);
      assert.equal(post.status, 201, `${who}: the Playground accepted it`);
      assert.equal(cardTitle(cardOf(post.body)), title, who);
    }
    const done = await waitForStatus(h, messageId, 'sent');
    assert.equal(done.counts.recipients, 4);
    assert.equal(done.counts.sent, 4);
    assert.equal(done.counts.failed, 0);
  });

  it('answers a reaction and a comment (adaptiveCard/action invokes) with the updated card, in place', async function () {
    const pg = h.playground!;
    const adele = (await recipientRow(h, messageId, mock.adele.aad))!;
    assert.ok(adele.activityId);
    const reaction = await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'reaction', reaction: 'celebrate' } });
    assert.equal(reaction.status, 200, JSON.stringify(reaction.body));
    assert.equal(reaction.body.type, 'application/vnd.microsoft.card.adaptive');
    const card = reaction.body.value as any;
    assert.equal(cardTitle(card), fr.title, 'still her French card');
    const json = JSON.stringify(card);
    assert.match(json, /Votre réponse/);
    assert.match(json, /Bravo/);
    assert.ok(!json.includes('"reaction":"like"'), 'the reaction buttons are gone once answered');

    const comment = await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'response', rating: '5', comment: 'Très clair, merci !' } });
    assert.equal(comment.status, 200);
    assert.match(JSON.stringify(comment.body.value), /Très clair, merci !/);

    const alex = (await recipientRow(h, messageId, mock.alex.aad))!;
    const ack = await pg.invoke({ conversationId: chats.alex!, fromUserId: mock.alex.id, replyToId: alex.activityId!, verb: 'feedback', data: { messageId, kind: 'acknowledge' } });
    assert.equal(ack.status, 200);
    assert.match(JSON.stringify(ack.body.value), /Acknowledged/);
    // a replayed reaction does not count twice
    await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'reaction', reaction: 'like' } });
    // a submission the card could not have sent is refused
    const bogus = await pg.invoke({ conversationId: chats.adele!, fromUserId: mock.adele.id, replyToId: adele.activityId!, verb: 'feedback', data: { messageId, kind: 'response', rating: '9' } });
    assert.equal(bogus.body.type, 'application/vnd.microsoft.error');
    assert.match(JSON.stringify(bogus.body.value), /rating/);
  });

  it('marks a recipient read when Teams refreshes the card (verb read)', async function () {
    const isaiah = (await recipientRow(h, messageId, mock.isaiah.aad))!;
    const refresh = await h.playground!.invoke({ conversationId: chats.isaiah!, fromUserId: mock.isaiah.id, replyToId: isaiah.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });
    assert.equal(refresh.status, 200);
    assert.equal(cardTitle(refresh.body.value), en.title);
    assert.ok((await recipientRow(h, messageId, mock.isaiah.aad))!.readAt);
    // again on the next view: still read once
    await h.playground!.invoke({ conversationId: chats.isaiah!, fromUserId: mock.isaiah.id, replyToId: isaiah.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });
  });

  it('records a link click and redirects; a forged or altered link records nothing', async function () {
    const post = spy.posts(chats.patti!).find((c) => cardOf(c.body))!;
    const links: string[] = cardOf(post.body).actions.map((a: { url: string }) => a.url);
    assert.equal(links.length, 2);
    assert.ok(links.every((l) => l.startsWith(`${publicUrl}/r/`)));
    const path = links[1]!.slice(publicUrl.length);
    const res = await fetch(`${h.server.url}${path}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), fr.links[1]!.url, 'Patti gets the French FAQ');

    const [body, mac] = path.slice('/r/'.length).split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload[2] = mock.alex.aad; // claim to be someone else
    const altered = `/r/${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
    const forged = `/r/${body}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const p of [altered, forged, '/r/garbage']) {
      const bad = await fetch(`${h.server.url}${p}`, { redirect: 'manual' });
      assert.equal(bad.status, 400, p);
      assert.equal(((await bad.json()) as any).error.code, 'invalid_link');
    }
    const patti = (await recipientRow(h, messageId, mock.patti.aad))!;
    assert.deepEqual(patti.clicks, { '1': 1 });
    assert.equal((await recipientRow(h, messageId, mock.alex.aad))!.clicks, undefined);
  });

  it('reports delivery, reads, clicks and feedback, and pages the recipients', async function () {
    const megan = h.as(users.megan);
    const report = (await megan.get(`/messages/${messageId}/report`)).body;
    assert.deepEqual(report.counts, { recipients: 4, queued: 0, sent: 4, failed: 0, retried: 0, read: 3, clicks: 1, feedback: 2 });
    assert.equal(report.readRate, 0.75, 'Isaiah refreshed, Adele and Alex answered');
    assert.deepEqual(report.clickRate, { 'Read the policy': 0, FAQ: 0.25 });
    assert.deepEqual(report.feedback.reactions, { like: 0, celebrate: 1, insightful: 0, curious: 0 });
    assert.equal(report.feedback.acknowledged, 1);
    assert.deepEqual(report.feedback.ratings, { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 });
    assert.deepEqual(report.feedback.comments.map((c: any) => [c.name, c.comment]), [['Adele Vance', 'Très clair, merci !']]);

    const first = (await megan.get(`/messages/${messageId}/recipients?limit=3`)).body;
    assert.equal(first.items.length, 3);
    assert.ok(first.cursor);
    const second = (await megan.get(`/messages/${messageId}/recipients?limit=3&cursor=${first.cursor}`)).body;
    assert.equal(second.items.length, 1);
    assert.equal(second.cursor, undefined);
    const all = [...first.items, ...second.items];
    // every delivered row is named, Alex too: he installed from the Playground itself, whose installationUpdate carries no name
    assert.deepEqual(all.filter((r: any) => r.status === 'sent' && !r.name).map((r: any) => r.recipientId), [], 'delivered recipients without a name');
    assert.deepEqual(all.map((r: any) => r.name).sort(), ['Adele Vance', 'Alex Wilber', 'Isaiah Langer', 'Patti Fernandez']);
    assert.equal(all.find((r: any) => r.name === 'Alex Wilber').upn, 'alexw@example.com');
    const adele = all.find((r: any) => r.name === 'Adele Vance');
    assert.equal(adele.status, 'sent');
    assert.equal(adele.locale, 'fr-FR');
    assert.ok(adele.readAt);
    assert.deepEqual({ reaction: adele.feedback.reaction, rating: adele.feedback.rating, comment: adele.feedback.comment }, { reaction: 'celebrate', rating: 5, comment: 'Très clair, merci !' });
    assert.deepEqual(all.find((r: any) => r.name === 'Patti Fernandez').clicks, { FAQ: 1 });
    assert.equal((await megan.get(`/messages/${messageId}/recipients?status=failed`)).body.items.length, 0);
  });

  it('exports the report as .xlsx that reopens with the same numbers', async function () {
    const megan = h.as(users.megan);
    const report = (await megan.get(`/messages/${messageId}/report`)).body;
    const file = await megan.get(`/messages/${messageId}/export.xlsx`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.raw);
    assert.deepEqual(book.worksheets.map((w) => w.name), ['Summary', 'Recipients', 'Feedback']);
    const summary = new Map<string, unknown>();
    book.getWorksheet('Summary')!.eachRow((row, n) => { if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value); });
    assert.equal(summary.get('Recipients'), report.counts.recipients);
    assert.equal(summary.get('Delivered'), report.counts.sent);
    assert.equal(summary.get('Failed'), report.counts.failed);
    assert.equal(summary.get('Read'), report.counts.read);
    assert.equal(summary.get('Read rate'), report.readRate);
    assert.equal(summary.get('Clicks'), report.counts.clicks);
    assert.equal(summary.get('Click rate: FAQ'), report.clickRate.FAQ);
    assert.equal(summary.get('Reaction: celebrate'), 1);
    assert.equal(summary.get('Acknowledged'), report.feedback.acknowledged);
    assert.equal(summary.get('Rating 5'), 1);
    const recipients = book.getWorksheet('Recipients')!;
    assert.equal(recipients.rowCount - 1, report.counts.recipients);
    const feedback = book.getWorksheet('Feedback')!;
    assert.equal(feedback.rowCount - 1, report.counts.feedback);
  });

  it('resends to the unread only, as a new message', async function () {
    const megan = h.as(users.megan);
    assert.equal((await megan.post(`/messages/${messageId}/resend`, { to: 'failed' })).status, 409, 'nobody failed');
    const resend = await megan.post(`/messages/${messageId}/resend`, { to: 'unread' });
    assert.equal(resend.status, 201, JSON.stringify(resend.body));
    assert.notEqual(resend.body.id, messageId);
    assert.deepEqual(resend.body.resendOf, { messageId, to: 'unread' });
    const done = await waitForStatus(h, resend.body.id, 'sent');
    assert.equal(done.counts.recipients, 1);
    assert.equal(done.counts.sent, 1);
    const rows = (await megan.get(`/messages/${resend.body.id}/recipients`)).body.items;
    assert.deepEqual(rows.map((r: any) => r.name), ['Patti Fernandez']);
    assert.equal(spy.posts(chats.patti!).filter((c) => cardOf(c.body)).length, 2);
    assert.equal(spy.posts(chats.isaiah!).filter((c) => cardOf(c.body)).length, 1, 'Isaiah read it: not sent again');
  });
});
