// Builds each app's tab with Vite unless its dist is newer than every source it is built from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const apps = ['communicator', 'contact', 'calendar', 'image', 'metaoffice'];
const force = process.argv.includes('--force');

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sharedSources = Math.max(newestMtime('core/tab'), newestMtime('templates/cards'));
for (const app of apps) {
  if (!existsSync(path.join(app, 'tab', 'vite.config.ts'))) continue;
  const built = path.join(app, 'dist', 'tab', 'index.html');
  const stale = force || !existsSync(built) || statSync(built).mtimeMs < Math.max(sharedSources, newestMtime(path.join(app, 'tab')));
  if (!stale) { console.log(`${app}: tab is up to date`); continue; }
  console.log(`${app}: building tab`);
  const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vite', 'build', '--config', path.join(app, 'tab', 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
