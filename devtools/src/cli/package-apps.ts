/**
 * `npm run package [-- --env <name>] [--app <id>]`: validates each app's manifest offline against the
 * v1.29 schema and the Teams rules, checks the icons, and writes <app>/appPackage/build/appPackage.<env>.zip.
 * One line per app; exits 1 with the reasons when any app fails.
 */
import { parseArgs } from 'node:util';
import { suiteApps } from '../suite.js';
import { buildPackage } from '../packaging/package.js';
import { rel } from '../packaging/paths.js';

const usage = 'usage: npm run package -- [--env <name>] [--app <id>]   (env defaults to "local")';

async function main(): Promise<number> {
  let values: { env?: string; app?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { env: { type: 'string', short: 'e' }, app: { type: 'string', short: 'a' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const env = values.env ?? 'local';
  const apps = values.app ? suiteApps.filter((a) => a.id === values.app) : suiteApps;
  if (!apps.length) {
    console.error(`unknown app "${values.app}"; one of: ${suiteApps.map((a) => a.id).join(', ')}`);
    return 2;
  }
  const width = Math.max(...apps.map((a) => a.id.length));
  let failed = 0;
  for (const app of apps) {
    const result = await buildPackage(app, { env });
    if (result.ok) {
      console.log(`ok    ${app.id.padEnd(width)}  ${env}  ${rel(result.zipPath!)}`);
    } else {
      failed++;
      console.log(`FAIL  ${app.id.padEnd(width)}  ${env}  ${result.errors.length} problem(s)`);
      for (const error of result.errors) console.log(`        - ${error}`);
    }
  }
  if (failed) console.error(`\n${failed} of ${apps.length} app package(s) failed for env "${env}".`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
