// The author tab in headless Chromium: building it, signed-in pages, axe and screenshots for communicator/docs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousAxeViolations } from '../../../devtools/src/harness/browser.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const docs = path.join(root, 'communicator', 'docs');
export const desktop = { width: 1280, height: 800 };

/**
 * Builds the tabs (Vite) unless they are up to date. Another build running at the same moment can make
 * Vite fail on a file the other one just removed, so a failed build is tried again before giving up.
 */
export function buildTabs(): void {
  let last = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const build = spawnSync(process.execPath, ['scripts/build-tabs.mjs'], { cwd: root, encoding: 'utf8' });
    if (build.status === 0) return;
    last = `${build.stdout}\n${build.stderr}`;
  }
  assert.fail(`building the tabs failed:\n${last}`);
}

export type TabOptions = { theme?: 'default' | 'dark'; lang?: string; context?: BrowserContextOptions };

/** One Chromium for a test file; each open() is a new signed-in context (its own storage, so its own user). */
export class TabBrowser {
  private readonly contexts: BrowserContext[] = [];
  private constructor(private readonly browser: Browser, private readonly baseUrl: string) {}

  static async launch(serverUrl: string): Promise<TabBrowser> {
    return new TabBrowser(await launchChromium(), serverUrl);
  }

  /** A page signed in as `user` (a seed UPN) at `hash` (e.g. "#/topics"), with uncaught errors recorded. */
  async open(user: string, hash = '', opts: TabOptions = {}): Promise<{ page: Page; pageErrors: string[] }> {
    const context = await this.browser.newContext({ viewport: desktop, locale: 'en-US', acceptDownloads: true, ...opts.context });
    this.contexts.push(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const query = new URLSearchParams({ login_hint: user, ...(opts.theme && { theme: opts.theme }), ...(opts.lang && { lang: opts.lang }) });
    // a busy machine, or another test rebuilding dist/tab at that moment, can make the first load miss: one more try
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(`${this.baseUrl}/tab/?${query}${hash}`);
        await page.getByTestId('signed-in-user').waitFor({ timeout: 45_000 }); // back from the identity provider, signed in
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
        pageErrors.length = 0;
      }
    }
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, pageErrors };
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
    await this.browser.close();
  }
}

/** Fails with every serious or critical axe violation on the page. */
export async function noSeriousAxe(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `${where}:\n${violations.join('\n')}`);
}

/** Saves communicator/docs/<name>.png of the viewport: from the top, or with `at` scrolled to the top of it. */
export async function shoot(page: Page, name: string, at?: Locator): Promise<string> {
  if (at) await at.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, path.join(docs, `${name}.png`));
}

/** A locator's visible text, whitespace collapsed. */
export async function text(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}
