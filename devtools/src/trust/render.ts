import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GraphScope, TrustDeclaration } from '@teamspro/core/trust/declaration';
import type { SuiteApp } from '../suite.js';
import type { TeamsManifest } from '../packaging/manifest.js';
import { repoRoot } from '../packaging/paths.js';
import { collectDependencies, type Dependency } from './dependencies.js';

export type TrustInputs = {
  app: SuiteApp;
  declaration: TrustDeclaration;
  /** The manifest template as committed (placeholders unresolved). */
  manifest: TeamsManifest;
  server: Dependency[];
  client: Dependency[];
};

/** Where each side's code lives: the roots the dependency scan starts from. */
export function dependencyRoots(app: SuiteApp, root = repoRoot): { server: string[]; client: string[] } {
  return {
    server: [path.join(root, app.id, 'src'), path.join(root, 'core', 'src'), path.join(root, 'templates', 'src')],
    client: [path.join(root, app.id, 'tab'), path.join(root, 'core', 'tab')],
  };
}

export async function loadDeclaration(app: SuiteApp, root = repoRoot): Promise<TrustDeclaration> {
  const file = path.join(root, app.id, 'src', 'trust.ts');
  if (!existsSync(file)) throw new Error(`${app.id}/src/trust.ts does not exist: each app declares its data and Graph scopes there`);
  const mod = (await import(pathToFileURL(file).href)) as { trust?: TrustDeclaration };
  if (!mod.trust) throw new Error(`${app.id}/src/trust.ts does not export \`trust\``);
  return mod.trust;
}

export function loadManifestTemplate(app: SuiteApp, root = repoRoot): TeamsManifest {
  return JSON.parse(readFileSync(path.join(root, app.id, 'appPackage', 'manifest.json'), 'utf8')) as TeamsManifest;
}

/** Everything a trust page is generated from, for one app. Problems (missing packages, bad imports) throw. */
export async function gatherTrustInputs(app: SuiteApp, root = repoRoot): Promise<TrustInputs> {
  const declaration = await loadDeclaration(app, root);
  const manifest = loadManifestTemplate(app, root);
  const roots = dependencyRoots(app, root);
  const server = collectDependencies(roots.server, { root });
  const client = collectDependencies(roots.client, { root });
  const problems = [...server.problems, ...client.problems];
  if (problems.length) throw new Error(`${app.id}: ${problems.join('; ')}`);
  return { app, declaration, manifest, server: server.dependencies, client: client.dependencies };
}

