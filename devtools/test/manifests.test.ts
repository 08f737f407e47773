import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { suiteApps, type SuiteApp } from '../src/suite.js';
import {
  buildPackage,
  checkIcons,
  decodePng,
  loadEnv,
  parseDotenv,
  placeholdersIn,
  repoRoot,
  resolveManifest,
  stableUuid,
  validateManifest,
  type TeamsManifest,
} from '../src/packaging/index.js';
import { tunnelUrlFrom, upsertDotenv } from '../src/cli/teams-local.js';

const SCHEMA_URL = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const templateOf = (app: SuiteApp) => readFileSync(path.join(repoRoot, app.id, 'appPackage', 'manifest.json'), 'utf8');

/**
 * A copy of what is committed (manifests, icons, env/.env.dev with only its committed values), so the
 * tests do not depend on a developer's gitignored env/.env.local or on values provisioning wrote.
 */
let fixtureRoot = '';
before(() => {
  fixtureRoot = mkdtempSync(path.join(os.tmpdir(), 'teamspro-packaging-'));
  for (const app of suiteApps) {
    const pkg = path.join(fixtureRoot, app.id, 'appPackage');
    const envDir = path.join(fixtureRoot, app.id, 'env');
    mkdirSync(pkg, { recursive: true });
    mkdirSync(envDir, { recursive: true });
    for (const f of ['manifest.json', 'color.png', 'outline.png']) copyFileSync(path.join(repoRoot, app.id, 'appPackage', f), path.join(pkg, f));
    const dev = readFileSync(path.join(repoRoot, app.id, 'env', '.env.dev'), 'utf8')
      .replace(/^(?!TEAMSFX_ENV=|APP_NAME_SUFFIX=)([A-Z_][A-Z0-9_]*)=.*$/gm, '$1=');
    writeFileSync(path.join(envDir, '.env.dev'), dev);
  }
});
after(() => rmSync(fixtureRoot, { recursive: true, force: true }));

function resolvedLocal(app: SuiteApp): TeamsManifest {
  const r = resolveManifest(templateOf(app), loadEnv(app, 'local', { processEnv: {}, root: fixtureRoot }));
  assert.deepEqual(r.errors, []);
  assert.ok(r.manifest);
  return r.manifest;
}

/** What MISSION.md gives each app, as the manifest must expose it. */
const surfaces: Record<SuiteApp['id'], { configurable: string[] | null; botScopes: string[]; search: string | null; activities: string[] }> = {
  communicator: { configurable: null, botScopes: ['personal', 'team', 'groupChat'], search: null, activities: [] },
  contact: { configurable: ['team', 'groupChat'], botScopes: ['personal', 'team', 'groupChat'], search: 'searchContacts', activities: [] },
  calendar: { configurable: ['team', 'groupChat'], botScopes: ['personal', 'team', 'groupChat'], search: null, activities: ['eventReminder', 'eventChanged'] },
  image: { configurable: ['team'], botScopes: ['personal', 'team', 'groupChat'], search: 'searchImages', activities: [] },
  metaoffice: { configurable: ['team'], botScopes: ['personal', 'team'], search: null, activities: ['officeKnock', 'officeInvite'] },
};

/** A valid manifest to break one field at a time. */
function sample(): TeamsManifest {
  return resolvedLocal(suiteApps.find((a) => a.id === 'contact')!);
}

