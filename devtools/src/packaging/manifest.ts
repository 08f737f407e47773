import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import type { LoadedEnv } from './env.js';
import { manifestSchemaPath, rel } from './paths.js';

/** The parts of a Teams app manifest (v1.29) that the suite's tools read. Everything else passes through. */
export type TeamsManifest = {
  $schema?: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer?: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full?: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string; color32x32?: string };
  accentColor: string;
  staticTabs?: { entityId: string; name?: string; contentUrl?: string; websiteUrl?: string; scopes: string[]; context?: string[] }[];
  configurableTabs?: { configurationUrl: string; canUpdateConfiguration?: boolean; scopes: string[]; context?: string[] }[];
  bots?: { botId: string; scopes: string[]; commandLists?: { scopes: string[]; commands: { title: string; description?: string }[] }[]; isNotificationOnly?: boolean; supportsFiles?: boolean }[];
  composeExtensions?: { botId?: string; commands?: { id: string; type?: string; title?: string; description?: string; context?: string[] }[] }[];
  activities?: { activityTypes?: { type: string; description: string; templateText: string }[] };
  permissions?: string[];
  validDomains?: string[];
  webApplicationInfo?: { id: string; resource?: string };
  authorization?: { permissions?: { resourceSpecific?: { name: string; type: 'Application' | 'Delegated' }[] } };
  [key: string]: unknown;
};

export const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** The `${{NAME}}` placeholders a manifest template uses, sorted and unique. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

export type ResolvedManifest = { manifest?: TeamsManifest; text?: string; errors: string[] };

/**
 * Replaces every `${{NAME}}` in the manifest template with its value from the loaded environment.
 * A name without a value is an error that says which variable and which env file to fill in.
 */
export function resolveManifest(template: string, env: LoadedEnv): ResolvedManifest {
  const missing = placeholdersIn(template).filter((name) => env.values[name] === undefined);
  if (missing.length) {
    return {
      errors: missing.map((name) => `${name} is not set for env "${env.env}": set it in ${rel(env.envFile)} or the process environment (provisioning writes the generated ones)`),
    };
  }
  // Placeholders sit inside JSON strings, so each value is inserted JSON-escaped.
  const text = template.replace(PLACEHOLDER, (_m, name: string) => JSON.stringify(env.values[name]!).slice(1, -1));
  try {
    return { manifest: JSON.parse(text) as TeamsManifest, text, errors: [] };
  } catch (e) {
    return { errors: [`manifest.json is not valid JSON after substitution: ${(e as Error).message}`] };
  }
}

let compiled: ValidateFunction | undefined;

/** The official v1.29 schema (draft-04), compiled once, from the copy installed with @microsoft/app-manifest. */
export function manifestSchemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(manifestSchemaPath, 'utf8')) as Record<string, unknown>;
  const Ajv = AjvDraft04.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The only format the schema uses is "uri" (on $schema). ajv-formats is not a declared dependency,
  // so the format is checked here: an absolute URL with a scheme.
  ajv.addFormat('uri', (value: string) => {
    try {
      return Boolean(new URL(value).protocol);
    } catch {
      return false;
    }
  });
  compiled = ajv.compile(schema);
  return compiled;
}

function formatSchemaError(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  const extra = e.keyword === 'additionalProperties' ? ` ('${(e.params as { additionalProperty: string }).additionalProperty}')`
    : e.keyword === 'enum' ? ` (${((e.params as { allowedValues: unknown[] }).allowedValues).map(String).join(', ')})`
    : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

export type ValidateOptions = {
  /** Require https:// for every URL (all environments but `local`, which runs on http://localhost). */
  requireHttps?: boolean;
};

/** Every URL a Teams client opens from the manifest, with where it sits. */
function manifestUrls(m: TeamsManifest): { where: string; url: string }[] {
  const urls: { where: string; url: string }[] = [];
  if (m.developer) {
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) urls.push({ where: `/developer/${key}`, url: m.developer[key] });
  }
  m.staticTabs?.forEach((t, i) => {
    if (t.contentUrl) urls.push({ where: `/staticTabs/${i}/contentUrl`, url: t.contentUrl });
    if (t.websiteUrl) urls.push({ where: `/staticTabs/${i}/websiteUrl`, url: t.websiteUrl });
  });
  m.configurableTabs?.forEach((t, i) => urls.push({ where: `/configurableTabs/${i}/configurationUrl`, url: t.configurationUrl }));
  return urls.filter((u) => typeof u.url === 'string');
}

/** Does a host (with optional port) match a validDomains entry (which may start with `*.`)? */
function domainMatches(host: string, entry: string): boolean {
  const e = entry.toLowerCase();
  const h = host.toLowerCase();
  if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
  return h === e;
}

/**
 * Rules the JSON schema cannot express, as Teams Toolkit, the Developer Portal and the store check them.
 */
