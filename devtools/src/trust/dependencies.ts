import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

/** One npm package a trust page lists. */
export type Dependency = { name: string; version: string; url: string; license: string };

const SOURCE_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'test', 'tests', '__tests__', 'coverage']);
const builtins = new Set(builtinModules);

/** Build-tool configuration (vite.config.ts, core/tab/vite-config.ts…): used to build, never shipped. */
const TOOL_CONFIG = /^(vite|vitest|rollup|webpack|esbuild|tsup|eslint|prettier|playwright|postcss|tailwind|babel|jest|mocha)[.-]config\.[cm]?[jt]sx?$/;

/** Test files, declaration files and build configuration are not part of what ships. */
export function isShippedSource(file: string): boolean {
  const base = path.basename(file);
  if (!SOURCE_EXT.includes(path.extname(base))) return false;
  if (/\.d\.[cm]?ts$/.test(base)) return false;
  if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(base)) return false;
  if (TOOL_CONFIG.test(base)) return false;
  return true;
}

/** Removes comments, keeping string and template literals (so `'https://…'` survives). */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < n && source[j] !== c) {
        if (source[j] === '\\') j++;
        if (c !== '`' && source[j] === '\n') break;
        j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Replaces every string and template literal by a numbered token in its own quotes, so text inside a
 * string (`"import x from 'y'"`) can never look like an import. Returns the literals' contents.
 */
function maskStrings(code: string): { masked: string; strings: string[] } {
  const strings: string[] = [];
  let masked = '';
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code[i]!;
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < n && code[j] !== c) {
        if (code[j] === '\\') j++;
        if (c !== '`' && code[j] === '\n') break;
        j++;
      }
      strings.push(code.slice(i + 1, j));
      masked += `${c === '`' ? "'" : c}\u0001${strings.length - 1}\u0001${c === '`' ? "'" : c}`;
      i = j + 1;
    } else {
      masked += c;
      i++;
    }
  }
  return { masked, strings };
}

/**
 * Module specifiers a file loads at run time: static imports, re-exports, side-effect imports,
 * dynamic `import()` and `require()`. Type-only imports and exports are left out: they are erased.
 */
export function scanImports(source: string): string[] {
  const { masked: code, strings } = maskStrings(stripComments(source));
  const found: string[] = [];
  const lit = (n: string) => strings[Number(n)]!;
  const typeOnlyClause = (clause: string) => {
    const c = clause.trim();
    if (!c.startsWith('{')) return false;
    const names = c.slice(1, c.lastIndexOf('}')).split(',').map((x) => x.trim()).filter(Boolean);
    return names.length > 0 && names.every((x) => x.startsWith('type '));
  };
  const STR = `(['"])\u0001(\\d+)\u0001\\`;
  for (const m of code.matchAll(new RegExp(`(?:^|[^\\w$.])import\\s+(type\\s+)?([\\w$*{}\\s,]+?)\\s*from\\s*${STR}3`, 'g'))) {
    if (!m[1] && !typeOnlyClause(m[2]!)) found.push(lit(m[4]!));
  }
  for (const m of code.matchAll(new RegExp(`(?:^|[^\\w$.])import\\s*${STR}1`, 'g'))) found.push(lit(m[2]!));
  for (const m of code.matchAll(new RegExp(`(?:^|[^\\w$.])export\\s+(type\\s+)?(\\*(?:\\s+as\\s+[\\w$]+)?|\\{[^}]*\\})\\s*from\\s*${STR}3`, 'g'))) {
    if (!m[1] && !typeOnlyClause(m[2]!)) found.push(lit(m[4]!));
  }
  for (const m of code.matchAll(new RegExp(`(?:^|[^\\w$.])(?:import|require)\\s*\\(\\s*${STR}1\\s*\\)`, 'g'))) found.push(lit(m[2]!));
  return [...new Set(found)];
}

/** The npm package a bare specifier names (`@scope/pkg/deep` → `@scope/pkg`); undefined for everything else. */
export function packageNameOf(specifier: string): string | undefined {
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined; // node:, virtual:, data:, https:
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (builtins.has(name) || builtins.has(specifier)) return undefined;
  if (specifier.startsWith('@') && parts.length < 2) return undefined;
  return name;
}

