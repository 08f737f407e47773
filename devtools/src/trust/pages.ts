import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { suiteApps, type SuiteApp } from '../suite.js';
import { repoRoot } from '../packaging/paths.js';
import { buildTrustPage, trustPagePath } from './render.js';

export type TrustStatus = { app: SuiteApp['id']; file: string; status: 'current' | 'stale' | 'missing' | 'written' | 'error'; error?: string };

/** Renders each app's page and compares it with its TRUST.md; with `write`, replaces pages that differ. */
async function syncTrustPages(apps: SuiteApp[], root: string, write: boolean): Promise<TrustStatus[]> {
  const out: TrustStatus[] = [];
  for (const app of apps) {
    const file = trustPagePath(app, root);
    try {
      const page = await buildTrustPage(app, root);
      const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (current === page) out.push({ app: app.id, file, status: 'current' });
      else if (write) {
        writeFileSync(file, page);
        out.push({ app: app.id, file, status: 'written' });
      } else out.push({ app: app.id, file, status: current === undefined ? 'missing' : 'stale' });
    } catch (e) {
      out.push({ app: app.id, file, status: 'error', error: (e as Error).message });
    }
  }
  return out;
}

/** Compares each app's committed TRUST.md with the page its code renders now. Writes nothing. */
export const checkTrustPages = (apps: SuiteApp[] = suiteApps, root = repoRoot) => syncTrustPages(apps, root, false);

/** Writes each app's TRUST.md (only when its content changes). */
export const writeTrustPages = (apps: SuiteApp[] = suiteApps, root = repoRoot) => syncTrustPages(apps, root, true);
