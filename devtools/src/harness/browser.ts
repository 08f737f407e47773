import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/**
 * Headless Chromium for tab tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH), with everything that
 * would reach the network on its own switched off. Callers close the browser (`await browser.close()`).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-default-apps',
      '--disable-extensions',
      '--metrics-recording-only',
      '--no-default-browser-check',
    ],
  });
}

/**
 * Runs axe-core on the page (WCAG 2.x A/AA and best practices) and returns one readable line per
 * serious or critical violation: rule, impact, help text and the offending elements.
 * An empty list means the page passed.
 */
export async function seriousAxeViolations(page: Page, opts: { include?: string; disableRules?: string[] } = {}): Promise<string[]> {
  // judge the page at rest: a pointer left over a button (from the last click) shows its hover colours,
  // which the colour-contrast rule would then measure instead of the control's normal state
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  if (opts.include) builder = builder.include(opts.include);
  if (opts.disableRules?.length) builder = builder.disableRules(opts.disableRules);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => `    - ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ').trim() ?? ''}`);
      const more = v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : [];
      return [`${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`, ...nodes, ...more].join('\n');
    });
}

/** Saves a PNG of the viewport to `file` (directories created), returning the absolute path. */
export async function screenshot(page: Page, file: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  const absolute = path.resolve(file);
  await mkdir(path.dirname(absolute), { recursive: true });
  await page.screenshot({ path: absolute, fullPage: opts.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return absolute;
}
