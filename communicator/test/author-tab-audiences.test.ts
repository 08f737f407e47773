// The author tab's remaining flows in headless Chromium, against the real server (Azurite, the dev identity
// provider, the Graph sandbox) with the Microsoft 365 Agents Playground as Teams: the audience picker (a team
// channel, a Graph group found by name, an uploaded .csv with a bad row), the send and its report, "resend to
// failed / unread" from the report, and the settings screen for tenant admins. axe on every screen; screenshots
// in communicator/docs.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { resources } from '../tab/i18n.js';
import { tenantA } from '../../devtools/src/seed/tenants.js';
import { eventually, startHarness, users, type Harness } from './helpers/harness.js';
import { mock, recipientRow, waitForInstalls, waitForStatus } from './helpers/playground-tenant.js';
import { buildTabs, desktop, noSeriousAxe, shoot, TabBrowser, text } from './helpers/tab-browser.js';

const en = resources.en;
const leadership = tenantA.groups.find((g) => g.displayName === 'Leadership')!;
const title = 'Store opening hours over the holidays';
const channelName = 'My Team › Announcements';
/** a .csv with a header, two people (Patti is in Leadership too) and a row that is not a UPN */
const csv = ['User principal name', 'isaiah@example.com', 'not-an-address', 'pattif@example.com'].join('\r\n');

