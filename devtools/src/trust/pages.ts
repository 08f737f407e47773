import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { suiteApps, type SuiteApp } from '../suite.js';
import { repoRoot } from '../packaging/paths.js';
import { buildTrustPage, trustPagePath } from './render.js';

export type TrustStatus = { app: SuiteApp['id']; file: string; status: 'current' | 'stale' | 'missing' | 'written' | 'error'; error?: string };

/** Compares each app's committed TRUST.md with the page its code renders now. Writes nothing. */
export async function checkTrustPages(apps: SuiteApp[] = suiteApps, root = repoRoot): Promise<TrustStatus[]> {
  const out: TrustStatus[] = [];
  for (const app of apps) {
    const file = trustPagePath(app, root);
    try {
      const page = await buildTrustPage(app, root);
      const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      out.push({ app: app.id, file, status: current === undefined ? 'missing' : current === page ? 'current' : 'stale' });
    } catch (e) {
      out.push({ app: app.id, file, status: 'error', error: (e as Error).message });
    }
  }
  return out;
}

/** Writes each app's TRUST.md (only when its content changes). */
export async function writeTrustPages(apps: SuiteApp[] = suiteApps, root = repoRoot): Promise<TrustStatus[]> {
  const out: TrustStatus[] = [];
  for (const app of apps) {
    const file = trustPagePath(app, root);
    try {
      const page = await buildTrustPage(app, root);
      const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (current === page) {
        out.push({ app: app.id, file, status: 'current' });
      } else {
        writeFileSync(file, page);
        out.push({ app: app.id, file, status: 'written' });
      }
    } catch (e) {
      out.push({ app: app.id, file, status: 'error', error: (e as Error).message });
    }
  }
  return out;
}
