import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suiteApps } from '../src/suite.js';
import { repoRoot } from '../src/packaging/paths.js';
import {
  collectDependencies,
  collectImports,
  dependencyRoots,
  findInstalledPackage,
  gatherTrustInputs,
  packageNameOf,
  renderTrustPage,
  rscPermissions,
  scanImports,
  trustPagePath,
  type TrustInputs,
} from '../src/trust/index.js';

/** The rows of the markdown table that follows a heading, as arrays of trimmed cells. */
function tableAfter(page: string, heading: string): string[][] {
  const start = page.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the page has a "${heading}" section`);
  const rest = page.slice(start + heading.length + 2);
  const lines = rest.split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  if (first === -1 || lines.slice(0, first).some((l) => l.startsWith('#'))) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}

describe('Trust pages', () => {
  for (const app of suiteApps) {
    describe(app.displayName, () => {
      let inputs: TrustInputs;
      let page: string;
      before(async () => {
        inputs = await gatherTrustInputs(app);
        page = renderTrustPage(inputs);
      });

      it('committed TRUST.md is what the code renders', () => {
        const file = trustPagePath(app);
        assert.ok(existsSync(file), `${app.id}/TRUST.md is missing: run \`npm run trust\``);
        const committed = readFileSync(file, 'utf8');
        assert.ok(committed === page, `${app.id}/TRUST.md is stale: run \`npm run trust\` and commit the result`);
      });

      it('follows the vendor form: title, data table with ✔/🚫, Graph table, Entra app id, endpoints, dependencies', () => {
        assert.ok(page.startsWith(`# ${inputs.declaration.appName}\n`));
        for (const heading of ['# Data Management Practices', '# Microsoft Graph', '# Resource Endpoints', '# Dependencies', '## Client', '## Server']) {
          assert.ok(page.includes(`\n${heading}\n`), heading);
        }
        assert.ok(page.includes('| Data | Accessed | Cached | Stored | Notes |'));
        assert.ok(page.includes('| Scope | Description | Justification | Admin Consent Required |'));
        assert.ok(page.includes('> **TIP**') && page.includes('The Microsoft Entra app ID is'), 'Entra app id tip');
        const data = tableAfter(page, '# Data Management Practices');
        assert.deepEqual(data.map((r) => r[0]), inputs.declaration.data.map((d) => d.data));
        for (const [i, row] of data.entries()) {
          const d = inputs.declaration.data[i]!;
          assert.deepEqual(row.slice(1, 4), [d.accessed, d.cached, d.stored].map((b) => (b ? '✔' : '🚫')), d.data);
        }
        const endpoints = tableAfter(page, '# Resource Endpoints');
        assert.deepEqual(endpoints.map((r) => r[0]), inputs.declaration.endpoints.map((e) => e.name.replace(/\|/g, '\\|')));
        assert.ok(endpoints.some((r) => r[0]!.includes('graph.microsoft.com')), 'Microsoft Graph endpoint');
        assert.ok(endpoints.some((r) => r[0]!.includes('botframework.com')), 'Bot Framework endpoint');
        assert.ok(endpoints.some((r) => r[0]!.includes('core.windows.net')), 'Azure Storage endpoint');
        assert.ok(endpoints.some((r) => r[0]!.includes('applicationinsights')), 'Application Insights endpoint');
        assert.ok(!/\b20\d\d-\d\d-\d\d\b/.test(page), 'no dates: the page only changes when the code does');
      });

      it('lists every Graph scope the declaration and the manifest use, with its admin-consent flag', () => {
        const rsc = rscPermissions(inputs.manifest);
        const rscNames = new Set(rsc.map((p) => p.name));
        const graph = tableAfter(page, '# Microsoft Graph');
        const delegated = inputs.declaration.graphScopes.filter((s) => !rscNames.has(s.scope) && !s.application);
        assert.deepEqual(graph.map((r) => r[0]), delegated.map((s) => s.scope));
        const application = inputs.declaration.graphScopes.filter((s) => s.application);
        if (application.length) {
          const table = tableAfter(page, '## Application permissions');
          assert.deepEqual(table.map((r) => [r[0], r[3]]), application.map((s) => [s.scope, 'Yes']), 'application permissions always need admin consent');
        } else {
          assert.ok(!page.includes('## Application permissions'));
        }
        for (const s of delegated) {
          const row = graph.find((r) => r[0] === s.scope)!;
          assert.equal(row[3], s.adminConsent ? 'Yes' : 'No', s.scope);
        }
        for (const scope of ['User.Read', 'openid', 'profile', 'email', 'offline_access']) assert.ok(graph.some((r) => r[0] === scope), scope);
        if (rsc.length) {
          const table = tableAfter(page, '## Resource-specific consent');
          assert.deepEqual(table.map((r) => [r[0], r[1]]), rsc.map((p) => [p.name, p.type]));
        } else {
          assert.ok(!page.includes('## Resource-specific consent'));
        }
      });

      it('asks Entra for exactly the delegated Graph scopes it declares (infra/aad.manifest.json)', () => {
        const aad = JSON.parse(readFileSync(path.join(repoRoot, app.id, 'infra', 'aad.manifest.json'), 'utf8')) as {
          requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
          identifierUris: string[];
        };
        const graph = aad.requiredResourceAccess.filter((r) => r.resourceAppId === 'Microsoft Graph').flatMap((r) => r.resourceAccess);
        const rscNames = new Set(rscPermissions(inputs.manifest).map((p) => p.name));
        const declared = inputs.declaration.graphScopes.filter((s) => !s.application).map((s) => s.scope).filter((s) => !rscNames.has(s));
        assert.deepEqual(graph.map((a) => a.id).sort(), [...declared].sort());
        assert.ok(graph.every((a) => a.type === 'Scope'), 'delegated permissions only');
        assert.deepEqual(aad.identifierUris, [inputs.manifest.webApplicationInfo!.resource]);
      });

      it('lists exactly the dependencies the code imports', () => {
        const roots = dependencyRoots(app);
        for (const [side, heading] of [['server', '## Server'], ['client', '## Client']] as const) {
          const graph = collectImports(roots[side], { root: repoRoot });
          const imported = [...graph.packages.keys()].sort();
          const listed = tableAfter(page, heading).map((r) => r[0]!).sort();
          assert.deepEqual(listed, imported, `${side} dependencies`);
          for (const row of tableAfter(page, heading)) {
            const importer = path.join(repoRoot, graph.packages.get(row[0]!)![0]!);
            const installed = findInstalledPackage(row[0]!, importer, repoRoot);
            assert.ok(installed, `${row[0]} is installed`);
            const pkg = JSON.parse(readFileSync(installed, 'utf8')) as { version: string };
            assert.equal(row[1], pkg.version, `${row[0]} version is the installed one`);
            assert.match(row[2]!, /^https:\/\//, `${row[0]} url`);
            assert.ok(row[3] && row[3] !== 'UNLICENSED (none declared)', `${row[0]} licence`);
          }
        }
        assert.ok(!tableAfter(page, '## Server').some((r) => r[0]!.startsWith('@teamspro/')), 'workspace packages are followed, not listed');
      });

      it('describes the manifest surfaces: tabs, bot, message extension, activity types', () => {
        const surfaces = tableAfter(page, '# Microsoft Teams surfaces');
        const kinds = surfaces.map((r) => r[0]!);
        assert.ok(kinds.includes('Bot'));
        assert.ok(kinds.some((k) => k.startsWith('Personal tab')));
        assert.equal(kinds.includes('Configurable tab'), Boolean(inputs.manifest.configurableTabs?.length));
        for (const c of (inputs.manifest.composeExtensions ?? []).flatMap((ce) => ce.commands ?? [])) assert.ok(page.includes(`\`${c.id}\``), c.id);
        for (const a of inputs.manifest.activities?.activityTypes ?? []) assert.ok(page.includes(`\`${a.type}\``), a.type);
      });

      it('renders the same bytes every time', () => {
        assert.equal(renderTrustPage(inputs), page);
      });
    });
  }

  it('the page generator refuses a manifest permission the declaration does not explain', async () => {
    const calendar = suiteApps.find((a) => a.id === 'calendar')!;
    const inputs = await gatherTrustInputs(calendar);
    const manifest = structuredClone(inputs.manifest);
    manifest.authorization = { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } };
    assert.throws(() => renderTrustPage({ ...inputs, manifest }), /ChannelMessage\.Read\.Group, which src\/trust\.ts does not declare/);
  });

  it('`npm run trust -- --check` exits 0 when every page is current', () => {
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['devtools/src/cli/write-trust.ts', '--check'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.stdout.trim().split('\n').filter((l) => l.startsWith('current ')).length, suiteApps.length, r.stdout);
  });
});