describe('Teams app packages: manifests (schema 1.29, offline)', () => {
  for (const app of suiteApps) {
    describe(app.displayName, () => {
      it('resolves for local and validates against the official 1.29 schema with zero errors', () => {
        const m = resolvedLocal(app);
        assert.deepEqual(validateManifest(m), []);
        assert.equal(m.$schema, SCHEMA_URL);
        assert.equal(m.manifestVersion, '1.29');
        assert.equal(m.version, '1.0.0');
        assert.equal(m.id, stableUuid(app.id, 'TEAMS_APP_ID'));
        assert.equal(m.name.short, `${app.displayName}local`);
        assert.ok(m.name.short.length <= 30);
        assert.equal(m.developer?.name, 'TeamsPro');
        assert.equal(m.developer?.privacyUrl, `http://localhost:${app.port}/privacy`);
        assert.deepEqual(m.validDomains, [`localhost:${app.port}`]);
        assert.deepEqual(m.permissions, ['identity', 'messageTeamMembers']);
        const clientId = stableUuid(app.id, 'AAD_APP_CLIENT_ID');
        assert.deepEqual(m.webApplicationInfo, { id: clientId, resource: `api://localhost:${app.port}/${clientId}` });
      });

      it('keeps ${{…}} placeholders in the template, each one a key provisioning fills in env/.env.dev', () => {
        const template = templateOf(app);
        const m = JSON.parse(template) as TeamsManifest;
        assert.equal(m.id, '${{TEAMS_APP_ID}}');
        assert.equal(m.bots?.[0]?.botId, '${{BOT_ID}}');
        const devKeys = Object.keys(parseDotenv(readFileSync(path.join(repoRoot, app.id, 'env', '.env.dev'), 'utf8')));
        for (const name of placeholdersIn(template)) assert.ok(devKeys.includes(name), `${name} is missing from ${app.id}/env/.env.dev`);
      });

      it('exposes the surfaces the mission gives the app', () => {
        const m = resolvedLocal(app);
        const want = surfaces[app.id];
        const personal = (m.staticTabs ?? []).filter((t) => t.contentUrl);
        assert.equal(personal.length, 1, 'one personal content tab');
        assert.equal(personal[0]!.contentUrl, `http://localhost:${app.port}/tab/index.html#/personal`);
        if (want.configurable) {
          assert.equal(m.configurableTabs?.length, 1);
          assert.deepEqual(m.configurableTabs![0]!.scopes, want.configurable);
          assert.equal(m.configurableTabs![0]!.configurationUrl, `http://localhost:${app.port}/tab/index.html#/config`);
          assert.equal(m.configurableTabs![0]!.canUpdateConfiguration, true);
        } else {
          assert.equal(m.configurableTabs, undefined);
        }
        assert.equal(m.bots?.length, 1);
        const bot = m.bots![0]!;
        assert.equal(bot.botId, stableUuid(app.id, 'BOT_ID'));
        assert.deepEqual(bot.scopes, want.botScopes);
        assert.ok(bot.commandLists?.some((l) => l.commands.some((c) => c.title === 'help')), 'the bot lists a help command');
        const commands = (m.composeExtensions ?? []).flatMap((ce) => ce.commands ?? []);
        assert.deepEqual(commands.map((c) => c.id), want.search ? [want.search] : []);
        if (want.search) assert.equal(commands[0]!.type, 'query');
        assert.deepEqual((m.activities?.activityTypes ?? []).map((a) => a.type), want.activities);
      });

      it('has a 192×192 colour icon and a 32×32 white-on-transparent outline', () => {
        const m = resolvedLocal(app);
        const dir = path.join(repoRoot, app.id, 'appPackage');
        assert.deepEqual(checkIcons(dir, m), []);
        const color = decodePng(readFileSync(path.join(dir, m.icons.color)));
        assert.deepEqual([color.width, color.height], [192, 192]);
        const outline = decodePng(readFileSync(path.join(dir, m.icons.outline)));
        assert.deepEqual([outline.width, outline.height], [32, 32]);
        let white = 0;
        for (let i = 0; i < outline.data.length; i += 4) {
          const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
          if (a === 0) continue;
          assert.deepEqual([r, g, b], [255, 255, 255], `outline pixel ${i / 4} is not white`);
          white++;
        }
        assert.ok(white > 32, 'the outline has a visible symbol');
      });
    });
  }

  it('gives every app its own icons and accent colour', () => {
    const colors = suiteApps.map((a) => readFileSync(path.join(repoRoot, a.id, 'appPackage', 'color.png')).toString('base64'));
    const outlines = suiteApps.map((a) => readFileSync(path.join(repoRoot, a.id, 'appPackage', 'outline.png')).toString('base64'));
    const accents = suiteApps.map((a) => (JSON.parse(templateOf(a)) as TeamsManifest).accentColor);
    assert.equal(new Set(colors).size, suiteApps.length);
    assert.equal(new Set(outlines).size, suiteApps.length);
    assert.equal(new Set(accents).size, suiteApps.length);
  });
});

