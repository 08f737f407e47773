import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { AppDefinition, RunningAppServer } from '@teamspro/core';
import { definition as communicator } from '@teamspro/communicator/app';
import { definition as contact } from '@teamspro/contact/app';
import { definition as calendar } from '@teamspro/calendar/app';
import { definition as image } from '@teamspro/image/app';
import { definition as metaoffice } from '@teamspro/metaoffice/app';
import { resources as communicatorText } from '../../communicator/tab/i18n.js';
import { resources as contactText } from '../../contact/tab/i18n.js';
import { resources as calendarText } from '../../calendar/tab/i18n.js';
import { resources as imageText } from '../../image/tab/i18n.js';
import { resources as metaofficeText } from '../../metaoffice/tab/i18n.js';
import { shellStrings } from '../../core/tab/i18n/shell-strings.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../src/identity/index.js';
import { tenantA, tenantB } from '../src/seed/tenants.js';
import { startAppForTest } from '../src/harness/app-under-test.js';
import { launchChromium, screenshot, seriousAxeViolations } from '../src/harness/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type AppText = { en: { home: { title: string } }; fr: { home: { title: string } } };
const apps: Array<{ definition: AppDefinition; text: AppText }> = [
  { definition: communicator, text: communicatorText },
  { definition: contact, text: contactText },
  { definition: calendar, text: calendarText },
  { definition: image, text: imageText },
  { definition: metaoffice, text: metaofficeText },
];

const megan = 'meganb@example.com';
const bianca = 'biancap@fabrikam.example';
const desktop = { width: 1280, height: 800 };

/** Flips the first character of the JWT's signature: same header and claims, a signature that no longer verifies. */
function tamper(jwt: string): string {
  const [header, payload, signature = ''] = jwt.split('.');
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
}

/** Relative luminance (WCAG) of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** How the focused element shows focus: its outline and the ::after ring Fluent draws for keyboard focus. */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return undefined;
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const after = getComputedStyle(el, '::after');
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : '';
    const ring = after.content !== 'none' && after.borderTopStyle !== 'none' && parseFloat(after.borderTopWidth) > 0 ? `${after.borderTopWidth} ${after.borderTopStyle} ${after.borderTopColor}` : '';
    return {
      tag: el.tagName.toLowerCase(),
      text: (el.textContent ?? '').trim(),
      inViewport: rect.width > 0 && rect.height > 0 && rect.top >= 0 && rect.left >= 0 && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth,
      indicator: outline || ring,
    };
  });
}

/**
 * A stand-in for the Teams web client: a page on the tab's origin that frames the tab and answers the
 * Teams JS SDK's postMessage protocol (initialize, getContext, authentication.getAuthToken) and can push a
 * theme change, the way Teams does. `token` undefined makes SSO fail like a missing consent does.
 */
