import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { recipientKeys } from '../src/domain/keys.js';
import { RecipientStore } from '../src/store/recipient-store.js';
import { ViewStore } from '../src/store/view-store.js';
import { ConnectorSpy, cardOf, cardTitle } from './helpers/connector-spy.js';
import { draftInput, eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, scope, tenantId, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';

const en = draftInput('').variants[0]!;
const announcements = { teamId: 'team-id', channelId: 'channel-announcements-id' };
const general = { teamId: 'team-id', channelId: 'team-id' };

describe('Company Communicator: read tracking of channel posts (refresh for team members, viewers)', function () {
  let h: Harness;
  let spy: ConnectorSpy;
  let topicId: string;
  let messageId: string;
  let teamMembers: string[];
  let adeleChat: string;

  before(async function () {
    h = await startHarness({ playground: true });
    const pg = h.playground!;
    spy = await ConnectorSpy.start(pg.serviceUrl);
    topicId = (await h.as(users.megan).post('/topics', { name: 'Teams' })).body.id;
    // the app added to the team, as Teams tells the bot, with the spy as the team's Bot Connector
    await pg.sendActivity({
      type: 'installationUpdate', action: 'add', id: `install-team-${Date.now()}`, timestamp: new Date().toISOString(), channelId: 'msteams', serviceUrl: spy.url,
      from: { id: pg.config.currentUser.id, name: pg.config.currentUser.name, aadObjectId: pg.config.currentUser.aadObjectId },
      recipient: { id: pg.config.bot.id, name: pg.config.bot.name },
      conversation: { id: 'team-id', conversationType: 'channel', isGroup: true, tenantId },
      channelData: { tenant: { id: tenantId }, team: { id: 'team-id', name: 'My Team' }, channel: { id: 'team-id' } },
      locale: 'en-US',
    });
    adeleChat = await pg.installFor(mock.adele.id, { locale: 'fr-FR', serviceUrl: spy.url });
    await waitForInstalls(h, 1, 'channel');
    await waitForInstalls(h, 1, 'personal');
    // the team's members as the Bot Connector lists them
    const res = await fetch(`${pg.url}/_connector/v3/conversations/team-id/pagedmembers`);
    teamMembers = ((await res.json()) as { members: Array<{ id: string }> }).members.map((m) => m.id);
  });

  after(async function () {
    await h?.stop();
    await spy?.stop();
  });

  it('lists the team\'s members in the channel card\'s refresh.userIds, reading the roster once per team for the send', async function () {
    assert.ok(teamMembers.length >= 2, JSON.stringify(teamMembers));
    const megan = h.as(users.megan);
    messageId = (await megan.post('/drafts', draftInput(topicId, { audience: [{ kind: 'channels', channels: [announcements, general] }, { kind: 'allUsers' }] }))).body.id;
    const rosterReads = () => spy.calls.filter((c) => c.method === 'GET' && /\/v3\/conversations\/team-id\/pagedmembers$/i.test(c.path)).length;
    const before = rosterReads();
    assert.equal((await megan.post(`/messages/${messageId}/send`, {})).status, 200);
    const done = await waitForStatus(h, messageId, 'sent');
    assert.deepEqual([done.counts.recipients, done.counts.sent, done.counts.failed], [3, 3, 0]);

    for (const channel of [announcements, general]) {
      const post = await eventually(async () => spy.posts(channel.channelId).find((c) => cardOf(c.body)), `the card in ${channel.channelId}`);
      const card = cardOf(post.body);
      assert.equal(cardTitle(card), en.title);
      assert.deepEqual(card.refresh.userIds, teamMembers, 'every member of the team, as the roster lists them');
      assert.equal(card.refresh.action.verb, 'read');
    }
    assert.equal(rosterReads() - before, 1, 'two channels of one team: one roster read');
    const adele = spy.posts(adeleChat).find((c) => cardOf(c.body))!;
    assert.deepEqual(cardOf(adele.body).refresh.userIds, [mock.adele.id], 'a personal card still refreshes for its recipient only');
    const row = await new RecipientStore(h.server.ctx.storage).get(scope, messageId, recipientKeys.channel(announcements.teamId, announcements.channelId));
    assert.deepEqual(row?.refreshUserIds, teamMembers, 'kept on the channel row');
  });

  it('records who viewed a channel post, once per person, and counts the channel read on the first view', async function () {
    const pg = h.playground!;
    const key = recipientKeys.channel(announcements.teamId, announcements.channelId);
    const row = (await new RecipientStore(h.server.ctx.storage).get(scope, messageId, key))!;
    assert.ok(row.activityId);
    // in a channel, the card is a post: its conversation is the channel's thread of that message
    const post = `${announcements.channelId};messageid=${row.activityId}`;
    const read = (from: string) => pg.invoke({ conversationId: post, fromUserId: from, replyToId: row.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });

    const first = await read(mock.megan.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(cardTitle(first.body.value), en.title);
    assert.deepEqual((first.body.value as any).refresh.userIds, teamMembers, 'the refreshed card keeps the same members');
    let channel = (await new RecipientStore(h.server.ctx.storage).get(scope, messageId, key))!;
    assert.equal(channel.viewers, 1);
    assert.ok(channel.readAt);
    const firstReadAt = channel.readAt;

    await read(mock.megan.id); // Teams refreshes again on every view: still one viewer
    await read(mock.adele.id); // Adele also got the card in her own chat; this view is the channel's
    channel = (await new RecipientStore(h.server.ctx.storage).get(scope, messageId, key))!;
    assert.equal(channel.viewers, 2);
    assert.equal(channel.readAt, firstReadAt, 'read from the first view');
    assert.equal((await recipientRow(h, messageId, mock.adele.aad))!.readAt, undefined, 'her personal card is not read by viewing the channel\'s');

    const views = await new ViewStore(h.server.ctx.storage).list(scope, messageId, key);
    assert.deepEqual(views.map((v) => v.aadId).sort(), [mock.megan.aad, mock.adele.aad].sort());
    assert.ok(views.every((v) => v.at && v.name), 'who and when');
    assert.equal((await new ViewStore(h.server.ctx.storage).list(scope, messageId, recipientKeys.channel(general.teamId, general.channelId))).length, 0, 'the other channel\'s post was not viewed');

    const megan = h.as(users.megan);
    const report = (await megan.get(`/messages/${messageId}/report`)).body;
    assert.equal(report.counts.read, 1, 'the channel counts once, however many viewed it');
    assert.equal(report.readRate, Math.round((1 / 3) * 10_000) / 10_000);
    const rows = (await megan.get(`/messages/${messageId}/recipients`)).body.items as any[];
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.equal(byName.get('My Team › Announcements').viewers, 2);
    assert.equal(byName.get('My Team › General').viewers, 0);
    assert.equal(byName.get('Adele Vance').viewers, undefined, 'people have no viewer count');

    const file = await megan.get(`/messages/${messageId}/export.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.raw);
    const sheet = book.getWorksheet('Recipients')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const viewersColumn = header.indexOf('Viewers');
    assert.ok(viewersColumn > 0);
    let exported: unknown;
    sheet.eachRow((r, n) => { if (n > 1 && r.getCell(1).value === 'My Team › Announcements') exported = r.getCell(viewersColumn).value; });
    assert.equal(exported, 2);
  });
});