describe('Teams app packages: validation rejects bad manifests', () => {
  it('rejects name.short over 30 characters with the schema message', () => {
    const m = sample();
    m.name.short = 'A name that is far too long for Teams';
    const errors = validateManifest(m);
    assert.ok(errors.includes('/name/short must NOT have more than 30 characters'), errors.join('\n'));
  });

  it('rejects a manifest without developer with the schema message', () => {
    const m = sample();
    delete m.developer;
    const errors = validateManifest(m);
    assert.ok(errors.includes("(root) must have required property 'developer'"), errors.join('\n'));
  });

  it('rejects an unknown property and a bad accent colour', () => {
    const m = sample() as TeamsManifest & { colour?: string };
    m.colour = 'red';
    m.accentColor = 'red';
    const errors = validateManifest(m);
    assert.ok(errors.some((e) => e.startsWith('(root) must NOT have additional properties') && e.includes("'colour'")), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('/accentColor must match pattern')), errors.join('\n'));
  });

  it('rejects an id that is not a GUID and an unresolved placeholder', () => {
    const m = sample();
    m.id = '${{TEAMS_APP_ID}}';
    const errors = validateManifest(m);
    assert.ok(errors.some((e) => e.startsWith('/id must match pattern')), errors.join('\n'));
    assert.ok(errors.includes('placeholder ${{TEAMS_APP_ID}} is left unresolved'), errors.join('\n'));
  });

  it('rejects a message extension whose bot is not the app\'s bot', () => {
    const m = sample();
    m.composeExtensions![0]!.botId = stableUuid('someone-else');
    const errors = validateManifest(m);
    assert.ok(errors.some((e) => e.startsWith('/composeExtensions/0/botId') && e.includes('does not match /bots/*/botId')), errors.join('\n'));
  });

  it('rejects validDomains with a scheme, and tab URLs outside validDomains', () => {
    const m = sample();
    m.validDomains = ['https://localhost:3979'];
    const errors = validateManifest(m);
    assert.ok(errors.includes('/validDomains/0 (https://localhost:3979) must be a domain without a scheme'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('/staticTabs/0/contentUrl') && e.includes('which /validDomains does not list')), errors.join('\n'));
  });

  it('rejects SSO whose resource names another Entra app', () => {
    const m = sample();
    m.webApplicationInfo = { id: stableUuid('a'), resource: `api://localhost:3979/${stableUuid('b')}` };
    assert.ok(validateManifest(m).some((e) => e.includes('/webApplicationInfo/resource') && e.includes('must end with /webApplicationInfo/id')));
  });

  it('requires https outside local', () => {
    const m = sample();
    assert.deepEqual(validateManifest(m), []);
    const errors = validateManifest(m, { requireHttps: true });
    assert.ok(errors.includes('/developer/privacyUrl (http://localhost:3979/privacy) must use https://'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('/configurableTabs/0/configurationUrl') && e.endsWith('must use https://')), errors.join('\n'));
  });
});

