import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { PeopleStore } from '../src/store/people-store.js';
import { RecipientStore } from '../src/store/recipient-store.js';
import { draftInput, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, scope, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';
import { tenantA } from '../../devtools/src/seed/tenants.js';

const leadership = tenantA.groups.find((g) => g.displayName === 'Leadership')!;
const allStaff = tenantA.groups.find((g) => g.displayName === 'All Staff')!;

async function xlsxOf(rows: unknown[][]): Promise<Uint8Array<ArrayBuffer>> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('People');
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await book.xlsx.writeBuffer() as ArrayBuffer);
}

describe('Company Communicator: audiences (teams, channels, rosters, groups, lists)', function () {
  let h: Harness;
  let topicId: string;

  before(async function () {
    h = await startHarness({ playground: true, options: { graphPageSize: 100 } });
    topicId = (await h.as(users.megan).post('/topics', { name: 'Everyone' })).body.id;
    await h.playground!.install('team-id');
    await h.playground!.installFor(mock.adele.id, { locale: 'fr-FR' });
    await waitForInstalls(h, 1, 'channel');
    await waitForInstalls(h, 1, 'personal');
  });

  after(async function () { await h?.stop(); });

  const draft = async (audience: unknown[]) => (await h.as(users.megan).post('/drafts', draftInput(topicId, { audience }))).body.id as string;

  it('lists the teams the app is installed in, with their channels', async function () {
    const teams = await h.as(users.megan).get('/audiences/teams');
    assert.deepEqual(teams.body, [{ id: 'team-id', name: 'My Team', channels: [{ id: 'team-id', name: 'General' }, { id: 'channel-announcements-id', name: 'Announcements' }] }]);
  });

  it('posts in a chosen channel of a team', async function () {
    const id = await draft([{ kind: 'channels', channels: [{ teamId: 'team-id', channelId: 'channel-announcements-id' }] }]);
    const since = h.playground!.messages.length;
    assert.equal((await h.as(users.megan).post(`/messages/${id}/send`, {})).status, 200);
    const post = await h.playground!.waitForMessage((m) => m.conversationId === 'channel-announcements-id' && m.attachments.length > 0, { since });
    assert.equal((post.attachments[0]!.content as any).body[0].inlines[0].text, 'New hybrid work policy');
    const done = await waitForStatus(h, id, 'sent');
    assert.deepEqual([done.counts.recipients, done.counts.sent], [1, 1]);
    const rows = (await h.as(users.megan).get(`/messages/${id}/recipients`)).body.items;
    assert.deepEqual(rows.map((r: any) => [r.kind, r.name, r.status]), [['channel', 'My Team › Announcements', 'sent']]);
  });

  it('sends to team members from the roster, opening 1:1 chats, de-duplicated with everyone who installed', async function () {
    const id = await draft([{ kind: 'teamMembers', teamIds: ['team-id'] }, { kind: 'allUsers' }]);
    const count = (await h.as(users.megan).post(`/messages/${id}/audience/count`)).body;
    assert.deepEqual(count, { recipients: 6, bySource: [{ source: 'team:My Team', count: 6 }, { source: 'allUsers', count: 1 }], duplicatesRemoved: 1 });
    const since = h.playground!.messages.length;
    await h.as(users.megan).post(`/messages/${id}/send`, {});
    const done = await waitForStatus(h, id, 'sent');
    assert.deepEqual([done.counts.sent, done.counts.failed], [6, 0]);
    // Alex had no install: the bot opened his 1:1 chat, the Playground's personal chat, and the card is there
    const alex = await h.playground!.waitForMessage((m) => m.conversationId === h.playground!.config.personalChat.id && m.attachments.length > 0, { since });
    assert.ok(alex);
    const rows = await new RecipientStore(h.server.ctx.storage).listAll(scope, id);
    assert.ok(rows.every((r) => r.status === 'sent' && r.activityId && r.conversationId && r.teamsUserId), JSON.stringify(rows.map((r) => [r.name, r.status, r.failureReason])));
    assert.equal(rows.find((r) => r.aadId === mock.adele.aad)!.locale, 'fr-FR', 'Adele kept her install\'s language');
    const lynne = await new PeopleStore(h.server.ctx.storage).get(scope, mock.lynne.aad);
    assert.equal(lynne?.teamsUserId, mock.lynne.id);
    assert.ok(lynne?.conversationId, 'the opened chat is remembered for next time');
  });

  it('resolves groups through Graph, transitively and page by page, without duplicates', async function () {
    const id = await draft([{ kind: 'groups', groupIds: [leadership.id, allStaff.id] }]);
    const before = h.graph.control.requests().length;
    const count = (await h.as(users.megan).post(`/messages/${id}/audience/count`)).body;
    const staffUsers = tenantA.users.length;
    assert.deepEqual(count, { recipients: staffUsers, bySource: [{ source: 'group:Leadership', count: 3 }, { source: 'group:All Staff', count: staffUsers }], duplicatesRemoved: 3 });
    const pages = h.graph.control.requests().slice(before).filter((r) => r.path === `/v1.0/groups/${allStaff.id}/transitiveMembers/microsoft.graph.user`);
    assert.equal(pages.length, Math.ceil(staffUsers / 100), 'followed @odata.nextLink');
    assert.ok(pages.every((r) => r.tenant === scope.tenantId));

    // people the bot can reach get it (Patti and Lynne through chats opened from the roster); the others fail with the reason
    await h.as(users.megan).post(`/messages/${id}/send`, {});
    const done = await waitForStatus(h, id, 'sent', 40_000);
    assert.deepEqual([done.counts.recipients, done.counts.sent, done.counts.failed], [staffUsers, 6, staffUsers - 6]);
    const failed = (await h.as(users.megan).get(`/messages/${id}/recipients?status=failed&limit=5`)).body.items;
    assert.equal(failed.length, 5);
    assert.match(failed[0].failureReason, /app not installed/);
    const sentNames = (await h.as(users.megan).get(`/messages/${id}/recipients?status=sent`)).body.items.map((r: any) => r.name).sort();
    assert.deepEqual(sentNames, ['Adele Vance', 'Alex Wilber', 'Isaiah Langer', 'Lynne Robbins', 'Megan Bowen', 'Patti Fernandez']);
  });

  it('searches groups on behalf of the author', async function () {
    const found = (await h.as(users.megan).get('/audiences/groups?search=lead')).body;
    assert.deepEqual(found, [{ id: leadership.id, displayName: 'Leadership', mail: 'leadership@example.com', kind: 'security' }]);
    const all = (await h.as(users.megan).get('/audiences/groups?search=All')).body;
    assert.equal(all[0].kind, 'microsoft365');
  });

  it('uploads a .csv list: every malformed row reported with its number, valid rows kept and reusable', async function () {
    const csv = ['User principal name,Name', 'adelev@example.com,Adele', 'not-an-address,Bad', ',Empty', 'pattif@example.com,Patti', 'ADELEV@example.com,Dup', 'ghost@example.com,Nobody', 'a b@example.com,Space'].join('\r\n');
    const res = await h.as(users.megan).post('/audiences/lists?name=Managers', csv, { 'content-type': 'text/csv' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.name, 'Managers');
    assert.equal(res.body.count, 3);
    assert.deepEqual(res.body.rejected, [
      { row: 3, value: 'not-an-address', reason: 'not a user principal name (name@domain)' },
      { row: 4, value: '', reason: 'column 1 is empty' },
      { row: 6, value: 'ADELEV@example.com', reason: 'duplicate of row 2' },
      { row: 8, value: 'a b@example.com', reason: 'not a user principal name (name@domain)' },
    ]);
    const lists = (await h.as(users.megan).get('/audiences/lists')).body;
    assert.equal(lists[0].id, res.body.id);

    const id = await draft([{ kind: 'list', listIds: [res.body.id] }, { kind: 'allUsers' }]);
    const count = (await h.as(users.megan).post(`/messages/${id}/audience/count`)).body;
    assert.deepEqual(count, { recipients: 3, bySource: [{ source: 'list:Managers', count: 3 }, { source: 'allUsers', count: 1 }], duplicatesRemoved: 1 });
  });

  it('uploads an .xlsx list as a multipart form, reporting bad rows; refuses files with nothing valid', async function () {
    const file = await xlsxOf([['Email'], ['isaiah@example.com'], ['lynner@example.com'], ['=HYPERLINK("x")'], ['megan at example.com']]);
    const form = new FormData();
    form.set('name', 'Sales & planning');
    form.set('file', new Blob([file], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'people.xlsx');
    const res = await h.as(users.megan).post('/audiences/lists', form);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.count, 2);
    assert.deepEqual(res.body.rejected.map((r: any) => r.row), [4, 5]);

    const none = await h.as(users.megan).post('/audiences/lists', 'upn\nnobody\n', { 'content-type': 'text/csv' });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.details.rejected[0].row, 2);
    const broken = await h.as(users.megan).post('/audiences/lists', new Uint8Array([0x50, 0x4b, 1, 2, 3]), { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    assert.equal(broken.status, 400);
    assert.match(broken.body.error.message, /xlsx/);
    assert.equal((await h.as(users.megan).get('/audiences/lists')).body.length, 2, 'refused files saved nothing');
  });
});
