// `npm start`: installs dependencies and builds the tabs if missing or stale, then runs the local suite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, mkdirSync } from 'node:fs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const lockInstalled = 'node_modules/.package-lock.json';
if (!existsSync(lockInstalled) || statSync('package-lock.json').mtimeMs > statSync(lockInstalled).mtimeMs) {
  console.log('installing dependencies (npm ci)…');
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const build = spawnSync(process.execPath, ['scripts/build-tabs.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
mkdirSync('.devdata', { recursive: true });

// the dev host owns every child process; it stops them all on Ctrl-C
const host = spawn(process.execPath, ['--import', 'tsx', 'devtools/src/dev-host/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => host.kill(signal));
host.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
