// The settings screen's delivery option (proactive install through Graph), in headless Chromium against the
// real app server: off by default, turned on by a tenant admin and kept; French labels. axe on the screen.
import assert from 'node:assert/strict';
import { resources } from '../tab/i18n.js';
import { startHarness, users, type Harness } from './helpers/harness.js';
import { buildTabs, noSeriousAxe, TabBrowser } from './helpers/tab-browser.js';

const { en, fr } = resources;

describe('Company Communicator Pro: the proactive install setting in the author tab', function () {
  let h: Harness;
  let tabs: TabBrowser;

  before(async function () {
    this.timeout(600_000);
    buildTabs();
    h = await startHarness();
    tabs = await TabBrowser.launch(h.server.url);
  });

  after(async function () {
    await tabs?.close();
    await h?.stop();
  });

  it('shows the option off, lets a tenant admin turn it on, and keeps it after reloading', async function () {
    const { page, pageErrors } = await tabs.open(users.alex, '#/settings');
    const option = page.getByRole('checkbox', { name: en.settings.proactiveInstall });
    await option.waitFor();
    assert.equal(await option.isChecked(), false, 'off by default');
    await page.getByText(en.settings.proactiveInstallHint).waitFor();
    await noSeriousAxe(page, 'settings with the delivery option');

    await option.check();
    await page.getByRole('button', { name: en.common.save }).click();
    await page.getByText(en.settings.saved).waitFor();
    assert.equal((await h.as(users.alex).get('/settings')).body.proactiveInstall, true, 'saved through the API');
    assert.deepEqual(pageErrors, []);

    const again = await tabs.open(users.alex, '#/settings');
    assert.equal(await again.page.getByRole('checkbox', { name: en.settings.proactiveInstall }).isChecked(), true);
    await again.page.getByRole('checkbox', { name: en.settings.proactiveInstall }).uncheck();
    await again.page.getByRole('button', { name: en.common.save }).click();
    await again.page.getByText(en.settings.saved).waitFor();
    assert.equal((await h.as(users.alex).get('/settings')).body.proactiveInstall, false, 'and off again');
  });

  it('labels it in French', async function () {
    const { page, pageErrors } = await tabs.open(users.alex, '#/settings', { lang: 'fr' });
    await page.getByRole('checkbox', { name: fr.settings.proactiveInstall }).waitFor();
    await page.getByRole('heading', { name: fr.settings.delivery }).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