describe('Trust pages: dependency scan', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const pkg = (name: string, extra: Record<string, unknown>) => write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', ...extra }));

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'teamspro-deps-'));
    pkg('alpha', { version: '1.2.3', license: 'MIT', repository: 'git+https://github.com/a/alpha.git' });
    pkg('@scope/beta', { version: '2.0.0', license: { type: 'Apache-2.0' }, homepage: 'https://beta.dev' });
    pkg('gamma', { version: '0.1.0', licenses: [{ type: 'MIT' }, { type: 'ISC' }], repository: { url: 'github:g/gamma' } });
    pkg('delta', { version: '4.0.0', license: 'BSD-3-Clause', repository: { type: 'git', url: 'git@github.com:d/delta.git' } });
    pkg('typeonly', { license: 'MIT' });
    pkg('testonly', { license: 'MIT' });
    pkg('vite', { license: 'MIT' });
    write('node_modules/@teamspro/lib/package.json', JSON.stringify({ name: '@teamspro/lib', exports: { '.': './src/index.ts', './*': './src/*.ts' } }));
    write('node_modules/@teamspro/lib/src/util.ts', "import { d } from 'delta';\nexport const u = d;\n");
    write('node_modules/@teamspro/lib/src/index.ts', "import 'never-reached';\n");
    write('app/src/index.ts', [
      "import { a } from 'alpha';",
      "import type { T } from 'typeonly';",
      "import { type U, type V } from 'typeonly';",
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import { helper } from './helper.js';",
      "import '@teamspro/lib/util';",
      "// import 'commented-out';",
      "/* import { x } from 'also-commented'; */",
      "const url = 'https://example.com//not-a-comment';",
      "export * from '@scope/beta/deep/path';",
      "export type { W } from 'typeonly';",
      'import {',
      '  b,',
      '  c as cc,',
      "} from 'alpha/sub';",
    ].join('\n'));
    write('app/src/helper.ts', "export const helper = () => import('gamma');\n");
    write('app/src/index.test.ts', "import 'testonly';\n");
    write('app/src/vite.config.ts', "import { defineConfig } from 'vite';\n");
    write('app/src/legacy.cjs', "const x = require('alpha');\n");
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('finds run-time imports, follows relative and workspace imports, skips types, builtins, tests and build config', () => {
    const graph = collectImports([path.join(root, 'app', 'src')], { root });
    assert.deepEqual([...graph.packages.keys()], ['@scope/beta', 'alpha', 'delta', 'gamma']);
    assert.deepEqual(graph.packages.get('delta'), ['node_modules/@teamspro/lib/src/util.ts']);
    assert.deepEqual(graph.packages.get('alpha'), ['app/src/index.ts', 'app/src/legacy.cjs']);
    assert.deepEqual(graph.problems, []);
    assert.ok(!graph.files.includes('node_modules/@teamspro/lib/src/index.ts'), 'only the workspace files actually imported are read');
  });

  it('reads version, URL and licence from the installed package.json', () => {
    const { dependencies, problems } = collectDependencies([path.join(root, 'app', 'src')], { root });
    assert.deepEqual(problems, []);
    assert.deepEqual(dependencies, [
      { name: '@scope/beta', version: '2.0.0', url: 'https://beta.dev', license: 'Apache-2.0' },
      { name: 'alpha', version: '1.2.3', url: 'https://github.com/a/alpha', license: 'MIT' },
      { name: 'delta', version: '4.0.0', url: 'https://github.com/d/delta', license: 'BSD-3-Clause' },
      { name: 'gamma', version: '0.1.0', url: 'https://github.com/g/gamma', license: '(MIT OR ISC)' },
    ]);
  });

  it('reports an import that is not installed, or a workspace path its exports do not resolve', () => {
    write('other/src/index.ts', "import 'not-installed';\nimport '@teamspro/lib/missing';\n");
    const { problems } = collectDependencies([path.join(root, 'other', 'src')], { root });
    assert.ok(problems.some((p) => p.startsWith('not-installed is imported by other/src/index.ts but is not installed')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes("@teamspro/lib/missing, which @teamspro/lib's exports do not resolve")), problems.join('\n'));
  });

  it('names packages from specifiers', () => {
    assert.equal(packageNameOf('@fluentui/react-components'), '@fluentui/react-components');
    assert.equal(packageNameOf('@fluentui/react-icons/lib/x'), '@fluentui/react-icons');
    assert.equal(packageNameOf('lodash/fp'), 'lodash');
    for (const s of ['./x.js', '../y', '/abs', 'node:fs', 'fs', 'fs/promises', 'virtual:pwa', '#internal']) assert.equal(packageNameOf(s), undefined, s);
  });

  it('scans the import forms TypeScript and bundlers load', () => {
    assert.deepEqual(scanImports([
      "import React, { useState } from 'react';",
      "import * as ns from 'ns';",
      "import './styles.css';",
      "export { x } from 'reexport';",
      "const lazy = () => import('lazy');",
      "import type Def from 'types-only';",
      "const s = \"import fake from 'inside-a-string' is text\";",
    ].join('\n')), ['react', 'ns', './styles.css', 'reexport', 'lazy']);
  });
});