describe('Company Communicator Pro: the author tab\'s audiences, resend and settings', function () {
  let h: Harness;
  let tabs: TabBrowser;
  let topicId: string;
  let messageId: string;
  const chats: Record<string, string> = {};

  before(async function () {
    this.timeout(600_000);
    buildTabs();
    h = await startHarness({ playground: true, options: { finalizeIntervalSeconds: 1 } });
    const pg = h.playground!;
    // the app is in the Playground's team, and Adele, Patti and Isaiah have it; Lynne (in Leadership) does not yet
    await pg.install('team-id');
    chats.adele = await pg.installFor(mock.adele.id, { locale: 'fr-FR' });
    chats.patti = await pg.installFor(mock.patti.id, { locale: 'fr-FR' });
    chats.isaiah = await pg.installFor(mock.isaiah.id, { locale: 'en-US' });
    await waitForInstalls(h, 1, 'channel');
    await waitForInstalls(h, 3, 'personal');
    topicId = (await h.as(users.megan).post('/topics', { name: 'Stores' })).body.id;
    tabs = await TabBrowser.launch(h.server.url);
  });

  after(async function () {
    this.timeout(60_000);
    await tabs?.close();
    await h?.stop();
  });

  /** The message id in a composer or report URL. */
  const idInUrl = (page: Page) => /#\/messages\/([^/?]+)/.exec(page.url())?.[1];

  it('picks a team channel, a group found by name and an uploaded .csv (its bad row reported), counts, sends and reports', async function () {
    this.timeout(300_000);
    const { page, pageErrors } = await tabs.open(users.megan, '#/messages/new');
    await page.getByRole('heading', { level: 1, name: en.composer.newTitle }).waitFor();
    await eventually(async () => ((await page.getByTestId('topic').locator('option', { hasText: 'Stores' }).count()) ? true : undefined), 'the topics to load');
    await page.getByTestId('topic').selectOption({ label: 'Stores' });
    await page.getByTestId('variant-title').fill(title);
    await page.getByTestId('variant-body').fill('Stores close at **18:00** on 24 and 31 December.');

    // chosen audiences: the Announcements channel of the team the app is in
    await page.getByTestId('audience-chosen').click();
    const audienceSection = page.getByTestId('audience');
    await audienceSection.getByRole('checkbox', { name: 'My Team', exact: true }).check();
    await audienceSection.getByLabel(en.audience.channelIn.replace('{{team}}', 'My Team')).selectOption({ label: 'Announcements' });

    // a group, searched by the start of its name (Graph, on behalf of Megan)
    await audienceSection.getByLabel(en.audience.searchGroups).fill('Lead');
    const results = audienceSection.getByRole('list', { name: en.audience.groupResults });
    await results.getByText('Leadership').waitFor();
    assert.equal(await results.getByRole('listitem').count(), 1, 'only groups whose name starts with "Lead"');
    assert.match(await text(results), /Security group · leadership@example\.com/);
    await results.getByRole('button', { name: en.audience.addGroup.replace('{{name}}', 'Leadership') }).click();
    await audienceSection.getByRole('list', { name: en.audience.chosenGroups }).getByText('Leadership').waitFor();
    await results.getByRole('button', { name: en.audience.addGroup.replace('{{name}}', 'Leadership') }).and(page.locator(':disabled')).waitFor();
    // counted so far: the channel, and Leadership's Patti, Adele and Lynne (through the nested Retail group)
    await page.getByRole('button', { name: en.audience.count }).click();
    await page.getByTestId('recipient-count-value').filter({ hasText: /^4$/ }).waitFor();
    assert.match(await text(page.getByTestId('recipient-count')), /4 recipients · My Team › Announcements: 1, Leadership group: 3$/);

    // a .csv through the file input: the bad row is reported with its number, the list is chosen
    await audienceSection.getByTestId('list-file').setInputFiles({ name: 'store-managers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const uploaded = audienceSection.getByTestId('upload-result');
    await uploaded.waitFor();
    assert.match(await text(uploaded), /store-managers: 2 people/);
    assert.match(await text(uploaded), /1 row was rejected/);
    const rejected = audienceSection.getByRole('table', { name: en.audience.rejectedTable });
    assert.deepEqual(await rejected.locator('tbody tr').allInnerTexts().then((rows) => rows.map((r) => r.replace(/\s+/g, ' ').trim())),
      ['3 not-an-address not a user principal name (name@domain)']);
    const listBox = audienceSection.getByRole('checkbox', { name: /^store-managers \(2 people/ });
    await listBox.waitFor();
    assert.equal(await listBox.isChecked(), true, 'the uploaded list is chosen');
    assert.equal(await page.getByTestId('recipient-count-value').count(), 0, 'the count of the previous audience is gone');

    // counted again, by the server: channel + Leadership (Patti, Adele, Lynne) + list (Isaiah, Patti) = 5, Patti once
    await page.getByRole('button', { name: en.audience.count }).click();
    const count = page.getByTestId('recipient-count-value');
    await count.waitFor();
    assert.equal(await count.textContent(), '5');
    assert.match(await text(page.getByTestId('recipient-count')), /5 recipients · 1 duplicate removed · My Team › Announcements: 1, Leadership group: 3, store-managers list: 2$/);
    messageId = idInUrl(page)!;
    assert.ok(messageId, `the draft was saved: ${page.url()}`);
    // what was saved is what was picked
    const megan = h.as(users.megan);
    const draft = (await megan.get(`/messages/${messageId}`)).body;
    const listId = (await megan.get('/audiences/lists')).body.find((l: { name: string }) => l.name === 'store-managers').id;
    assert.deepEqual(draft.audience, [
      { kind: 'channels', channels: [{ teamId: 'team-id', channelId: 'channel-announcements-id' }] },
      { kind: 'groups', groupIds: [leadership.id] },
      { kind: 'list', listIds: [listId] },
    ]);
    assert.equal((await megan.post(`/messages/${messageId}/audience/count`)).body.recipients, 5);
    await noSeriousAxe(page, 'audience picker (light)');
    await page.setViewportSize({ width: 1280, height: 1200 }); // the whole picker, down to the count
    await shoot(page, 'author-audience-light', audienceSection);
    await page.setViewportSize(desktop);

    // the same draft in the dark theme: the picks come back from the saved draft
    {
      const dark = await tabs.open(users.megan, `#/messages/${messageId}`, { theme: 'dark' });
      const section = dark.page.getByTestId('audience');
      await section.getByRole('list', { name: en.audience.chosenGroups }).getByText('Leadership').waitFor();
      assert.equal(await section.getByRole('checkbox', { name: 'My Team', exact: true }).isChecked(), true);
      assert.equal(await section.getByLabel(en.audience.channelIn.replace('{{team}}', 'My Team')).inputValue(), 'channel-announcements-id');
      assert.equal(await section.getByRole('checkbox', { name: /^store-managers \(2 people/ }).isChecked(), true);
      await dark.page.getByRole('button', { name: en.audience.count }).click();
      await dark.page.getByTestId('recipient-count-value').filter({ hasText: '5' }).waitFor();
      assert.equal(await dark.page.locator('html').getAttribute('data-theme'), 'dark');
      await noSeriousAxe(dark.page, 'audience picker (dark)');
      await dark.page.setViewportSize({ width: 1280, height: 1200 });
      await shoot(dark.page, 'author-audience-dark', section);
      assert.deepEqual(dark.pageErrors, []);
      await dark.page.context().close();
    }

    // send: four delivered (the channel, Adele, Patti, Isaiah); Lynne has no chat with the bot
    const since = h.playground!.messages.length;
    await page.getByTestId('send-now').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match(await text(dialog.getByTestId('send-summary')), /goes to 5 recipients/);
    await dialog.getByRole('button', { name: 'Send to 5 recipients' }).click();
    await page.waitForURL(new RegExp(`#/messages/${messageId}/report$`));
    await page.getByRole('heading', { level: 1, name: `Report: ${title}` }).waitFor();
    await page.getByTestId('status-badge').and(page.locator('[data-status="sent"]')).first().waitFor({ timeout: 60_000 });
    await page.getByTestId('stat-sent').filter({ hasText: '4' }).waitFor();
    assert.equal(await text(page.getByTestId('stat-recipients')), `${en.report.stats.recipients} 5`);
    assert.equal(await text(page.getByTestId('stat-failed')), `${en.report.stats.failed} 1`);
    const table = page.getByTestId('recipient-table');
    await table.getByText(channelName).waitFor();
    const lynneRow = table.locator('tbody tr').filter({ hasText: 'Lynne Robbins' });
    assert.match(await text(lynneRow), /Failed/);
    assert.match(await text(lynneRow), /app not installed/);
    assert.equal(await table.locator('tbody tr').count(), 5);
    // the post reached the channel in the Playground
    const post = await h.playground!.waitForMessage((m) => m.conversationId === 'channel-announcements-id' && m.attachments.length > 0, { since, timeoutMs: 30_000 });
    assert.match(JSON.stringify(post.attachments[0]!.content), new RegExp(title));
    const report = (await megan.get(`/messages/${messageId}/report`)).body;
    assert.deepEqual([report.message.status, report.counts.recipients, report.counts.sent, report.counts.failed], ['sent', 5, 4, 1]);
    assert.deepEqual(report.problems, []);
    assert.equal(await page.getByTestId('problems').count(), 0, 'no problems shown when there are none');
    await noSeriousAxe(page, 'report of the audience send');
    assert.deepEqual(pageErrors, []);
  });

  it('resends to the failed and to the unread from the report: each new message goes only to those recipients', async function () {
    this.timeout(300_000);
    assert.ok(messageId, 'needs the message sent by the previous test');
    const megan = h.as(users.megan);
    const pg = h.playground!;
    // Lynne installs the app meanwhile; Adele and Isaiah read the card (Teams refreshes it for them)
    await pg.installFor(mock.lynne.id, { locale: 'en-US' });
    await waitForInstalls(h, 4, 'personal');
    for (const [who, user] of [['adele', mock.adele], ['isaiah', mock.isaiah]] as const) {
      const row = (await recipientRow(h, messageId, user.aad))!;
      const refresh = await pg.invoke({ conversationId: chats[who]!, fromUserId: user.id, replyToId: row.activityId!, verb: 'read', data: { messageId }, trigger: 'automatic' });
      assert.equal(refresh.status, 200);
    }
    await eventually(async () => ((await megan.get(`/messages/${messageId}/report`)).body.counts.read === 2 ? true : undefined), 'two reads');

    const { page, pageErrors } = await tabs.open(users.megan, `#/messages/${messageId}/report`);
    await page.getByTestId('stat-read').filter({ hasText: '50%' }).waitFor();

    // resend to failed: Lynne only
    await page.getByTestId('resend-failed').click();
    let dialog = page.getByRole('alertdialog');
    await dialog.getByText(en.report.confirmResend.failedTitle).waitFor();
    await noSeriousAxe(page, 'resend to failed dialog');
    await dialog.getByRole('button', { name: 'Resend to 1' }).click();
    await eventually(async () => (idInUrl(page) !== messageId && /\/report$/.test(page.url()) ? true : undefined), 'the new message\'s report');
    const toFailed = idInUrl(page)!;
    await page.getByTestId('status-badge').and(page.locator('[data-status="sent"]')).first().waitFor({ timeout: 60_000 });
    await page.getByTestId('recipient-table').getByText('Lynne Robbins').waitFor();
    const failedResend = await waitForStatus(h, toFailed, 'sent');
    assert.deepEqual(failedResend.resendOf, { messageId, to: 'failed' });
    const failedRows = (await megan.get(`/messages/${toFailed}/recipients`)).body.items;
    assert.deepEqual(failedRows.map((r: any) => [r.name, r.status]), [['Lynne Robbins', 'sent']]);
    assert.equal(await page.getByTestId('recipient-table').locator('tbody tr').count(), 1);

    // resend to unread: those who got it and did not read it, the channel post included
    await page.goto(page.url().replace(`/messages/${toFailed}/report`, `/messages/${messageId}/report`));
    await page.getByRole('heading', { level: 1, name: `Report: ${title}` }).waitFor();
    await page.getByTestId('stat-read').filter({ hasText: '50%' }).waitFor();
    await page.getByTestId('resend-unread').click();
    dialog = page.getByRole('alertdialog');
    await dialog.getByText(en.report.confirmResend.unreadTitle).waitFor();
    assert.match(await text(dialog), /2 recipients who received it but have not read it/);
    await dialog.getByRole('button', { name: 'Resend to 2' }).click();
    await eventually(async () => (idInUrl(page) !== messageId && /\/report$/.test(page.url()) ? true : undefined), 'the second new message\'s report');
    const toUnread = idInUrl(page)!;
    assert.notEqual(toUnread, toFailed);
    await page.getByTestId('status-badge').and(page.locator('[data-status="sent"]')).first().waitFor({ timeout: 60_000 });
    const unreadResend = await waitForStatus(h, toUnread, 'sent');
    assert.deepEqual(unreadResend.resendOf, { messageId, to: 'unread' });
    const unreadRows = (await megan.get(`/messages/${toUnread}/recipients`)).body.items;
    assert.deepEqual(unreadRows.map((r: any) => r.name).sort(), [channelName, 'Patti Fernandez']);
    assert.ok(unreadRows.every((r: any) => r.status === 'sent'));
    await page.getByTestId('recipient-table').getByText('Patti Fernandez').waitFor();
    await noSeriousAxe(page, 'report of a resend');
    assert.deepEqual(pageErrors, []);
  });

  it('lets a tenant admin add an author and set the retention, kept after reloading; an author who is not admin has no settings', async function () {
    this.timeout(180_000);
    // Megan is an author, not an admin: no Settings in the navigation, a notice at its address, 403 from the API
    {
      const { page } = await tabs.open(users.megan);
      await page.getByRole('navigation', { name: en.nav.label }).getByRole('link', { name: en.nav.topics }).waitFor();
      assert.equal(await page.getByRole('link', { name: en.nav.settings }).count(), 0);
      await page.goto(page.url().replace(/#.*$/, '') + '#/settings');
      await page.getByTestId('admins-only').waitFor();
      await noSeriousAxe(page, 'settings for an author who is not admin');
      assert.equal(await page.getByRole('button', { name: en.common.save }).count(), 0);
      assert.equal((await h.as(users.megan).get('/settings')).status, 403);
      await page.context().close();
    }
    // Lynne is no author yet
    assert.equal((await h.as(users.lynne).get('/roles')).body.isAuthor, false);

    const { page, pageErrors } = await tabs.open(users.alex);
    await page.getByRole('link', { name: en.nav.settings }).click();
    await page.getByRole('heading', { level: 1, name: en.settings.title }).waitFor();
    await page.getByText(en.settings.noAuthors).waitFor();
    await page.getByLabel(en.settings.addAuthor).fill('lynner@example.com');
    await page.getByRole('button', { name: en.settings.add, exact: true }).click();
    await page.getByRole('list', { name: en.settings.authors }).getByText('lynner@example.com').waitFor();
    assert.equal(await page.getByLabel(en.settings.addAuthor).inputValue(), '', 'the field is cleared for the next one');
    await page.getByLabel(en.settings.retentionDays).fill('30');
    await page.getByRole('button', { name: en.common.save }).click();
    await page.getByText(en.settings.saved).waitFor();
    await noSeriousAxe(page, 'settings');
    await page.setViewportSize({ width: 1280, height: 960 }); // down to Save and its confirmation
    await shoot(page, 'author-settings-light');
    await page.setViewportSize(desktop);
    assert.deepEqual(pageErrors, []);

    // stored: the API says so, Lynne is now an author, and a fresh page shows the saved values
    const saved = (await h.as(users.alex).get('/settings')).body;
    assert.deepEqual([saved.authors, saved.retentionDays], [['lynner@example.com'], 30]);
    assert.equal((await h.as(users.lynne).get('/roles')).body.isAuthor, true);
    const again = await tabs.open(users.alex, '#/settings');
    await again.page.getByRole('list', { name: en.settings.authors }).getByText('lynner@example.com').waitFor();
    assert.equal(await again.page.getByLabel(en.settings.retentionDays).inputValue(), '30');
    assert.deepEqual(again.pageErrors, []);
  });
});
