/**
 * Helpers for the "Debug in Teams (Edge|Chrome) (<App>)" launch configurations (.vscode/tasks.json).
 *
 *   npx tsx devtools/src/cli/teams-local.ts tunnel --app <id>
 *     Hosts a dev tunnel on the app's port (the `devtunnel` CLI, signed in with `devtunnel user login`),
 *     writes BOT_ENDPOINT / BOT_DOMAIN into <app>/env/.env.local (what the toolkit's dev-tunnel task does
 *     for a single-project workspace), prints "Tunnel ready: <url>" and keeps the tunnel up.
 *
 *   npx tsx devtools/src/cli/teams-local.ts launch-page --app <id>
 *     After `teamsapp provision --env local`, writes <app>/appPackage/build/launch-teams.local.html, a page
 *     that opens Teams on the app's sideload link (TEAMS_APP_ID from env/.env.local). The browser launch
 *     configurations open that file, because VS Code cannot read an env file into a launch URL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { suiteApps, type SuiteApp } from '../suite.js';
import { parseDotenv } from '../packaging/env.js';
import { repoRoot, rel } from '../packaging/paths.js';

/** Sets keys in a dotenv file, keeping every other line (and its comments) as it was. */
export function upsertDotenv(text: string, updates: Record<string, string>): string {
  const lines = text ? text.replace(/\n$/, '').split('\n') : [];
  const pending = new Map(Object.entries(updates));
  const out = lines.map((line) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (m && pending.has(m[1]!)) {
      const value = pending.get(m[1]!)!;
      pending.delete(m[1]!);
      return `${m[1]}=${value}`;
    }
    return line;
  });
  for (const [k, v] of pending) out.push(`${k}=${v}`);
  return `${out.join('\n')}\n`;
}

/** The public URL devtunnel prints for the forwarded port (not the "-inspect" one). */
export function tunnelUrlFrom(output: string): string | undefined {
  const urls = output.match(/https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.devtunnels\.ms\b/gi) ?? [];
  return urls.find((u) => !/-inspect\./i.test(u));
}

function localEnvFile(app: SuiteApp): string {
  return path.join(repoRoot, app.id, 'env', '.env.local');
}

function writeLocalEnv(app: SuiteApp, updates: Record<string, string>): void {
  const file = localEnvFile(app);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Written by devtools/src/cli/teams-local.ts and Teams Toolkit (gitignored).\n';
  const base: Record<string, string> = {};
  const existing = parseDotenv(current);
  if (!existing.TEAMSFX_ENV) base.TEAMSFX_ENV = 'local';
  if (!existing.APP_NAME_SUFFIX) base.APP_NAME_SUFFIX = 'local';
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, upsertDotenv(current, { ...base, ...updates }));
}

async function tunnel(app: SuiteApp): Promise<number> {
  const child = spawn('devtunnel', ['host', '-p', String(app.port), '--allow-anonymous'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  let ready = false;
  const onData = (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (ready) return;
    seen += chunk.toString();
    const url = tunnelUrlFrom(seen);
    if (!url) return;
    ready = true;
    writeLocalEnv(app, { BOT_ENDPOINT: url, BOT_DOMAIN: new URL(url).host });
    console.log(`Tunnel ready: ${url} -> http://localhost:${app.port} (written to ${rel(localEnvFile(app))})`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`could not start devtunnel (${e.message}). Install the Dev Tunnels CLI and run \`devtunnel user login\` once.`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  });
}

function launchPage(app: SuiteApp): number {
  const file = localEnvFile(app);
  const env = existsSync(file) ? parseDotenv(readFileSync(file, 'utf8')) : {};
  const teamsAppId = env.TEAMS_APP_ID;
  if (!teamsAppId) {
    console.error(`TEAMS_APP_ID is not set in ${rel(file)}: run \`teamsapp provision --env local --folder ./${app.id}\` first.`);
    return 1;
  }
  const url = `https://teams.microsoft.com/l/app/${encodeURIComponent(teamsAppId)}?installAppPackage=true&webjoin=true`;
  const out = path.join(repoRoot, app.id, 'appPackage', 'build', 'launch-teams.local.html');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${app.displayName} in Microsoft Teams</title>
<meta http-equiv="refresh" content="0; url=${url}"></head>
<body><p>Opening <a href="${url}">${app.displayName} in Microsoft Teams</a>…</p></body></html>
`);
  console.log(`Teams launch page ready: ${rel(out)} -> ${url}`);
  return 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { app: { type: 'string' } }, allowPositionals: true });
  const app = suiteApps.find((a) => a.id === values.app);
  const command = positionals[0];
  if (!app || (command !== 'tunnel' && command !== 'launch-page')) {
    console.error(`usage: teams-local.ts <tunnel|launch-page> --app <${suiteApps.map((a) => a.id).join('|')}>`);
    return 2;
  }
  return command === 'tunnel' ? tunnel(app) : launchPage(app);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('cli', 'teams-local.ts'));
if (invokedDirectly) process.exitCode = await main();