function teamsHostPage(opts: { tabPath: string; token?: string; theme: string; locale: string; tenantId: string }): string {
  const state = JSON.stringify(opts).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams (simulated)</title>
<style>body{margin:0} iframe{border:0;width:100vw;height:100vh;display:block}</style>
<script>
const host = ${state};
window.hostCalls = [];
window.addEventListener('message', (event) => {
  const frame = document.getElementById('tab');
  if (!frame || event.source !== frame.contentWindow) return;
  const m = event.data;
  if (!m || typeof m.func !== 'string' || typeof m.id !== 'number') return;
  window.hostCalls.push(m.func);
  const reply = (args) => frame.contentWindow.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, window.location.origin);
  switch (m.func) {
    case 'initialize': return reply(['content', 'web', '2.0.0', '2.0.0']);
    case 'getContext': return reply([{ locale: host.locale, theme: host.theme, hostName: 'Teams', hostClientType: 'web', frameContext: 'content',
      tid: host.tenantId, appSessionId: 'session-1', entityId: 'home' }]);
    case 'authentication.getAuthToken': return reply(host.token ? [true, host.token] : [false, 'resourceRequiresConsent']);
    default: return undefined;
  }
});
window.setTeamsTheme = (theme) => document.getElementById('tab').contentWindow.postMessage({ func: 'themeChange', args: [theme] }, window.location.origin);
</script></head>
<body><iframe id="tab" title="Tab" src="${opts.tabPath}"></iframe></body></html>`;
}

describe('app tabs in headless Chromium', function () {
  let idp: RunningIdentityProvider;
  let browser: Browser;

  before(async function () {
    this.timeout(600_000);
    // the tabs are built by `npm test`; building here too keeps `npx mocha devtools/test/tabs.test.ts` honest (no-op when fresh)
    const build = spawnSync(process.execPath, ['scripts/build-tabs.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `building the tabs failed:\n${build.stdout}\n${build.stderr}`);
    idp = await startIdentityProvider({ port: 0 });
    browser = await launchChromium();
  });

  after(async function () {
    await browser?.close();
    await idp?.stop();
  });

  describe('sign-in edge cases', function () {
    const contexts: BrowserContext[] = [];
    after(async function () { await Promise.all(contexts.splice(0).map((c) => c.close())); });

    it('ignores a sign-in callback whose state it did not issue, and keeps no token', async function () {
      const server = await startAppForTest(communicator, { DEV_IDENTITY_URL: idp.url });
      try {
        const context = await browser.newContext({ viewport: desktop });
        contexts.push(context);
        const page = await context.newPage();
        const forged = await idp.idp.issueUserToken({ userId: bianca, audience: 'api://localhost/communicator' });
        await page.goto(`${server.url}/tab/auth-callback#${new URLSearchParams({ access_token: forged, token_type: 'Bearer', expires_in: '3600', state: 'not-ours' })}`);
        const alert = page.getByRole('alert');
        await alert.waitFor({ state: 'visible' });
        await assertText(alert, [shellStrings.en.callback.title, shellStrings.en.callback.state]);
        assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), []);
        assert.equal(await page.getByRole('link', { name: shellStrings.en.signInAgain }).getAttribute('href'), '/tab/');
      } finally {
        await server.stop();
      }
    });

    it('says clearly that sign-in is unavailable outside Teams when the server offers no dev sign-in', async function () {
      const server = await startAppForTest(communicator);
      try {
        const context = await browser.newContext({ viewport: desktop });
        contexts.push(context);
        const page = await context.newPage();
        const config = await (await fetch(`${server.url}/api/client-config`)).json() as { devSignIn?: unknown };
        assert.equal(config.devSignIn, undefined);
        await page.goto(`${server.url}/tab/`);
        const alert = page.getByRole('alert');
        await alert.waitFor({ state: 'visible' });
        await assertText(alert, [shellStrings.en.noSignIn.title]);
        assert.equal(new URL(page.url()).origin, server.url);
        const violations = await seriousAxeViolations(page);
        assert.deepEqual(violations, [], violations.join('\n'));
      } finally {
        await server.stop();
      }
    });
  });

  for (const { definition, text } of apps) {
    describe(definition.displayName, function () {
      let server: RunningAppServer;
      const contexts: BrowserContext[] = [];
      const audience = `api://localhost/${definition.id}`;

      before(async function () {
        assert.ok(definition.tabDir && existsSync(path.join(definition.tabDir, 'index.html')), `${definition.id}: the built tab is missing`);
        server = await startAppForTest(definition, { DEV_IDENTITY_URL: idp.url });
      });

      after(async function () {
        await Promise.all(contexts.splice(0).map((c) => c.close()));
        await server?.stop();
      });

      /** A fresh browser context (own sessionStorage) and a page that records uncaught errors and sign-in redirects. */
      async function openPage(options: BrowserContextOptions = {}) {
        const context = await browser.newContext({ viewport: desktop, locale: 'en-US', ...options });
        contexts.push(context);
        const page = await context.newPage();
        const pageErrors: string[] = [];
        const authorizeCalls: URL[] = [];
        page.on('pageerror', (err) => pageErrors.push(err.message));
        // GET /authorize = one sign-in started by the tab (choosing a user on the sign-in page then POSTs)
        page.on('request', (req) => { if (req.method() === 'GET' && req.url().startsWith(`${idp.url}/authorize`)) authorizeCalls.push(new URL(req.url())); });
        return { context, page, pageErrors, authorizeCalls };
      }

      const tabUrl = (query: Record<string, string>) => `${server.url}/tab/?${new URLSearchParams(query)}`;

      async function signedIn(page: Page) {
        await page.getByTestId('account').waitFor({ state: 'visible' });
      }

      it('signs in through the dev identity provider and shows the user and tenant returned by /api/me', async function () {
        const { page, pageErrors, authorizeCalls } = await openPage();
        const meStatuses: number[] = [];
        page.on('response', (res) => { if (new URL(res.url()).pathname === '/api/me') meStatuses.push(res.status()); });
        const meResponse = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/me');
        await page.goto(tabUrl({ login_hint: megan }));
        await signedIn(page);

        // one round trip to the identity provider, with the parameters the shell promises
        assert.equal(authorizeCalls.length, 1);
        const authorize = authorizeCalls[0]!;
        assert.equal(authorize.searchParams.get('client_id'), audience);
        assert.equal(authorize.searchParams.get('redirect_uri'), `${server.url}/tab/auth-callback`);
        assert.equal(authorize.searchParams.get('login_hint'), megan);
        assert.match(authorize.searchParams.get('state') ?? '', /^[0-9a-f]{32}$/);
        // back on the route it left from, token out of the URL
        assert.equal(new URL(page.url()).pathname, '/tab/');
        assert.equal(new URL(page.url()).searchParams.get('login_hint'), megan);
        assert.equal(new URL(page.url()).hash, '');

        // the user and tenant come from /api/me, called with the bearer token
        const me = await meResponse;
        assert.deepEqual(meStatuses, [200]);
        assert.match((await me.request().allHeaders()).authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
        assert.deepEqual(await me.json(), { tenantId: tenantA.id, userId: tenantA.users[1]!.id, name: 'Megan Bowen', upn: megan, roles: ['Author'] });
        const header = page.getByRole('banner');
        await assertText(header.getByTestId('signed-in-user'), ['Megan Bowen', megan, tenantA.id]);
        assert.equal(await page.getByTestId('account-name').textContent(), 'Megan Bowen');
        assert.equal(await page.getByTestId('account-upn').textContent(), megan);
        assert.equal(await page.getByTestId('account-tenant').textContent(), tenantA.id);

        // one <main> with the screen's <h1>, in English, and the document says so
        assert.equal(await page.getByRole('main').count(), 1);
        assert.deepEqual(await page.getByRole('heading', { level: 1 }).allTextContents(), [text.en.home.title]);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en');
        assert.equal(await page.title(), definition.displayName);

        // the token lives in sessionStorage only, and the page never crashed
        const storage = await page.evaluate(() => ({ local: localStorage.length, session: Object.keys(sessionStorage) }));
        assert.equal(storage.local, 0);
        assert.ok(storage.session.includes('teamspro.tab.token'), `sessionStorage keys: ${storage.session.join(', ')}`);
        assert.deepEqual(pageErrors, []);
      });

      it('has no user or tenant baked into the built bundle', async function () {
        const assets = path.join(definition.tabDir!, 'assets');
        for (const file of await readdir(assets)) {
          const content = await readFile(path.join(assets, file), 'utf8');
          for (const secret of [tenantA.id, tenantB.id, 'Megan Bowen', megan]) assert.ok(!content.includes(secret), `${file} contains ${secret}`);
        }
      });

      it('has no serious or critical axe violations in light, dark and high-contrast themes, and saves light and dark screenshots', async function () {
        const { page, pageErrors } = await openPage();
        const backgrounds: Record<string, number> = {};
        for (const theme of ['default', 'dark', 'contrast'] as const) {
          await page.goto(tabUrl({ login_hint: megan, theme }));
          await signedIn(page);
          assert.equal(await page.locator('html').getAttribute('data-theme'), theme);
          backgrounds[theme] = luminance(await page.locator('.fui-FluentProvider').first().evaluate((el) => getComputedStyle(el).backgroundColor));
          const violations = await seriousAxeViolations(page);
          assert.deepEqual(violations, [], `${theme} theme:\n${violations.join('\n')}`);
          if (theme !== 'contrast') await screenshot(page, path.join(root, definition.id, 'docs', `tab-home-${theme === 'default' ? 'light' : 'dark'}.png`));
        }
        assert.ok(backgrounds.default! > 0.8, `light background luminance ${backgrounds.default}`);
        assert.ok(backgrounds.dark! < 0.05, `dark background luminance ${backgrounds.dark}`);
        assert.ok(backgrounds.contrast! < 0.05, `high-contrast background luminance ${backgrounds.contrast}`);
        assert.deepEqual(pageErrors, []);
      });

      it('follows the operating system colour scheme outside Teams, live', async function () {
        const { page } = await openPage({ colorScheme: 'dark' });
        await page.goto(tabUrl({ login_hint: megan }));
        await signedIn(page);
        assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
        await page.emulateMedia({ colorScheme: 'light' });
        await page.locator('html[data-theme="default"]').waitFor({ state: 'attached' });
        await page.emulateMedia({ forcedColors: 'active' });
        await page.locator('html[data-theme="contrast"]').waitFor({ state: 'attached' });
      });

      it('speaks French with ?lang=fr (and from the browser language)', async function () {
        const { page } = await openPage();
        await page.goto(tabUrl({ login_hint: megan, lang: 'fr' }));
        await signedIn(page);
        assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
        assert.deepEqual(await page.getByRole('heading', { level: 1 }).allTextContents(), [text.fr.home.title]);
        assert.notEqual(text.fr.home.title, text.en.home.title);
        assert.equal(await page.getByRole('heading', { level: 2, name: shellStrings.fr.user.heading }).count(), 1);
        assert.equal(await page.getByRole('link', { name: shellStrings.fr.skipToContent, includeHidden: true }).count(), 1);
        const violations = await seriousAxeViolations(page);
        assert.deepEqual(violations, [], violations.join('\n'));

        const browserFrench = await openPage({ locale: 'fr-FR' });
        await browserFrench.page.goto(tabUrl({ login_hint: megan }));
        await signedIn(browserFrench.page);
        assert.equal(await browserFrench.page.locator('html').getAttribute('lang'), 'fr');
        assert.deepEqual(await browserFrench.page.getByRole('heading', { level: 1 }).allTextContents(), [text.fr.home.title]);
      });

      it("shows tenant B's id for a Fabrikam user, and never tenant A's", async function () {
        const { page } = await openPage();
        await page.goto(tabUrl({ login_hint: bianca }));
        await signedIn(page);
        await assertText(page.getByRole('banner'), ['Bianca Pisani', bianca, tenantB.id]);
        assert.equal(await page.getByTestId('account-tenant').textContent(), tenantB.id);
        assert.ok(!(await page.locator('body').innerText()).includes(tenantA.id));
      });

      it('switches user through the identity provider sign-in page', async function () {
        const { page, authorizeCalls } = await openPage();
        await page.goto(tabUrl({ login_hint: megan }));
        await signedIn(page);
        await page.getByRole('button', { name: shellStrings.en.switchUser }).click();
        await page.getByRole('button', { name: /Sign in as Adele Vance/ }).click();
        await page.getByTestId('account-name').filter({ hasText: 'Adele Vance' }).waitFor();
        assert.equal(authorizeCalls.length, 2);
        assert.equal(authorizeCalls[1]!.searchParams.get('login_hint'), null);
        assert.equal(new URL(page.url()).searchParams.get('login_hint'), null);
        assert.equal(await page.getByTestId('account-tenant').textContent(), tenantA.id);
      });

      it('is keyboard accessible: Tab reaches the skip link, then the first control, each with a visible focus', async function () {
        const { page } = await openPage();
        await page.goto(tabUrl({ login_hint: megan }));
        await signedIn(page);

        await page.keyboard.press('Tab');
        const skip = await focusRing(page);
        assert.equal(skip?.tag, 'a');
        assert.equal(skip?.text, shellStrings.en.skipToContent);
        assert.ok(skip?.inViewport, 'the skip link is on screen when focused');
        assert.ok(skip?.indicator, 'the skip link shows a focus outline');

        await page.keyboard.press('Tab');
        const control = await focusRing(page);
        assert.equal(control?.tag, 'button');
        assert.equal(control?.text, shellStrings.en.switchUser);
        assert.ok(control?.inViewport);
        assert.ok(control?.indicator, 'the button shows a focus ring');

        // back to the skip link: it moves focus to <main>
        await page.keyboard.press('Shift+Tab');
        assert.equal((await focusRing(page))?.text, shellStrings.en.skipToContent);
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'teamspro-main');
        // the button's ring was there because it had keyboard focus, not always
        const ringWithoutFocus = await page.getByRole('button', { name: shellStrings.en.switchUser }).evaluate((el) => {
          const after = getComputedStyle(el, '::after');
          return after.content !== 'none' && after.borderTopStyle !== 'none' && parseFloat(after.borderTopWidth) > 0;
        });
        assert.equal(ringWithoutFocus, false);
      });

      it('fits a phone screen (Teams mobile) without horizontal scrolling', async function () {
        const { page } = await openPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
        await page.goto(tabUrl({ login_hint: megan }));
        await signedIn(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
        for (const locator of [page.getByRole('heading', { level: 1 }), page.getByTestId('signed-in-user'), page.getByTestId('account-tenant')]) {
          const box = await locator.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `element out of the screen: ${JSON.stringify(box)}`);
        }
      });

      it('inside Teams: signs in with Teams SSO, takes language and theme from the Teams context, and follows theme changes live', async function () {
        const token = await idp.idp.issueUserToken({ userId: megan, audience });
        const { page, pageErrors, authorizeCalls } = await openPage();
        const meRequests: import('playwright-core').Request[] = [];
        page.on('request', (req) => { if (new URL(req.url()).pathname === '/api/me') meRequests.push(req); });
        await page.route(`${server.url}/teams-host.html`, (route) => route.fulfill({
          contentType: 'text/html',
          body: teamsHostPage({ tabPath: '/tab/', token, theme: 'dark', locale: 'fr-fr', tenantId: tenantA.id }),
        }));
        await page.goto(`${server.url}/teams-host.html`);
        const tab = page.frameLocator('#tab');
        await tab.getByTestId('account').waitFor({ state: 'visible' });

        // SSO: the host's token, no trip to the identity provider, no "switch user" inside Teams
        assert.equal(authorizeCalls.length, 0);
        assert.equal(meRequests.length, 1);
        assert.equal((await meRequests[0]!.allHeaders()).authorization, `Bearer ${token}`);
        assert.equal(await tab.getByTestId('account-name').textContent(), 'Megan Bowen');
        assert.equal(await tab.getByTestId('account-tenant').textContent(), tenantA.id);
        assert.equal(await tab.getByRole('button', { name: shellStrings.fr.switchUser }).count(), 0);
        const calls = await page.evaluate(() => (window as unknown as { hostCalls: string[] }).hostCalls);
        for (const call of ['initialize', 'getContext', 'authentication.getAuthToken']) assert.ok(calls.includes(call), `host calls: ${calls.join(', ')}`);

        // language and theme from the Teams context
        assert.equal(await tab.locator('html').getAttribute('lang'), 'fr');
        assert.deepEqual(await tab.getByRole('heading', { level: 1 }).allTextContents(), [text.fr.home.title]);
        assert.equal(await tab.locator('html').getAttribute('data-theme'), 'dark');

        // Teams switches theme: the tab follows without reloading
        await page.evaluate(() => (window as unknown as { setTeamsTheme(t: string): void }).setTeamsTheme('contrast'));
        await tab.locator('html[data-theme="contrast"]').waitFor({ state: 'attached' });
        await page.evaluate(() => (window as unknown as { setTeamsTheme(t: string): void }).setTeamsTheme('default'));
        await tab.locator('html[data-theme="default"]').waitFor({ state: 'attached' });
        assert.equal(meRequests.length, 1);
        assert.deepEqual(pageErrors, []);
      });

      it('inside Teams: explains when Teams SSO fails', async function () {
        const { page, authorizeCalls } = await openPage();
        await page.route(`${server.url}/teams-host.html`, (route) => route.fulfill({
          contentType: 'text/html',
          body: teamsHostPage({ tabPath: '/tab/', theme: 'default', locale: 'en-us', tenantId: tenantA.id }),
        }));
        await page.goto(`${server.url}/teams-host.html`);
        const alert = page.frameLocator('#tab').getByRole('alert');
        await alert.waitFor({ state: 'visible' });
        await assertText(alert, [shellStrings.en.teamsSignIn.title, 'resourceRequiresConsent']);
        assert.equal(authorizeCalls.length, 0);
      });

      it('rejects a tampered token with 401 and shows a readable error after signing in again once', async function () {
        // the API itself: a valid token passes, the same token with a flipped signature gets the uniform 401
        const token = await idp.idp.issueUserToken({ userId: megan, audience });
        const ok = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(ok.status, 200);
        const rejected = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${tamper(token)}` } });
        assert.equal(rejected.status, 401);
        const body = (await rejected.json()) as { error: { status: number; code: string; message: string; requestId: string } };
        assert.equal(body.error.status, 401);
        assert.equal(body.error.code, 'invalid_token');
        assert.ok(body.error.message.length > 0);
        assert.ok(body.error.requestId);

        // the page: every /api/me call carries a tampered token
        const { page, pageErrors, authorizeCalls } = await openPage();
        const statuses: number[] = [];
        await page.route('**/api/me', async (route) => {
          const headers = { ...(await route.request().allHeaders()) };
          headers.authorization = `Bearer ${tamper(headers.authorization!.replace(/^Bearer /, ''))}`;
          await route.continue({ headers });
        });
        page.on('response', (res) => { if (new URL(res.url()).pathname === '/api/me') statuses.push(res.status()); });
        await page.goto(tabUrl({ login_hint: megan }));
        const alert = page.getByRole('alert').filter({ hasText: shellStrings.en.errors.unauthorized });
        await alert.waitFor({ state: 'visible' });
        await assertText(alert, [shellStrings.en.errors.unauthorized, body.error.message, 'Request ID:']);
        // first 401 → signed in again once → second 401 → shown, not retried again
        assert.deepEqual(statuses, [401, 401]);
        assert.equal(authorizeCalls.length, 2);
        assert.equal(await page.getByTestId('account').count(), 0);
        assert.equal(await page.getByRole('button', { name: shellStrings.en.retry }).count(), 1);
        const violations = await seriousAxeViolations(page);
        assert.deepEqual(violations, [], violations.join('\n'));
        assert.deepEqual(pageErrors, []);

        // the rejected token was dropped: once tokens pass again, Try again signs in afresh and recovers
        await page.unroute('**/api/me');
        await page.getByRole('button', { name: shellStrings.en.retry }).click();
        await signedIn(page);
        assert.equal(authorizeCalls.length, 3);
        assert.equal(await page.getByTestId('account-name').textContent(), 'Megan Bowen');
      });
    });
  }
});

async function assertText(locator: import('playwright-core').Locator, expected: string[]) {
  const actual = (await locator.innerText()).replace(/\s+/g, ' ');
  for (const piece of expected) assert.ok(actual.includes(piece), `expected "${piece}" in "${actual}"`);
}