export function manifestRuleErrors(m: TeamsManifest, opts: ValidateOptions = {}): string[] {
  const errors: string[] = [];
  const text = JSON.stringify(m);
  for (const name of placeholdersIn(text)) errors.push(`placeholder \${{${name}}} is left unresolved`);

  if (typeof m.id === 'string' && !GUID.test(m.id)) errors.push(`/id must be a GUID, got "${m.id}"`);
  if (typeof m.name?.short === 'string') {
    if (!m.name.short.trim()) errors.push('/name/short must not be blank');
    if (m.name.short.length > 30) errors.push(`/name/short is ${m.name.short.length} characters; Teams allows 30`);
  }
  if (typeof m.name?.full === 'string' && m.name.full.length > 100) errors.push(`/name/full is ${m.name.full.length} characters; Teams allows 100`);
  if (m.description) {
    const { short, full } = m.description;
    if (typeof short === 'string' && !short.trim()) errors.push('/description/short must not be blank');
    if (typeof full === 'string' && !full.trim()) errors.push('/description/full must not be blank');
    if (typeof short === 'string' && short.length > 80) errors.push(`/description/short is ${short.length} characters; Teams allows 80`);
    if (typeof full === 'string' && full.length > 4000) errors.push(`/description/full is ${full.length} characters; Teams allows 4000`);
    if (typeof short === 'string' && typeof full === 'string' && short.trim() === full.trim()) errors.push('/description/full must say more than /description/short');
  }

  // Bot ids: GUIDs, and every message extension points at the app's own bot.
  const botIds = new Set((m.bots ?? []).map((b) => b.botId));
  m.bots?.forEach((b, i) => { if (!GUID.test(b.botId)) errors.push(`/bots/${i}/botId must be a GUID, got "${b.botId}"`); });
  m.composeExtensions?.forEach((ce, i) => {
    if (ce.botId === undefined) return;
    if (!GUID.test(ce.botId)) errors.push(`/composeExtensions/${i}/botId must be a GUID, got "${ce.botId}"`);
    if (!botIds.has(ce.botId)) errors.push(`/composeExtensions/${i}/botId (${ce.botId}) does not match /bots/*/botId (${[...botIds].join(', ') || 'no bot'})`);
  });

  // Single sign-on: the resource must name the same Entra app.
  const wai = m.webApplicationInfo;
  if (wai) {
    if (!GUID.test(wai.id)) errors.push(`/webApplicationInfo/id must be a GUID, got "${wai.id}"`);
    if (wai.resource && !wai.resource.endsWith(`/${wai.id}`)) errors.push(`/webApplicationInfo/resource (${wai.resource}) must end with /webApplicationInfo/id`);
    if (wai.resource && !/^api:\/\/[^/]+\//.test(wai.resource)) errors.push(`/webApplicationInfo/resource (${wai.resource}) must look like api://<domain>/<client id>`);
  }

  // validDomains are host names (optionally with a port or a leading *.), never URLs.
  const domains = m.validDomains ?? [];
  domains.forEach((d, i) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d)) errors.push(`/validDomains/${i} (${d}) must be a domain without a scheme`);
    else if (d.includes('/')) errors.push(`/validDomains/${i} (${d}) must be a domain without a path`);
    else if (d === '*' || /^\*\.[^.]+$/.test(d)) errors.push(`/validDomains/${i} (${d}) is too broad`);
  });

  for (const { where, url } of manifestUrls(m)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      errors.push(`${where} (${url}) is not a valid URL`);
      continue;
    }
    if (opts.requireHttps && parsed.protocol !== 'https:') errors.push(`${where} (${url}) must use https://`);
    // Tabs only load pages from domains the manifest lists.
    if (!where.startsWith('/developer') && !domains.some((d) => domainMatches(parsed.host, d))) {
      errors.push(`${where} (${url}) is on ${parsed.host}, which /validDomains does not list`);
    }
  }

  const entityIds = (m.staticTabs ?? []).map((t) => t.entityId);
  for (const dup of entityIds.filter((id, i) => entityIds.indexOf(id) !== i)) errors.push(`/staticTabs entityId "${dup}" is used twice`);
  const activityTypes = (m.activities?.activityTypes ?? []).map((a) => a.type);
  for (const dup of activityTypes.filter((t, i) => activityTypes.indexOf(t) !== i)) errors.push(`/activities/activityTypes type "${dup}" is used twice`);
  if (activityTypes.length && !wai) errors.push('/activities needs /webApplicationInfo: Graph sends activity notifications for the Entra app named there');

  return errors;
}

/**
 * Validates a resolved manifest against the official v1.29 schema (offline) and the extra rules.
 * Returns the problems as readable lines; an empty list means valid.
 */
export function validateManifest(manifest: unknown, opts: ValidateOptions = {}): string[] {
  const validate = manifestSchemaValidator();
  const errors: string[] = [];
  if (!validate(manifest)) errors.push(...(validate.errors ?? []).map(formatSchemaError));
  if (manifest && typeof manifest === 'object') {
    try {
      errors.push(...manifestRuleErrors(manifest as TeamsManifest, opts));
    } catch {
      // A manifest too malformed for the extra rules already fails the schema, which says why.
    }
  }
  return [...new Set(errors)];
}
