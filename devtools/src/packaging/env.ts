import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SuiteApp } from '../suite.js';
import { repoRoot } from './paths.js';

/** Where a value came from, so an error can point at the file to edit. */
export type EnvSource = { file?: string; kind: 'file' | 'process' | 'local-default' };

export type LoadedEnv = {
  env: string;
  /** Non-empty values only: an empty `KEY=` line counts as missing. */
  values: Record<string, string>;
  sources: Record<string, EnvSource>;
  /** The committed env file for this environment (it may not exist, e.g. the gitignored `.env.local`). */
  envFile: string;
  /** Files actually read, in order of precedence (lowest first). */
  filesRead: string[];
};

/** Parses the `KEY=value` format Teams Toolkit uses for env/.env.* files (comments, quotes, `export`). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[key] = value;
  }
  return out;
}

/**
 * A stable, name-based UUID (RFC 4122 version 5 layout) derived with SHA-1 from the app id and the
 * variable name, so `local` packages get the same ids on every machine and every run.
 */
export function stableUuid(...parts: string[]): string {
  const bytes = createHash('sha1').update(['teamspro', ...parts].join('/')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Values `local` falls back on when neither the env files nor the process give one.
 * The app server serves the bot, the tab API and the built tab on one port, so tab and bot share a host.
 * The 1.29 schema accepts http:// for every URL this suite's manifests use (developer URLs, tab URLs);
 * Teams itself loads tabs only over https, so sideloading into real Teams goes through
 * teamsapp.local.yml, whose dev tunnel writes https values into env/.env.local and wins over these.
 */
export function localDefaults(app: SuiteApp): Record<string, string> {
  const host = `localhost:${app.port}`;
  return {
    TEAMSFX_ENV: 'local',
    APP_NAME_SUFFIX: 'local',
    TEAMS_APP_ID: stableUuid(app.id, 'TEAMS_APP_ID'),
    BOT_ID: stableUuid(app.id, 'BOT_ID'),
    AAD_APP_CLIENT_ID: stableUuid(app.id, 'AAD_APP_CLIENT_ID'),
    TAB_DOMAIN: host,
    TAB_ENDPOINT: `http://${host}`,
    BOT_DOMAIN: host,
    BOT_ENDPOINT: `http://${host}`,
  };
}

export type LoadEnvOptions = {
  root?: string;
  /** Defaults to process.env; tests pass {} to stay hermetic. */
  processEnv?: Record<string, string | undefined>;
};

/**
 * Reads `<app>/env/.env.<env>` then `<app>/env/.env.<env>.user`, then the process environment
 * (later sources win, empty values never override). For `local`, whatever is still missing
 * comes from {@link localDefaults}.
 */
export function loadEnv(app: SuiteApp, env: string, opts: LoadEnvOptions = {}): LoadedEnv {
  if (!/^[A-Za-z0-9_-]+$/.test(env)) throw new Error(`invalid environment name "${env}"`);
  const root = opts.root ?? repoRoot;
  const processEnv = opts.processEnv ?? process.env;
  const envDir = path.join(root, app.id, 'env');
  const envFile = path.join(envDir, `.env.${env}`);
  const values: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const filesRead: string[] = [];

  for (const file of [envFile, `${envFile}.user`]) {
    if (!existsSync(file)) continue;
    filesRead.push(file);
    for (const [k, v] of Object.entries(parseDotenv(readFileSync(file, 'utf8')))) {
      if (v === '') continue;
      values[k] = v;
      sources[k] = { kind: 'file', file };
    }
  }
  for (const [k, v] of Object.entries(processEnv)) {
    if (v === undefined || v === '') continue;
    values[k] = v;
    sources[k] = { kind: 'process' };
  }
  if (env === 'local') {
    for (const [k, v] of Object.entries(localDefaults(app))) {
      if (values[k] !== undefined) continue;
      values[k] = v;
      sources[k] = { kind: 'local-default' };
    }
  }
  return { env, values, sources, envFile, filesRead };
}
