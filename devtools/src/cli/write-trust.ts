/**
 * `npm run trust`: writes each app's TRUST.md from its src/trust.ts, its manifest and the packages its
 * code imports. `npm run trust -- --check` writes nothing and exits 1 listing the apps whose page is stale.
 * `--app <id>` limits either to one app.
 */
import { parseArgs } from 'node:util';
import { suiteApps } from '../suite.js';
import { rel } from '../packaging/paths.js';
import { checkTrustPages, writeTrustPages } from '../trust/pages.js';

async function main(): Promise<number> {
  let values: { check?: boolean; app?: string };
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean' }, app: { type: 'string' } } }));
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run trust -- [--check] [--app <id>]`);
    return 2;
  }
  const apps = values.app ? suiteApps.filter((a) => a.id === values.app) : suiteApps;
  if (!apps.length) {
    console.error(`unknown app "${values.app}"; one of: ${suiteApps.map((a) => a.id).join(', ')}`);
    return 2;
  }
  const results = values.check ? await checkTrustPages(apps) : await writeTrustPages(apps);
  for (const r of results) console.log(`${r.status.padEnd(8)} ${rel(r.file)}${r.error ? `: ${r.error}` : ''}`);
  const errors = results.filter((r) => r.status === 'error');
  const stale = results.filter((r) => r.status === 'stale' || r.status === 'missing');
  if (values.check && stale.length) {
    console.error(`\nStale trust page(s): ${stale.map((r) => r.app).join(', ')}. Run \`npm run trust\` and commit the result.`);
  }
  return errors.length || (values.check && stale.length) ? 1 : 0;
}

process.exitCode = await main();