describe('Teams app packages: icon checks', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'teamspro-icons-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const png = (w: number, h: number, pixel: (x: number, y: number) => [number, number, number, number]) => {
    const p = new PNG({ width: w, height: h });
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p.data.set(pixel(x, y), (y * w + x) * 4);
    return PNG.sync.write(p);
  };
  const goodColor = () => png(192, 192, (x, y) => (x >= 48 && x < 144 && y >= 48 && y < 144 ? [255, 255, 255, 255] : [10, 20, 30, 255]));
  const goodOutline = () => png(32, 32, (x, y) => (x > 8 && x < 24 && y > 8 && y < 24 ? [255, 255, 255, 255] : [0, 0, 0, 0]));
  const icons = { color: 'color.png', outline: 'outline.png' };

  it('accepts a correct pair', () => {
    writeFileSync(path.join(dir, 'color.png'), goodColor());
    writeFileSync(path.join(dir, 'outline.png'), goodOutline());
    assert.deepEqual(checkIcons(dir, { icons }), []);
  });

  it('rejects wrong sizes', () => {
    writeFileSync(path.join(dir, 'color.png'), png(96, 96, () => [1, 2, 3, 255]));
    writeFileSync(path.join(dir, 'outline.png'), png(48, 48, () => [0, 0, 0, 0]));
    const errors = checkIcons(dir, { icons });
    assert.ok(errors.includes('/icons/color (color.png) must be 192×192 px, is 96×96'), errors.join('\n'));
    assert.ok(errors.includes('/icons/outline (outline.png) must be 32×32 px, is 48×48'), errors.join('\n'));
  });

  it('rejects an outline with colour or an opaque background', () => {
    writeFileSync(path.join(dir, 'color.png'), goodColor());
    writeFileSync(path.join(dir, 'outline.png'), png(32, 32, (x) => (x < 16 ? [255, 0, 0, 255] : [255, 255, 255, 255])));
    const errors = checkIcons(dir, { icons });
    assert.ok(errors.some((e) => e.includes('must be white on transparent only: 512 pixels')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('has no transparent pixels')), errors.join('\n'));
  });

  it('rejects a colour icon whose padding is not a solid background', () => {
    writeFileSync(path.join(dir, 'color.png'), png(192, 192, (x) => (x < 10 ? [255, 255, 255, 255] : [10, 20, 30, 255])));
    writeFileSync(path.join(dir, 'outline.png'), goodOutline());
    assert.ok(checkIcons(dir, { icons }).some((e) => e.includes('48 px padding must be one solid colour')));
  });

  it('rejects icons outside appPackage, missing icons and files that are not PNGs', () => {
    const pkg = path.join(dir, 'appPackage');
    mkdirSync(pkg);
    writeFileSync(path.join(dir, 'color.png'), goodColor());
    writeFileSync(path.join(pkg, 'outline.png'), 'not a png');
    let errors = checkIcons(pkg, { icons: { color: '../color.png', outline: 'outline.png' } });
    assert.ok(errors.includes('/icons/color (../color.png) resolves outside appPackage/'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('/icons/outline (outline.png) is not a readable PNG')), errors.join('\n'));
    errors = checkIcons(pkg, { icons: { color: 'nope.png', outline: '/etc/outline.png' } });
    assert.ok(errors.includes('/icons/color (nope.png) does not exist in appPackage/'), errors.join('\n'));
    assert.ok(errors.includes('/icons/outline (/etc/outline.png) must be a path relative to appPackage/'), errors.join('\n'));
  });
});

