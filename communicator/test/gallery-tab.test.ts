// The image gallery screen of the author tab in headless Chromium, against the real app server (Azurite,
// the dev identity provider): upload through the file input, describe, crop and resize, refuse a fake image,
// then pick the image in the composer and see the card preview draw it. Axe on every step; screenshots in
// communicator/docs (light and dark).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { RunningAppServer } from '@teamspro/core';
import { createCommunicatorApp } from '../src/app.js';
import { resources } from '../tab/i18n.js';
import { startIdentityProvider, type RunningIdentityProvider } from '../../devtools/src/identity/index.js';
import { startGraphSandbox, type RunningGraphSandbox } from '../../devtools/src/graph/index.js';
import { startAppForTest } from '../../devtools/src/harness/app-under-test.js';
import { launchChromium, screenshot, seriousAxeViolations } from '../../devtools/src/harness/browser.js';
import { freePort } from '../../devtools/src/harness/ports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const docs = path.join(root, 'communicator', 'docs');
const en = resources.en;
const megan = 'meganb@example.com';
const audience = 'api://localhost/communicator';

/** A 480 × 320 photo-like JPEG: a diagonal gradient. */
function gradientJpeg(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320"><defs><linearGradient id="g" x2="1" y2="1">
    <stop offset="0" stop-color="#d9534f"/><stop offset="1" stop-color="#5b3cc4"/></linearGradient></defs><rect width="480" height="320" fill="url(#g)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** A 640 × 360 banner: a blue sky over green grass with a yellow sun, so crops are visible. */
function bannerPng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">
    <rect width="640" height="240" fill="#4a90d9"/><rect y="240" width="640" height="120" fill="#3c9d4e"/>
    <circle cx="500" cy="100" r="60" fill="#f5c542"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** True once the <img> has loaded real pixels. */
function loaded(img: Locator): Promise<boolean> {
  return img.evaluate((node) => node instanceof HTMLImageElement && node.complete && node.naturalWidth > 0);
}

describe('Company Communicator Pro: the image gallery in the author tab', function () {
  let idp: RunningIdentityProvider;
  let graph: RunningGraphSandbox;
  let server: RunningAppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async function () {
    this.timeout(600_000);
    const build = spawnSync(process.execPath, ['scripts/build-tabs.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `building the tabs failed:\n${build.stdout}\n${build.stderr}`);
    idp = await startIdentityProvider({ port: 0 });
    graph = await startGraphSandbox({ identityUrl: idp.url });
    // image URLs are absolute (PUBLIC_URL): the browser must be able to load them from this server
    const port = await freePort();
    server = await startAppForTest(createCommunicatorApp(), {
      DEV_IDENTITY_URL: idp.url, GRAPH_BASE_URL: graph.url, AUTH_AUDIENCE: audience, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    browser = await launchChromium();
  });

  after(async function () {
    this.timeout(60_000);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await browser?.close();
    await server?.stop();
    await graph?.stop();
    await idp?.stop();
  });

  async function openTab(hash: string, theme?: 'default' | 'dark' | 'contrast') {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const query = new URLSearchParams({ login_hint: megan, ...(theme && { theme }) });
    await page.goto(`${server.url}/tab/?${query}${hash}`);
    await page.getByTestId('signed-in-user').waitFor();
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, pageErrors };
  }

  async function noSeriousAxe(page: Page, where: string) {
    const violations = await seriousAxeViolations(page);
    assert.deepEqual(violations, [], `${where}:\n${violations.join('\n')}`);
  }

  async function shoot(page: Page, name: string) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, path.join(docs, `${name}.png`));
  }

  const card = (page: Page, name: string) => page.getByTestId('image-card').filter({ has: page.getByRole('heading', { name, exact: true }) });

  it('uploads through the file input into a new folder, describes, crops and resizes it, and says what it refused', async function () {
    this.timeout(180_000);
    const { page, pageErrors } = await openTab('#/gallery');
    await page.getByRole('heading', { level: 1, name: en.gallery.title }).waitFor();
    await page.getByRole('link', { name: en.nav.gallery }).waitFor();

    // a folder, which becomes the one shown
    await page.getByTestId('folder-name').fill('Town hall');
    await page.getByRole('button', { name: en.gallery.addFolder }).click();
    await page.getByRole('heading', { level: 2, name: en.gallery.imagesIn.replace('{{name}}', 'Town hall') }).waitFor();
    await page.getByText(en.gallery.empty).waitFor();

    // upload the banner, a photo and a text file dressed up as a PNG
    await page.getByTestId('gallery-file').setInputFiles([
      { name: 'town-hall-banner.png', mimeType: 'image/png', buffer: await bannerPng() },
      { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('These are meeting notes, not a picture.') },
      { name: 'stage.jpg', mimeType: 'image/jpeg', buffer: await gradientJpeg() },
    ]);
    const banner = card(page, 'town-hall-banner');
    await banner.waitFor();
    await eventually(async () => ((await loaded(banner.locator('img'))) ? true : undefined), 'the thumbnail to load');
    assert.match(await banner.innerText(), /640 × 360 px/);
    const failures = page.getByTestId('upload-failures');
    await failures.waitFor();
    assert.match(await failures.innerText(), /notes\.png was not uploaded/);
    assert.match(await failures.innerText(), /not an image/);
    assert.match(await page.getByTestId('upload-done').innerText(), /2 images uploaded/);
    await card(page, 'stage').waitFor();
    assert.equal(await page.getByTestId('image-card').count(), 2, 'the fake image was not stored');
    const folderButton = page.getByTestId('gallery-folder').filter({ hasText: 'Town hall' });
    assert.equal(await folderButton.getAttribute('aria-current'), 'true');
    assert.match(await folderButton.innerText(), /2$/);
    await noSeriousAxe(page, 'gallery with an image and a refused upload');

    // name, description and folder
    await banner.getByRole('button', { name: en.gallery.actionsNamed.replace('{{name}}', 'town-hall-banner') }).click();
    await page.getByRole('menuitem', { name: en.gallery.details }).click();
    const details = page.getByRole('alertdialog');
    await details.getByTestId('image-name').fill('Town hall banner');
    await details.getByTestId('image-alt').fill('A yellow sun over a green field under a blue sky');
    await noSeriousAxe(page, 'image details dialog');
    await details.getByRole('button', { name: en.common.save }).click();
    await details.waitFor({ state: 'detached' });
    const described = card(page, 'Town hall banner');
    await described.getByText('A yellow sun over a green field under a blue sky').waitFor();

    // crop to the sky, then halve it: the numbers drive the preview rectangle
    await described.getByRole('button', { name: en.gallery.actionsNamed.replace('{{name}}', 'Town hall banner') }).click();
    await page.getByRole('menuitem', { name: en.gallery.crop }).click();
    const editor = page.getByRole('alertdialog');
    await editor.getByTestId('crop-height').fill('400');
    await editor.getByTestId('crop-error').waitFor();
    assert.equal(await editor.getByRole('button', { name: en.common.save }).isDisabled(), true, 'a crop outside the image cannot be saved');
    await editor.getByTestId('crop-height').fill('240');
    await editor.getByTestId('resize-width').fill('320');
    await editor.getByText('Result: 320 × 120 px').waitFor();
    assert.equal(await editor.getByTestId('crop-preview').getAttribute('aria-label'), 'Crop preview: 640 × 240 px from 0, 0');
    await noSeriousAxe(page, 'crop and resize dialog');
    await editor.getByRole('button', { name: en.common.save }).click();
    await editor.waitFor({ state: 'detached' });
    await described.getByText(/320 × 120 px/).waitFor();
    await eventually(async () => ((await loaded(described.locator('img'))) ? true : undefined), 'the new thumbnail to load');

    await noSeriousAxe(page, 'gallery (light)');
    await shoot(page, 'author-gallery-light');
    assert.deepEqual(pageErrors, []);
  });

  it('looks right and stays accessible in the dark and high-contrast themes', async function () {
    for (const theme of ['dark', 'contrast'] as const) {
      const { page, pageErrors } = await openTab('#/gallery', theme);
      await page.getByTestId('gallery-folder').filter({ hasText: 'Town hall' }).click();
      const banner = card(page, 'Town hall banner');
      await banner.waitFor();
      await eventually(async () => ((await loaded(banner.locator('img'))) ? true : undefined), `the thumbnail to load (${theme})`);
      await noSeriousAxe(page, `gallery (${theme})`);
      if (theme === 'dark') await shoot(page, 'author-gallery-dark');
      assert.deepEqual(pageErrors, []);
    }
  });

  it('deletes an image after asking; the card and the folder\'s count follow', async function () {
    const { page, pageErrors } = await openTab('#/gallery');
    const folderButton = page.getByTestId('gallery-folder').filter({ hasText: 'Town hall' });
    await folderButton.click();
    await card(page, 'stage').getByRole('button', { name: en.gallery.actionsNamed.replace('{{name}}', 'stage') }).click();
    await page.getByRole('menuitem', { name: en.gallery.delete }).click();
    const confirm = page.getByRole('alertdialog');
    assert.match(await confirm.innerText(), /"stage" will be deleted/);
    await confirm.getByRole('button', { name: en.gallery.delete }).click();
    await confirm.waitFor({ state: 'detached' });
    await card(page, 'stage').waitFor({ state: 'detached' });
    await eventually(async () => (/1$/.test(await folderButton.innerText()) ? true : undefined), 'the folder count to drop');
    await eventually(async () => ((await page.locator('#root').getAttribute('aria-hidden')) === null ? true : undefined), 'the page to be accessible again', 5000);
    await noSeriousAxe(page, 'gallery after a delete');
    assert.deepEqual(pageErrors, []);
  });

  it('picks the image from the gallery in the composer, and the card preview shows it', async function () {
    this.timeout(120_000);
    const { page, pageErrors } = await openTab('#/messages/new');
    await page.getByRole('heading', { level: 1, name: en.composer.newTitle }).waitFor();
    await page.getByTestId('variant-title').fill('Town hall on Friday');

    await page.getByRole('button', { name: en.composer.fields.chooseFromGallery }).click();
    const picker = page.getByRole('alertdialog');
    await picker.getByTestId('picker-image').first().waitFor();
    await picker.getByTestId('picker-folder').selectOption({ label: 'Town hall' });
    const option = picker.getByRole('radio', { name: 'Town hall banner' });
    await option.waitFor();
    assert.equal(await picker.getByRole('button', { name: en.gallery.picker.use }).isDisabled(), true, 'nothing chosen yet');
    await option.check();
    await noSeriousAxe(page, 'gallery picker');
    await picker.getByRole('button', { name: en.gallery.picker.use }).click();
    await picker.waitFor({ state: 'detached' });

    const imageUrl = await page.getByLabel(en.composer.fields.imageUrl).inputValue();
    assert.match(imageUrl, new RegExp(`^${server.url.replace(/\./g, '\\.')}/img/`));
    assert.equal(await page.getByLabel(en.composer.fields.imageAlt).inputValue(), 'A yellow sun over a green field under a blue sky', 'the description came with it');
    for (const preview of ['preview-light', 'preview-dark']) {
      const img = page.getByTestId(preview).locator('.ac-adaptiveCard img').first();
      await eventually(async () => ((await img.getAttribute('src')) === imageUrl ? true : undefined), `${preview} to use the image`);
      await eventually(async () => ((await loaded(img)) ? true : undefined), `${preview} to draw the image`);
      const size = await img.evaluate((node) => [(node as HTMLImageElement).naturalWidth, (node as HTMLImageElement).naturalHeight]);
      assert.deepEqual(size, [320, 120], 'the cropped and resized version');
    }
    await noSeriousAxe(page, 'composer with a gallery image');

    // "Upload an image" puts a new file in the gallery and uses it; the description written stays
    await page.getByTestId('composer-image-file').setInputFiles({ name: 'agenda.png', mimeType: 'image/png', buffer: await bannerPng() });
    await eventually(async () => {
      const url = await page.getByLabel(en.composer.fields.imageUrl).inputValue();
      return url !== imageUrl && url.includes('/img/') ? true : undefined;
    }, 'the uploaded image to be used');
    assert.equal(await page.getByLabel(en.composer.fields.imageAlt).inputValue(), 'A yellow sun over a green field under a blue sky');
    const img = page.getByTestId('preview-light').locator('.ac-adaptiveCard img').first();
    await eventually(async () => ((await loaded(img)) && (await img.evaluate((node) => (node as HTMLImageElement).naturalWidth)) === 640 ? true : undefined), 'the preview to draw the upload');
    assert.deepEqual(pageErrors, []);
  });
});
