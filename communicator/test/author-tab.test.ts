// The author tab of Company Communicator Pro in headless Chromium, against the real app server (Azurite,
// the dev identity provider, the Graph sandbox) with the Microsoft 365 Agents Playground as Teams and Bot
// Connector: a topic, a message composed with its live preview, sent to the people who installed the app,
// followed live to the report; screenshots in communicator/docs; axe on every screen; English and French.
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { InstallationStore, type RunningAppServer } from '@teamspro/core';
import { createCommunicatorApp } from '../src/app.js';
import { resources } from '../tab/i18n.js';
import { shellStrings } from '../../core/tab/i18n/shell-strings.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../../devtools/src/graph/index.js';
import { startAppForTest } from '../../devtools/src/harness/app-under-test.js';
import { Playground } from '../../devtools/src/harness/playground.js';
import { tenantA } from '../../devtools/src/seed/tenants.js';
import { eventually as eventuallyWithin } from './helpers/harness.js';
import { buildTabs, noSeriousAxe, shoot, TabBrowser, text, type TabOptions } from './helpers/tab-browser.js';

const en = resources.en;
const fr = resources.fr;
const megan = 'meganb@example.com';
const adele = 'adelev@example.com';
const audience = 'api://localhost/communicator';
const title = 'Hybrid work from 1 October';

/** Waits until `check` returns a value (not undefined). */
const eventually = <T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000) => eventuallyWithin(check, what, timeoutMs);

/** The first line of a rendered card: its title. */
function cardTitle(preview: Locator): Promise<string | null> {
  return preview.locator('.ac-adaptiveCard .ac-richTextBlock').first().textContent();
}