/** Resolves a relative specifier to a source file, the way TypeScript's NodeNext + bundlers do (`./x.js` → `./x.ts`). */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates: string[] = [base];
  const ext = path.extname(base);
  if (['.js', '.jsx', '.mjs', '.cjs'].includes(ext)) {
    const stem = base.slice(0, -ext.length);
    candidates.push(...['.ts', '.tsx', '.mts', '.cts'].map((e) => stem + e));
  }
  candidates.push(...SOURCE_EXT.map((e) => base + e), ...SOURCE_EXT.map((e) => path.join(base, `index${e}`)));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

type WorkspacePackage = { dir: string; exports: Record<string, string> };

/** `package.json` exports of a workspace package, flattened to subpath → target (import/default conditions). */
function readWorkspacePackage(dir: string): WorkspacePackage {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
  const flat: Record<string, string> = {};
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return pick(o.import) ?? pick(o.default) ?? pick(o.node);
    }
    return undefined;
  };
  const exp = pkg.exports;
  if (typeof exp === 'string') flat['.'] = exp;
  else if (exp && typeof exp === 'object') {
    for (const [k, v] of Object.entries(exp as Record<string, unknown>)) {
      const target = pick(v);
      if (target) flat[k] = target;
    }
  }
  if (!flat['.'] && pkg.main) flat['.'] = pkg.main;
  return { dir, exports: flat };
}

/** Resolves `@teamspro/core/trust/declaration` through the workspace package's exports map. */
function resolveWorkspaceSpecifier(ws: WorkspacePackage, subpath: string): string | undefined {
  const key = subpath ? `./${subpath}` : '.';
  let target = ws.exports[key];
  if (!target) {
    for (const [pattern, value] of Object.entries(ws.exports)) {
      const star = pattern.indexOf('*');
      if (star === -1) continue;
      const pre = pattern.slice(0, star);
      const post = pattern.slice(star + 1);
      if (key.startsWith(pre) && key.endsWith(post) && key.length >= pre.length + post.length) {
        target = value.replace('*', key.slice(pre.length, key.length - post.length));
        break;
      }
    }
  }
  if (!target) return undefined;
  const file = path.resolve(ws.dir, target);
  return existsSync(file) && statSync(file).isFile() ? file : resolveRelative(path.join(ws.dir, 'package.json'), target);
}

function listSourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...listSourceFiles(full));
    } else if (entry.isFile() && isShippedSource(full)) {
      out.push(full);
    }
  }
  return out.sort();
}

export type ImportGraph = {
  /** package name → files (relative to root) that import it */
  packages: Map<string, string[]>;
  /** every source file read */
  files: string[];
  problems: string[];
};

export type CollectOptions = {
  root: string;
  /** Scope whose packages are the workspace's own: followed into their source, never listed. */
  workspaceScope?: string;
};

/**
 * Follows imports from every shipped source file under the root directories: relative imports and
 * workspace packages (`@teamspro/*`, resolved through their exports) are followed into their files;
 * every other bare specifier is an npm dependency. `node:` and other builtins are not dependencies.
 */