describe('Teams app packages: environments', () => {
  const communicator = suiteApps.find((a) => a.id === 'communicator')!;

  it('reports a variable missing for env dev by name and file', async () => {
    const env = loadEnv(communicator, 'dev', { processEnv: {}, root: fixtureRoot });
    assert.equal(env.values.TEAMSFX_ENV, 'dev');
    assert.equal(env.values.APP_NAME_SUFFIX, 'dev');
    const r = resolveManifest(templateOf(communicator), env);
    assert.equal(r.manifest, undefined);
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'AAD_APP_CLIENT_ID', 'TAB_DOMAIN', 'TAB_ENDPOINT']) {
      assert.ok(r.errors.some((e) => e.startsWith(`${name} is not set for env "dev"`) && e.includes('communicator/env/.env.dev')), `${name}: ${r.errors.join('\n')}`);
    }
    const out = path.join(os.tmpdir(), `teamspro-never-${process.pid}.zip`);
    const result = await buildPackage(communicator, { env: 'dev', processEnv: {}, outFile: out, root: fixtureRoot });
    assert.equal(result.ok, false);
    assert.ok(result.errors.some((e) => e.startsWith('TEAMS_APP_ID is not set')));
    assert.equal(existsSync(out), false, 'nothing is written when a package fails');
  });

  it('builds dev once provisioning has filled the values, and insists on https there', async () => {
    const provisioned = {
      TEAMS_APP_ID: stableUuid('test', 'TEAMS_APP_ID'),
      BOT_ID: stableUuid('test', 'BOT_ID'),
      AAD_APP_CLIENT_ID: stableUuid('test', 'AAD'),
      TAB_DOMAIN: 'comm123abc.azurewebsites.net',
      TAB_ENDPOINT: 'https://comm123abc.azurewebsites.net',
    };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'teamspro-dev-'));
    try {
      const ok = await buildPackage(communicator, { env: 'dev', processEnv: provisioned, outFile: path.join(dir, 'dev.zip'), root: fixtureRoot });
      assert.deepEqual(ok.errors, []);
      assert.equal(ok.manifest?.name.short, 'Company Communicator Prodev');
      const insecure = await buildPackage(communicator, { env: 'dev', processEnv: { ...provisioned, TAB_ENDPOINT: 'http://comm123abc.azurewebsites.net' }, outFile: path.join(dir, 'insecure.zip'), root: fixtureRoot });
      assert.equal(insecure.ok, false);
      assert.ok(insecure.errors.includes('/developer/websiteUrl (http://comm123abc.azurewebsites.net) must use https://'), insecure.errors.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fills local ids deterministically: stable GUIDs, different per app and per variable', () => {
    const a = loadEnv(communicator, 'local', { processEnv: {}, root: fixtureRoot }).values;
    const b = loadEnv(communicator, 'local', { processEnv: {}, root: fixtureRoot }).values;
    const c = loadEnv(suiteApps[1]!, 'local', { processEnv: {}, root: fixtureRoot }).values;
    for (const key of ['TEAMS_APP_ID', 'BOT_ID', 'AAD_APP_CLIENT_ID']) {
      assert.match(a[key]!, GUID);
      assert.equal(a[key], b[key]);
      assert.notEqual(a[key], c[key]);
    }
    assert.notEqual(a.TEAMS_APP_ID, a.BOT_ID);
    assert.equal(a.TAB_DOMAIN, 'localhost:3978');
    assert.equal(a.TAB_ENDPOINT, 'http://localhost:3978');
  });

  it('lets the process environment override env files and local defaults', () => {
    const env = loadEnv(communicator, 'local', { processEnv: { TAB_DOMAIN: 'abc-3978.euw.devtunnels.ms', TAB_ENDPOINT: '' }, root: fixtureRoot });
    assert.equal(env.values.TAB_DOMAIN, 'abc-3978.euw.devtunnels.ms');
    assert.equal(env.values.TAB_ENDPOINT, 'http://localhost:3978', 'an empty value does not override');
    assert.deepEqual(env.sources.TAB_DOMAIN, { kind: 'process' });
  });

  it('parses the toolkit env format', () => {
    assert.deepEqual(parseDotenv('# c\nA=1\nexport B="two words"\nC=\'x=y\'\nD= spaced # note\nE=\n bad line\n'), { A: '1', B: 'two words', C: 'x=y', D: 'spaced', E: '' });
  });

  it('keeps env/.env.dev and env/.env.testtool free of secrets and set as the suite says', () => {
    for (const app of suiteApps) {
      const dev = parseDotenv(readFileSync(path.join(repoRoot, app.id, 'env', '.env.dev'), 'utf8'));
      assert.equal(dev.TEAMSFX_ENV, 'dev');
      assert.equal(dev.APP_NAME_SUFFIX, 'dev');
      // Provisioning may write generated ids here; secrets belong in the gitignored .env.dev.user only.
      const secrets = Object.entries(dev).filter(([k, v]) => v !== '' && /SECRET|PASSWORD|CONNECTION_STRING|_KEY$/.test(k));
      assert.deepEqual(secrets, [], `${app.id}/env/.env.dev holds secrets`);
      const testtool = parseDotenv(readFileSync(path.join(repoRoot, app.id, 'env', '.env.testtool'), 'utf8'));
      assert.deepEqual(testtool, { TEAMSFX_ENV: 'testtool', TEAMSAPPTESTER_PORT: String(app.playgroundPort), BOT_ENDPOINT: `http://127.0.0.1:${app.port}/api/messages` });
    }
  });
});

