import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import type { SuiteApp } from '../suite.js';
import { loadEnv, type LoadEnvOptions } from './env.js';
import { checkIcons, iconPath } from './icons.js';
import { resolveManifest, validateManifest, type TeamsManifest } from './manifest.js';
import { repoRoot, rel } from './paths.js';

export type PackageResult = {
  app: SuiteApp['id'];
  env: string;
  ok: boolean;
  /** Written only when ok. */
  zipPath?: string;
  manifest?: TeamsManifest;
  errors: string[];
};

export type BuildPackageOptions = LoadEnvOptions & {
  env?: string;
  /** Where to write the zip; defaults to `<app>/appPackage/build/appPackage.<env>.zip`. */
  outFile?: string;
};

/** A fixed timestamp for every zip entry, so the same inputs give byte-identical packages. */
const ZIP_DATE = new Date(Date.UTC(2000, 0, 1));

export function appPackageDir(app: SuiteApp, root = repoRoot): string {
  return path.join(root, app.id, 'appPackage');
}

export function defaultZipPath(app: SuiteApp, env: string, root = repoRoot): string {
  return path.join(appPackageDir(app, root), 'build', `appPackage.${env}.zip`);
}

/**
 * Resolves, validates and zips one app's package, like `teamsApp/validateManifest` +
 * `teamsApp/zipAppPackage` do, but offline: manifest.json with placeholders filled, plus both icons.
 * Nothing is written when anything fails; the result lists every reason.
 */
export async function buildPackage(app: SuiteApp, opts: BuildPackageOptions = {}): Promise<PackageResult> {
  const env = opts.env ?? 'local';
  const root = opts.root ?? repoRoot;
  const dir = appPackageDir(app, root);
  const result: PackageResult = { app: app.id, env, ok: false, errors: [] };
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    result.errors.push(`${rel(manifestFile, root)} does not exist`);
    return result;
  }
  let loaded;
  try {
    loaded = loadEnv(app, env, opts);
  } catch (e) {
    result.errors.push((e as Error).message);
    return result;
  }
  const resolved = resolveManifest(readFileSync(manifestFile, 'utf8'), loaded);
  if (!resolved.manifest) {
    result.errors.push(...resolved.errors);
    return result;
  }
  const manifest = resolved.manifest;
  result.manifest = manifest;
  result.errors.push(...validateManifest(manifest, { requireHttps: env !== 'local' }));
  result.errors.push(...checkIcons(dir, manifest));
  if (result.errors.length) return result;

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: ZIP_DATE });
  for (const key of ['color', 'outline'] as const) {
    const file = iconPath(dir, manifest.icons[key]).file!;
    zip.file(path.relative(dir, file).split(path.sep).join('/'), readFileSync(file), { date: ZIP_DATE });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  const zipPath = opts.outFile ?? defaultZipPath(app, env, root);
  mkdirSync(path.dirname(zipPath), { recursive: true });
  writeFileSync(zipPath, bytes);
  result.zipPath = zipPath;
  result.ok = true;
  return result;
}
