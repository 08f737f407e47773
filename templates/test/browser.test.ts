import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from '../../devtools/src/harness/browser.js';
import { cardCatalog } from '../src/index.js';
import { templatesViteConfig } from '../src/vite.js';
import type { BrowserResult } from './browser-fixture/main.js';

const fixture = fileURLToPath(new URL('./browser-fixture/', import.meta.url));

describe('templates: in a Vite browser bundle', function () {
  let outDir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let results: BrowserResult[];

  before(async function () {
    this.timeout(180_000);
    outDir = await mkdtemp(path.join(tmpdir(), 'templates-vite-'));
    const config = templatesViteConfig();
    await build({
      root: fixture,
      configFile: false,
      logLevel: 'silent',
      ...config,
      build: { ...config.build, outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 },
    });
    server = createServer(async (req, res) => {
      const file = path.join(outDir, req.url === '/' ? 'index.html' : path.normalize(decodeURIComponent(req.url ?? '/')));
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Sample images point at example hosts; keep the page off the network.
    await page.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => window.__templateResults !== undefined || window.__templateError !== undefined, null, { timeout: 60_000 });
    const error = await page.evaluate(() => window.__templateError);
    assert.equal(error, undefined, error);
    results = (await page.evaluate(() => window.__templateResults))!;
  });

  after(async function () {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('expands, validates and renders every catalog card', function () {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      results.filter((r) => r.name !== 'hostile').map((r) => r.name),
      cardCatalog.map((entry) => entry.name),
    );
    for (const result of results) {
      assert.deepEqual(result.errors, [], result.name);
      assert.ok(result.bytes > 0, result.name);
      assert.ok(result.renderedElements > 5, `${result.name}: ${result.renderedElements} elements`);
    }
    const contact = results.find((r) => r.name === 'contact-card')!;
    assert.match(contact.text, /Lidia Holloway/);
  });

  it('draws hostile text as text: no script runs, no element is injected', async function () {
    const hostile = results.find((r) => r.name === 'hostile')!;
    assert.equal(hostile.scripts, 0);
    assert.match(hostile.text, /<script>window\.__pwned = true<\/script>\$\{\$root\.messageId\}/);
    assert.match(hostile.text, /<img src=x onerror="window\.__pwned = true">/);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned), undefined);
    assert.equal(await page.locator('section[data-card="hostile"] img').count(), 0);
  });
});