describe('Teams app packages: buildPackage', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'teamspro-zip-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const app of suiteApps) {
    it(`writes ${app.id}'s zip with exactly manifest.json, color.png and outline.png, no placeholder left`, async () => {
      const outFile = path.join(dir, `${app.id}.zip`);
      const result = await buildPackage(app, { env: 'local', processEnv: {}, outFile, root: fixtureRoot });
      assert.deepEqual(result.errors, []);
      assert.equal(result.ok, true);
      assert.equal(result.zipPath, outFile);
      const zip = await JSZip.loadAsync(readFileSync(outFile));
      const names = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name).sort();
      assert.deepEqual(names, ['color.png', 'manifest.json', 'outline.png']);
      const text = await zip.file('manifest.json')!.async('string');
      assert.ok(!text.includes('${{'), 'no placeholder left');
      const manifest = JSON.parse(text) as TeamsManifest;
      assert.deepEqual(validateManifest(manifest), []);
      assert.equal(manifest.id, stableUuid(app.id, 'TEAMS_APP_ID'));
      for (const icon of ['color.png', 'outline.png']) {
        const inZip = await zip.file(icon)!.async('nodebuffer');
        assert.ok(inZip.equals(readFileSync(path.join(repoRoot, app.id, 'appPackage', icon))), `${icon} is the committed icon`);
      }
      // Same inputs, same bytes.
      const again = path.join(dir, `${app.id}-again.zip`);
      await buildPackage(app, { env: 'local', processEnv: {}, outFile: again, root: fixtureRoot });
      assert.ok(readFileSync(again).equals(readFileSync(outFile)), 'packages are reproducible');
    });
  }

  it('refuses to package a manifest whose icons are wrong, and writes nothing', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'teamspro-root-'));
    try {
      const app = suiteApps[0]!;
      const pkg = path.join(root, app.id, 'appPackage');
      mkdirSync(pkg, { recursive: true });
      copyFileSync(path.join(repoRoot, app.id, 'appPackage', 'manifest.json'), path.join(pkg, 'manifest.json'));
      copyFileSync(path.join(repoRoot, app.id, 'appPackage', 'outline.png'), path.join(pkg, 'color.png'));
      copyFileSync(path.join(repoRoot, app.id, 'appPackage', 'color.png'), path.join(pkg, 'outline.png'));
      const result = await buildPackage(app, { root, env: 'local', processEnv: {} });
      assert.equal(result.ok, false);
      assert.ok(result.errors.includes('/icons/color (color.png) must be 192×192 px, is 32×32'), result.errors.join('\n'));
      assert.ok(result.errors.includes('/icons/outline (outline.png) must be 32×32 px, is 192×192'), result.errors.join('\n'));
      assert.equal(existsSync(path.join(pkg, 'build')), false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('Teams app packages: local Teams debugging helpers', () => {
  it('writes the tunnel into env/.env.local without losing what the toolkit wrote there', () => {
    const before = '# generated\nTEAMSFX_ENV=local\nBOT_ENDPOINT=https://old-3978.euw.devtunnels.ms\nTEAMS_APP_ID=abc\n';
    const after = upsertDotenv(before, { BOT_ENDPOINT: 'https://new-3978.euw.devtunnels.ms', BOT_DOMAIN: 'new-3978.euw.devtunnels.ms' });
    assert.equal(after, '# generated\nTEAMSFX_ENV=local\nBOT_ENDPOINT=https://new-3978.euw.devtunnels.ms\nTEAMS_APP_ID=abc\nBOT_DOMAIN=new-3978.euw.devtunnels.ms\n');
    assert.deepEqual(parseDotenv(after).TEAMS_APP_ID, 'abc');
  });

  it('reads the forwarded URL from devtunnel output, not the inspection one', () => {
    const output = 'Hosting port: 3978\nConnect via browser: https://x1y2z3-3978.euw.devtunnels.ms\nInspect network activity: https://x1y2z3-3978-inspect.euw.devtunnels.ms\n';
    assert.equal(tunnelUrlFrom(output), 'https://x1y2z3-3978.euw.devtunnels.ms');
    assert.equal(tunnelUrlFrom('Hosting port: 3978\n'), undefined);
  });
});