/** Resource-specific consent permissions the manifest asks for. */
export function rscPermissions(manifest: TeamsManifest): { name: string; type: string }[] {
  return [...(manifest.authorization?.permissions?.resourceSpecific ?? [])].sort((a, b) => a.name.localeCompare(b.name));
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
const mark = (b: boolean) => (b ? '✔' : '🚫');
/** A table cell: no pipes or line breaks inside. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').trim();

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** A URL inside the app's own host, shown without the placeholder (`/tab/index.html#/config`). */
const appPath = (url: string | undefined) => (url ?? '').replace(/^\$\{\{TAB_ENDPOINT\}\}/, '') || '/';
const list = (xs: readonly string[] | undefined) => (xs && xs.length ? xs.join(', ') : '—');

function surfaces(m: TeamsManifest): string[][] {
  const rows: string[][] = [];
  for (const t of m.staticTabs ?? []) {
    if (t.entityId === 'conversations' || t.entityId === 'about') continue;
    rows.push([`Personal tab "${t.name ?? t.entityId}"`, list(t.scopes), `Page \`${appPath(t.contentUrl)}\` of the app's host.`]);
  }
  for (const t of m.configurableTabs ?? []) {
    rows.push(['Configurable tab', list(t.scopes), `Set up on \`${appPath(t.configurationUrl)}\`; contexts: ${list(t.context)}.`]);
  }
  for (const b of m.bots ?? []) {
    const commands = [...new Set((b.commandLists ?? []).flatMap((c) => c.commands.map((x) => x.title)))];
    rows.push(['Bot', list(b.scopes), `${b.isNotificationOnly ? 'Notification only. ' : ''}Commands: ${list(commands)}. Messaging endpoint \`/api/messages\`.`]);
  }
  for (const ce of m.composeExtensions ?? []) {
    for (const c of ce.commands ?? []) {
      rows.push([`Message extension (${c.type ?? 'query'})`, list(c.context ?? ['compose', 'commandBox']), `\`${c.id}\`: ${c.description ?? c.title ?? ''}`]);
    }
  }
  for (const a of m.activities?.activityTypes ?? []) {
    rows.push(['Activity feed notification', '—', `\`${a.type}\`: ${a.description} ("${a.templateText}")`]);
  }
  return rows;
}

function depTable(deps: Dependency[], none: string): string {
  if (!deps.length) return none;
  return table(['Name', 'Version', 'Url', 'License'], [...deps].sort((a, b) => a.name.localeCompare(b.name)).map((d) => [d.name, d.version, d.url, d.license]));
}

/**
 * Renders <app>/TRUST.md in the form of the vendor trust pages: data management table, Microsoft Graph
 * scopes, Entra app, Teams surfaces, resource endpoints, client and server dependencies.
 * Deterministic: same inputs, same bytes (sorted dependencies, no dates).
 */
export function renderTrustPage(inputs: TrustInputs): string {
  const { declaration: d, manifest: m } = inputs;
  const name = d.appName;
  const rsc = rscPermissions(m);
  const rscNames = new Set(rsc.map((p) => p.name));
  const byScope = new Map<string, GraphScope>(d.graphScopes.map((s) => [s.scope, s]));
  const missingRsc = rsc.filter((p) => !byScope.has(p.name)).map((p) => p.name);
  if (missingRsc.length) {
    throw new Error(`${inputs.app.id}: the manifest asks for ${missingRsc.join(', ')}, which src/trust.ts does not declare in graphScopes`);
  }
  const graph = d.graphScopes.filter((s) => !rscNames.has(s.scope) && !s.application);
  const application = d.graphScopes.filter((s) => s.application);
  const categories = d.data.filter((r) => r.accessed || r.stored).map((r) => r.data);
  const wai = m.webApplicationInfo;
  const out: string[] = [];

  out.push(`# ${name}`, '');
  out.push(`We understand that our customers need to be confident using ${name}, and be aware of our data collection practices.`, '');
  out.push(d.summary, '');
  out.push('> **Note**', `> This page is generated from ${name}'s code by \`npm run trust\`: the data and permissions it declares (\`${inputs.app.id}/src/trust.ts\`), its Microsoft Teams app manifest and the packages its code imports. A test fails when the page and the code disagree.`, '');

  out.push('# Data Management Practices', '');
  out.push(`Through the implementation of its different features, ${name} accesses, processes and stores these kinds of data:`, '');
  out.push(...categories.map((c) => `- ${c}`), '');
  out.push('Here is how we manage data for each category:', '');
  out.push(table(['Data', 'Accessed', 'Cached', 'Stored', 'Notes'], d.data.map((r) => [r.data, mark(r.accessed), mark(r.cached), mark(r.stored), r.notes])), '');

  out.push('# Microsoft Graph', '');
  out.push(`Delegated permissions ${name} requests when a user signs in:`, '');
  out.push(table(['Scope', 'Description', 'Justification', 'Admin Consent Required'], graph.map((s) => [s.scope, s.description, s.justification, yesNo(s.adminConsent)])), '');
  if (application.length) {
    out.push('## Application permissions', '');
    out.push(`Permissions ${name} uses as itself, without a signed-in user; an administrator grants them to the app's identity, and the features that need them stay off until then.`, '');
    out.push(table(['Permission', 'Description', 'Justification', 'Admin Consent Required'], application.map((s) => [s.scope, s.description, s.justification, yesNo(s.adminConsent)])), '');
  }
  if (rsc.length) {
    out.push('## Resource-specific consent', '');
    out.push(`Permissions the app package asks for on the team, chat or user where ${name} is installed; whoever installs the app grants them for that resource only.`, '');
    out.push(table(['Permission', 'Type', 'Description', 'Justification', 'Admin Consent Required'], rsc.map((p) => {
      const s = byScope.get(p.name)!;
      return [p.name, p.type, s.description, s.justification, yesNo(s.adminConsent)];
    })), '');
  }
  out.push('> **TIP**');
  if (wai) {
    out.push(`> The Microsoft Entra app ID is the app package's \`webApplicationInfo.id\`, \`${wai.id}\`: provisioning (\`teamsapp provision\`) creates the app registration, so each deployment has its own ID, shown in the Teams admin center. Its Application ID URI is \`${wai.resource ?? '—'}\`.`, '');
  } else {
    out.push(`> ${name} has no Microsoft Entra app (no \`webApplicationInfo\` in its manifest).`, '');
  }

  out.push('# Microsoft Teams surfaces', '');
  out.push(`What the app package (manifest ${m.manifestVersion}) adds to Microsoft Teams. Manifest permissions: ${list(m.permissions)}.`, '');
  out.push(table(['Surface', 'Scopes', 'Details'], surfaces(m)), '');

  out.push('# Resource Endpoints', '');
  out.push(`All the traffic from and to ${name} uses HTTPS on port 443. Here is a short description of each flow:`, '');
  out.push(table(['Name', 'Comments'], d.endpoints.map((e) => [e.name, e.comments])), '');

  out.push('# Dependencies', '');
  out.push('The npm packages the code imports, with the versions installed: server from the app\'s `src/` with `core/src` and `templates/src`; client from the app\'s `tab/` with `core/tab` (workspace packages followed through; Node.js built-ins left out).', '');
  out.push('## Client', '');
  out.push(depTable(inputs.client, 'No client dependencies yet.'), '');
  out.push('## Server', '');
  out.push(depTable(inputs.server, 'No server dependencies yet.'), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function trustPagePath(app: SuiteApp, root = repoRoot): string {
  return path.join(root, app.id, 'TRUST.md');
}

/** Renders an app's page from its current code. */
export async function buildTrustPage(app: SuiteApp, root = repoRoot): Promise<string> {
  return renderTrustPage(await gatherTrustInputs(app, root));
}