export function collectImports(rootDirs: string[], opts: CollectOptions): ImportGraph {
  const scope = opts.workspaceScope ?? '@teamspro';
  const queue = rootDirs.flatMap(listSourceFiles);
  const seen = new Set<string>();
  const packages = new Map<string, Set<string>>();
  const problems: string[] = [];
  const workspaces = new Map<string, WorkspacePackage | null>();
  const workspace = (name: string): WorkspacePackage | null => {
    if (!workspaces.has(name)) {
      const link = path.join(opts.root, 'node_modules', ...name.split('/'));
      workspaces.set(name, existsSync(path.join(link, 'package.json')) ? readWorkspacePackage(realpathSync(link)) : null);
    }
    return workspaces.get(name)!;
  };
  const relName = (f: string) => path.relative(opts.root, f).split(path.sep).join('/');

  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${relName(file)}: ${(e as Error).message}`);
      continue;
    }
    for (const spec of scanImports(source)) {
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (target && isShippedSource(target)) queue.push(target);
        continue;
      }
      const name = packageNameOf(spec);
      if (!name) continue;
      if (name.startsWith(`${scope}/`)) {
        const ws = workspace(name);
        if (!ws) {
          problems.push(`${relName(file)} imports ${spec}, which is not a workspace package`);
          continue;
        }
        const target = resolveWorkspaceSpecifier(ws, spec.slice(name.length + 1));
        if (target) {
          if (isShippedSource(target)) queue.push(target);
        } else {
          problems.push(`${relName(file)} imports ${spec}, which ${name}'s exports do not resolve`);
        }
        continue;
      }
      if (!packages.has(name)) packages.set(name, new Set());
      packages.get(name)!.add(relName(file));
    }
  }
  return {
    packages: new Map([...packages].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()])),
    files: [...seen].map(relName).sort(),
    problems,
  };
}

/** Normalises package.json `repository` / `homepage` to a browsable https URL. */
export function packageUrl(pkg: { name: string; homepage?: unknown; repository?: unknown }): string {
  const clean = (u: string) => u
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^github:/, 'https://github.com/')
    .replace(/^gitlab:/, 'https://gitlab.com/')
    .replace(/^bitbucket:/, 'https://bitbucket.org/')
    .replace(/\.git$/, '')
    .replace(/#readme$/, '');
  if (typeof pkg.homepage === 'string' && /^https?:\/\//.test(pkg.homepage)) return clean(pkg.homepage);
  const repo = typeof pkg.repository === 'string' ? pkg.repository
    : pkg.repository && typeof pkg.repository === 'object' ? (pkg.repository as { url?: unknown }).url : undefined;
  if (typeof repo === 'string' && repo) {
    const url = clean(repo);
    if (/^[\w.-]+\/[\w.-]+$/.test(url)) return `https://github.com/${url}`;
    if (/^https?:\/\//.test(url)) return url;
  }
  return `https://www.npmjs.com/package/${pkg.name}`;
}

export function packageLicense(pkg: { license?: unknown; licenses?: unknown }): string {
  const one = (l: unknown): string | undefined => (typeof l === 'string' ? l : l && typeof l === 'object' ? (l as { type?: string }).type : undefined);
  const single = one(pkg.license);
  if (single) return single;
  if (Array.isArray(pkg.licenses)) {
    const all = pkg.licenses.map(one).filter((x): x is string => Boolean(x));
    if (all.length) return all.length === 1 ? all[0]! : `(${all.join(' OR ')})`;
  }
  return 'UNLICENSED (none declared)';
}

/** Finds the installed package.json for a package, searching node_modules upwards from a file. */
export function findInstalledPackage(name: string, fromFile: string, root: string): string | undefined {
  let dir = path.dirname(fromFile);
  const top = path.resolve(root);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'), 'package.json');
    if (existsSync(candidate)) return candidate;
    if (path.resolve(dir) === top || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

/**
 * The dependencies a set of source roots uses, with version, URL and licence from the installed
 * package.json. A package that is imported but not installed is a problem, not a silent omission.
 */
export function collectDependencies(rootDirs: string[], opts: CollectOptions): { dependencies: Dependency[]; problems: string[] } {
  const graph = collectImports(rootDirs, opts);
  const problems = [...graph.problems];
  const dependencies: Dependency[] = [];
  for (const [name, importers] of graph.packages) {
    const pkgFile = findInstalledPackage(name, path.join(opts.root, importers[0]!), opts.root);
    if (!pkgFile) {
      problems.push(`${name} is imported by ${importers[0]} but is not installed (npm install)`);
      continue;
    }
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { name?: string; version?: string; homepage?: unknown; repository?: unknown; license?: unknown; licenses?: unknown };
    dependencies.push({ name, version: pkg.version ?? '(unknown)', url: packageUrl({ ...pkg, name }), license: packageLicense(pkg) });
  }
  return { dependencies, problems };
}