describe('Company Communicator Pro: the author tab', function () {
  let idp: RunningIdentityProvider;
  let graph: RunningGraphSandbox;
  let server: RunningAppServer;
  let playground: Playground;
  let tabs: TabBrowser;
  let installed: number;

  before(async function () {
    this.timeout(600_000);
    buildTabs();
    idp = await startIdentityProvider({ port: 0 });
    graph = await startGraphSandbox({ identityUrl: idp.url });
    server = await startAppForTest(createCommunicatorApp({ finalizeIntervalSeconds: 1 }), { DEV_IDENTITY_URL: idp.url, GRAPH_BASE_URL: graph.url, AUTH_AUDIENCE: audience });
    // people get messages once they have the app: Alex (the Playground's current user, whose chat we can watch),
    // Adele (French) and Isaiah install it
    playground = await Playground.start(`${server.url}/api/messages`);
    await playground.install();
    const others = playground.config.users.filter((u) => u.name === 'Adele Vance' || u.name === 'Isaiah Langer');
    for (const user of others) await playground.installFor(user.id, { locale: user.name === 'Adele Vance' ? 'fr-FR' : 'en-US' });
    installed = 1 + others.length;
    const store = new InstallationStore(server.ctx.storage);
    await eventually(async () => ((await store.list({ tenantId: tenantA.id }, 'personal')).length >= installed ? true : undefined), `${installed} installs`);
    tabs = await TabBrowser.launch(server.url);
  });

  after(async function () {
    this.timeout(60_000);
    await tabs?.close();
    await playground?.stop();
    await server?.stop();
    await graph?.stop();
    await idp?.stop();
  });

  /** A signed-in page at `hash` (e.g. "#/topics"), with uncaught errors recorded. */
  const openTab = (user: string, hash = '', opts: TabOptions = {}) => tabs.open(user, hash, opts);

  it('tells a plain user (Adele) that only authors can use the tab', async function () {
    const { page, pageErrors } = await openTab(adele);
    const notice = page.getByTestId('authors-only');
    await notice.waitFor();
    assert.match(await text(notice), new RegExp(en.authorsOnly.title));
    assert.equal(await page.getByRole('button', { name: en.messages.new }).count(), 0);
    assert.equal(await page.getByRole('navigation', { name: en.nav.label }).count(), 0);
    // and the API agrees: her role view says so, and author routes answer 403
    const token = await idp.idp.issueUserToken({ userId: adele, audience });
    const roles = await (await fetch(`${server.url}/api/roles`, { headers: { authorization: `Bearer ${token}` } })).json() as { isAuthor: boolean };
    assert.equal(roles.isAuthor, false);
    assert.equal((await fetch(`${server.url}/api/topics`, { headers: { authorization: `Bearer ${token}` } })).status, 403);
    await noSeriousAxe(page, 'authors-only notice');
    assert.deepEqual(pageErrors, []);
  });

  it('Megan composes with a live preview in light and dark, sends, follows delivery live and opens the report', async function () {
    this.timeout(300_000);
    const { page, pageErrors } = await openTab(megan, '#/topics');

    // Topics: create the topic every message needs
    await page.getByTestId('topic-name').fill('Company news');
    await page.getByRole('button', { name: en.topics.add }).click();
    await page.getByTestId('topic-row').filter({ hasText: 'Company news' }).waitFor();
    await noSeriousAxe(page, 'topics');

    // Messages → New message
    await page.getByRole('link', { name: en.nav.messages }).click();
    await page.getByRole('heading', { level: 1, name: en.home.title }).waitFor();
    await page.getByRole('button', { name: en.messages.new }).click();
    await page.getByRole('heading', { level: 1, name: en.composer.newTitle }).waitFor();
    const topic = page.getByTestId('topic');
    await eventually(async () => ((await topic.locator('option:checked').textContent()) === 'Company news' ? true : undefined), 'the topic to be chosen');

    // typing updates the preview (debounced), drawn by the adaptivecards renderer in both themes
    await page.getByTestId('variant-title').fill(title);
    await page.getByLabel(en.composer.fields.summary).fill('What changes for office days and desk booking.');
    await page.getByTestId('variant-body').fill('From **1 October** the new policy applies:\n\n- two office days a week\n- desks booked in *Workplace*');
    await page.getByRole('button', { name: en.composer.fields.addLink }).click();
    await page.getByLabel(en.composer.fields.linkTitle.replace('{{n}}', '1')).fill('Read the policy');
    await page.getByLabel(en.composer.fields.linkUrl.replace('{{n}}', '1')).fill('https://intranet.example.com/policy');
    await page.getByRole('switch', { name: en.composer.feedback.rating }).check();
    const light = page.getByTestId('preview-light');
    const dark = page.getByTestId('preview-dark');
    for (const preview of [light, dark]) {
      await preview.locator('.ac-adaptiveCard').filter({ hasText: title }).waitFor();
      await preview.locator('strong', { hasText: '1 October' }).waitFor(); // markdown rendered
      await preview.getByText('Read the policy').waitFor();
    }
    const background = (el: Locator) => el.locator('.ac-adaptiveCard').evaluate((node) => getComputedStyle(node).backgroundColor);
    assert.equal(await background(light), 'rgb(255, 255, 255)');
    assert.equal(await background(dark), 'rgb(41, 41, 41)');
    assert.match(await text(page.getByTestId('preview')), /KB of the 28 KB Teams allows/);
    await page.getByTestId('card-valid').waitFor();

    // the preview follows the typing
    await page.getByTestId('variant-title').fill(`${title}!`);
    await light.locator('.ac-adaptiveCard').filter({ hasText: `${title}!` }).waitFor();
    await page.getByTestId('variant-title').fill(title);
    await eventually(async () => ((await cardTitle(light)) === title ? true : undefined), 'the preview to follow the title back');

    // a second language: a French tab with its own title, shown in the preview while selected
    await page.getByRole('button', { name: en.composer.languages.add }).click();
    await page.getByRole('menuitem', { name: /French \(France\)/ }).click();
    await page.getByTestId('variant-title').fill('Travail hybride à partir du 1er octobre');
    await page.getByTestId('variant-body').fill('À partir du **1er octobre**, la nouvelle politique s’applique.');
    await light.locator('.ac-adaptiveCard').filter({ hasText: 'Travail hybride' }).waitFor();
    await page.getByRole('tab', { name: /American English/ }).click();
    await light.locator('.ac-adaptiveCard').filter({ hasText: title }).waitFor();

    // audience: everyone who has the app; the count comes from the server
    await page.getByTestId('audience-everyone').click();
    await page.getByTestId('save').click();
    await page.getByTestId('save-state').filter({ hasText: /^Saved/ }).waitFor();
    const draftId = /#\/messages\/([^/?]+)$/.exec(page.url())?.[1];
    assert.ok(draftId, `the draft got an id: ${page.url()}`);
    await page.getByRole('button', { name: en.audience.count }).click();
    await page.getByTestId('recipient-count-value').waitFor();
    assert.equal(await page.getByTestId('recipient-count-value').textContent(), String(installed));
    await noSeriousAxe(page, 'composer (light)');
    await shoot(page, 'author-composer-light');

    // the same draft in the dark theme
    {
      const darkTab = await openTab(megan, `#/messages/${draftId}`, { theme: 'dark' });
      await darkTab.page.getByTestId('preview-light').locator('.ac-adaptiveCard').filter({ hasText: title }).waitFor();
      await darkTab.page.getByTestId('preview-dark').locator('.ac-adaptiveCard').filter({ hasText: title }).waitFor();
      assert.equal(await darkTab.page.locator('html').getAttribute('data-theme'), 'dark');
      await noSeriousAxe(darkTab.page, 'composer (dark)');
      await shoot(darkTab.page, 'author-composer-dark');
      assert.deepEqual(darkTab.pageErrors, []);
      await darkTab.page.context().close();
    }

    // Send now: the dialog states the recipient count, then the report follows delivery live
    const botMessagesBefore = playground.messages.length;
    await page.getByTestId('send-now').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match(await text(dialog.getByTestId('send-summary')), new RegExp(`goes to ${installed} recipients`));
    await noSeriousAxe(page, 'send dialog');
    await dialog.getByRole('button', { name: `Send to ${installed} recipients` }).click();
    await page.waitForURL(new RegExp(`#/messages/${draftId}/report$`));
    await page.getByRole('heading', { level: 1, name: `Report: ${title}` }).waitFor();
    assert.equal(await page.locator('#root').getAttribute('aria-hidden'), null, 'the page is not left aria-hidden by the dialog');

    const statuses = new Set<string>();
    const badge = page.getByTestId('status-badge').first();
    await eventually(async () => {
      statuses.add((await badge.getAttribute('data-status')) ?? '');
      return statuses.has('sent') ? true : undefined;
    }, 'the report to show the message sent (live, without reloading)', 60_000);
    await page.getByTestId('stat-sent').filter({ hasText: String(installed) }).waitFor();
    assert.equal(await text(page.getByTestId('stat-recipients')), `${en.report.stats.recipients} ${installed}`);
    assert.equal(await text(page.getByTestId('stat-failed')), `${en.report.stats.failed} 0`);
    assert.match(await text(page.getByTestId('delivery-counts')), new RegExp(`${installed} sent 0 failed ${installed} recipients`));
    // the recipients table lists who got it
    const table = page.getByTestId('recipient-table');
    await table.getByText('Adele Vance').waitFor();
    assert.equal(await table.locator('tbody tr').count(), installed);
    assert.equal(await table.locator('tbody').getByText(en.report.recipientStatus.sent, { exact: true }).count(), installed);
    // the card really reached Teams (Alex's chat in the Playground), with the title typed
    const card = await playground.waitForMessage((m) => m.attachments.some((a) => JSON.stringify(a.content).includes(title)), { since: botMessagesBefore, timeoutMs: 30_000 });
    assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    // feedback options asked for are reported, click rates per button are listed
    await page.getByTestId('ratings').waitFor();
    assert.match(await text(page.getByTestId('click-rates')), /Read the policy/);
    await noSeriousAxe(page, 'report (light)');
    await shoot(page, 'author-report-light');

    // Export .xlsx: a real spreadsheet (a zip), fetched with the bearer token
    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    const file = await download;
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', `export is an .xlsx (zip), got ${bytes.length} bytes`);
    assert.match(file.suggestedFilename(), /\.xlsx$/);

    // the messages list: the sent message with its progress
    await page.getByRole('link', { name: en.nav.messages }).click();
    await page.getByTestId('filter-sent').click();
    const row = page.getByTestId('message-row').filter({ hasText: title });
    await row.waitFor();
    assert.match(await text(row.getByTestId('delivery-counts')), new RegExp(`${installed} sent`));
    assert.match(await text(row), /Company news/);
    await noSeriousAxe(page, 'messages (light)');
    await shoot(page, 'author-messages-light');
    assert.deepEqual(pageErrors, []);

    // the report and the list in the dark theme
    const darkTab = await openTab(megan, `#/messages/${draftId}/report`, { theme: 'dark' });
    await darkTab.page.getByTestId('stat-sent').filter({ hasText: String(installed) }).waitFor();
    await darkTab.page.getByTestId('recipient-table').waitFor();
    await noSeriousAxe(darkTab.page, 'report (dark)');
    await shoot(darkTab.page, 'author-report-dark');
    await darkTab.page.getByRole('link', { name: en.nav.messages }).click();
    await darkTab.page.getByTestId('filter-sent').click();
    await darkTab.page.getByTestId('message-row').filter({ hasText: title }).waitFor();
    await noSeriousAxe(darkTab.page, 'messages (dark)');
    await shoot(darkTab.page, 'author-messages-dark');
    assert.deepEqual(darkTab.pageErrors, []);
  });

  it('says when someone else changed the draft meanwhile (412) and reloads their version', async function () {
    const token = await idp.idp.issueUserToken({ userId: megan, audience });
    const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}/api${p}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    const topicId = ((await (await api('/topics')).json()) as Array<{ id: string }>)[0]!.id;
    const input = { topicId, author: 'Megan Bowen', layout: 'standard', variants: [{ locale: 'en-US', title: 'Parking closed on Friday', body: 'Use the east entrance.', links: [] }], feedback: { reactions: false, acknowledge: false, rating: false, comment: false }, audience: [{ kind: 'allUsers' }] };
    const created = await (await api('/drafts', { method: 'POST', body: JSON.stringify(input) })).json() as { id: string; etag: string };

    const { page } = await openTab(megan, `#/messages/${created.id}`);
    await page.getByTestId('variant-title').waitFor();
    assert.equal(await page.getByTestId('variant-title').inputValue(), 'Parking closed on Friday');
    // another author saves first
    const other = await api(`/messages/${created.id}`, { method: 'PUT', body: JSON.stringify({ ...input, variants: [{ ...input.variants[0], title: 'Parking closed on Friday and Monday' }], etag: created.etag }) });
    assert.equal(other.status, 200);
    await page.getByTestId('variant-title').fill('Parking closed Friday');
    await page.getByTestId('save').click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    assert.match(await text(conflict), new RegExp(en.composer.conflict.title));
    await noSeriousAxe(page, 'composer with a conflict');
    await conflict.getByRole('button', { name: en.composer.conflict.reload }).click();
    await eventually(async () => ((await page.getByTestId('variant-title').inputValue()) === 'Parking closed on Friday and Monday' ? true : undefined), 'their version');
    assert.equal(await page.getByTestId('conflict').count(), 0);
  });

  it('schedules a draft in a chosen time zone, cancels it, and duplicates and deletes drafts from the list', async function () {
    this.timeout(120_000);
    const token = await idp.idp.issueUserToken({ userId: megan, audience });
    const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}/api${p}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    const topic = await (await api('/topics', { method: 'POST', body: JSON.stringify({ name: 'Facilities' }) })).json() as { id: string };
    const draft = (t: string) => ({ topicId: topic.id, author: 'Megan Bowen', layout: 'compact', variants: [{ locale: 'en-US', title: t, body: 'Details inside.', links: [] }], feedback: { reactions: false, acknowledge: true, rating: false, comment: false }, audience: [{ kind: 'allUsers' }] });
    const later = await (await api('/drafts', { method: 'POST', body: JSON.stringify(draft('Fire drill on Thursday')) })).json() as { id: string };

    // Schedule…: date and time default to the next hour; the zone defaults to the browser's and can be changed
    const { page, pageErrors } = await openTab(megan, `#/messages/${later.id}`, { context: { timezoneId: 'America/New_York' } });
    await page.getByTestId('variant-title').waitFor();
    await page.getByTestId('schedule').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('schedule-zone').inputValue(), 'America/New_York');
    assert.match(await dialog.getByTestId('schedule-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    await dialog.getByTestId('schedule-zone').selectOption('Europe/Paris');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await dialog.getByTestId('schedule-date').fill(tomorrow);
    await dialog.getByTestId('schedule-time').fill('09:30');
    await noSeriousAxe(page, 'schedule dialog');
    await dialog.getByRole('button', { name: `Schedule for ${installed} recipients` }).click();
    await page.waitForURL(new RegExp(`#/messages/${later.id}/report$`));
    await page.getByTestId('status-badge').and(page.locator('[data-status="scheduled"]')).first().waitFor();
    const scheduled = await (await api(`/messages/${later.id}`)).json() as { status: string; timeZone?: string; sendAt?: string };
    assert.equal(scheduled.status, 'scheduled');
    assert.equal(scheduled.timeZone, 'Europe/Paris');
    // 09:30 in Paris is 07:30 or 08:30 UTC depending on the season
    assert.match(scheduled.sendAt ?? '', new RegExp(`^${tomorrow}T0[78]:30`));

    // cancel it from the report
    await page.getByRole('button', { name: en.messages.actions.cancelSend }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: en.messages.actions.cancelSend }).click();
    await page.getByTestId('status-badge').and(page.locator('[data-status="canceled"]')).first().waitFor();
    assert.equal((await (await api(`/messages/${later.id}`)).json() as { status: string }).status, 'canceled');

    // the drafts list: duplicate opens the copy in the composer; delete asks first
    const doomed = await (await api('/drafts', { method: 'POST', body: JSON.stringify(draft('Old draft to delete')) })).json() as { id: string };
    await page.getByRole('link', { name: en.nav.messages }).click();
    const row = page.getByTestId('message-row').filter({ hasText: 'Old draft to delete' });
    await row.waitFor();
    await row.getByRole('button', { name: en.messages.actions.moreNamed.replace('{{title}}', 'Old draft to delete') }).click();
    await page.getByRole('menuitem', { name: en.messages.actions.duplicate }).click();
    await page.getByRole('heading', { level: 1, name: en.composer.editTitle }).waitFor();
    assert.notEqual(/#\/messages\/([^/?]+)$/.exec(page.url())?.[1], doomed.id);
    assert.equal(await page.getByTestId('variant-title').inputValue(), 'Old draft to delete');
    await page.goBack();
    await row.first().waitFor();
    assert.equal(await page.getByTestId('message-row').filter({ hasText: 'Old draft to delete' }).count(), 2);
    await row.first().getByRole('button', { name: en.messages.actions.moreNamed.replace('{{title}}', 'Old draft to delete') }).click();
    await page.getByRole('menuitem', { name: en.messages.actions.delete }).click();
    const confirm = page.getByRole('alertdialog');
    assert.match(await text(confirm), /cannot be undone/);
    await confirm.getByRole('button', { name: en.messages.actions.delete }).click();
    await eventually(async () => ((await page.getByTestId('message-row').filter({ hasText: 'Old draft to delete' }).count()) === 1 ? true : undefined), 'one copy to remain');
    await confirm.waitFor({ state: 'detached' });
    await eventually(async () => ((await page.locator('#root').getAttribute('aria-hidden')) === null ? true : undefined), 'the page to be accessible again once the dialog closed', 5000);
    await noSeriousAxe(page, 'messages after delete');
    assert.deepEqual(pageErrors, []);
  });

  it('speaks French: navigation, list, composer and preview labels', async function () {
    const { page } = await openTab(megan, '', { lang: 'fr' });
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.deepEqual(await page.getByRole('heading', { level: 1 }).allTextContents(), [fr.home.title]);
    await page.getByRole('link', { name: fr.nav.topics }).waitFor();
    await page.getByRole('tab', { name: fr.messages.filters.draft }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 2, name: shellStrings.fr.user.heading }).count(), 1);
    await noSeriousAxe(page, 'messages (French)');
    await page.getByRole('button', { name: fr.messages.new }).click();
    await page.getByRole('heading', { level: 1, name: fr.composer.newTitle }).waitFor();
    for (const label of [fr.composer.fields.topic, fr.composer.fields.title, fr.composer.fields.body, fr.composer.fields.imageUrl]) {
      assert.equal(await page.getByLabel(new RegExp(`^${label}\\s*\\*?$`)).count(), 1, `field "${label}"`);
    }
    await page.getByRole('button', { name: fr.composer.sendNow }).waitFor();
    await page.getByText(fr.composer.preview.light).waitFor();
    // a French first variant: the card's own labels are French too
    await page.getByRole('switch', { name: fr.composer.feedback.rating }).check();
    await page.getByTestId('variant-title').fill('Bonjour');
    await page.getByTestId('preview-light').locator('.ac-adaptiveCard').filter({ hasText: 'Notez ce message' }).waitFor();
    await noSeriousAxe(page, 'composer (French)');
  });

  it('fits a phone screen: the list and the composer without horizontal scrolling', async function () {
    const { page } = await openTab(megan, '', { context: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } });
    await page.getByTestId('message-row').first().waitFor(); // the drafts
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(await overflow() <= 0, `the list is ${await overflow()}px wider than the screen`);
    await page.getByRole('button', { name: en.messages.new }).click();
    await page.getByTestId('variant-title').fill(title);
    await page.getByTestId('preview-light').locator('.ac-adaptiveCard').filter({ hasText: title }).waitFor();
    assert.ok(await overflow() <= 0, `the composer is ${await overflow()}px wider than the screen`);
  });
});
