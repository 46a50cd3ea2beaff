/**
 * The page's ES modules without a bundler: starting from the dashboard's own compiled modules, follow every
 * static and dynamic import, resolve bare specifiers to each package's browser ES module entry (from its
 * package.json, as Node resolves packages, walking up `node_modules` directories) and extensionless
 * relative imports (`./complete` meaning `./complete/index.js`, which browsers cannot guess) to files. The
 * result is the exact list of files the page may load, each under a URL, and the import map that tells the
 * browser where each specifier lives. Only those files are ever served: a URL is looked up in this list,
 * never turned into a path.
 *
 * Every bare specifier maps to one URL for the whole page, so each package is loaded once (CodeMirror's
 * packages must be single instances); the first copy found, walking up from the importer, is the one used.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DynametricsError } from '../core/errors.js';

/** A module or asset the page cannot be given: a package or file that is not installed. */
export class ModuleResolutionError extends DynametricsError {
  override name = 'ModuleResolutionError';
}

/** Files served under a URL prefix: the dashboard's own modules, or one installed package. */
interface Root {
  readonly dir: string;
  readonly urlPrefix: string;
}

export interface ModuleGraph {
  /** URL path → file contents, for every module (and asset) the page may load. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The import map: bare specifiers and unresolvable relative URLs → the URLs of their files. */
  readonly imports: Readonly<Record<string, string>>;
}

/** Export conditions of a browser loading ES modules, in order of preference. */
const CONDITIONS = ['browser', 'import', 'module', 'default'];

/** `import … from "x"`, `import "x"`, `export … from "x"` at the start of a statement. */
const STATIC_IMPORT =
  /(?:^|[;}])[ \t]*(?:import|export)(?![\w$])\s*(?:[\w$*{}\s,]*?[\s}*]from\s*)?(["'])([^"'\n]+)\1/gm;
/** `import("x")` with a literal specifier. */
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

/**
 * The module specifiers a module imports. A pattern match, not a parse: block comments are dropped and
 * statements must start a line (or follow `;` or `}`), which is how every module the page loads is
 * written; a specifier found by mistake fails the server's start, and the browser test loads every module.
 */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(BLOCK_COMMENT, '');
  const out = new Set<string>();
  for (const re of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const m of code.matchAll(re)) out.add(m[2]);
  }
  return [...out];
}

/** The target of a package.json `exports` entry under browser ES module conditions. */
function conditional(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  for (const c of CONDITIONS) {
    if (Object.hasOwn(entry, c)) {
      const found = conditional((entry as Record<string, unknown>)[c]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

interface PackageJson {
  readonly exports?: unknown;
  readonly module?: string;
  readonly main?: string;
}

/** The file a package exposes at `subpath` (`.` for its main entry) to a browser importing ES modules. */
function packageEntry(pkg: PackageJson, subpath: string): string | undefined {
  const { exports } = pkg;
  if (exports !== undefined) {
    const map =
      typeof exports === 'object' && exports !== null && Object.keys(exports).some((k) => k.startsWith('.'))
        ? (exports as Record<string, unknown>)
        : { '.': exports };
    return Object.hasOwn(map, subpath) ? conditional(map[subpath]) : undefined;
  }
  if (subpath !== '.') return subpath;
  return pkg.module ?? pkg.main ?? 'index.js';
}

/** Splits `@scope/name/sub/path` into the package name and `./sub/path` (or `.`). */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** The directory of package `name` as Node finds it from `fromDir`: the nearest `node_modules/name`. */
function findPackage(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A relative import as a browser would not find it: the file itself, or with `.js`, or `/index.js`. */
function relativeFile(path: string): string | undefined {
  return [path, `${path}.js`, join(path, 'index.js')].find(isFile);
}

function inside(dir: string, path: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

/**
 * Walks the import graph from `entries` (files under `own.dir`, served under `own.urlPrefix`) and adds
 * `assets` (package-relative files such as a stylesheet, e.g. `uplot/dist/uPlot.min.css`).
 */
export function buildModuleGraph(
  own: Root,
  entries: readonly string[],
  assets: readonly string[] = [],
): ModuleGraph {
  const files = new Map<string, Buffer>();
  const imports: Record<string, string> = {};
  const roots = new Map<string, Root>();
  const urlOf = (root: Root, file: string) =>
    `${root.urlPrefix}${relative(root.dir, file).split(sep).join('/')}`;

  const packageRoot = (name: string, fromDir: string): Root => {
    const dir = findPackage(name, fromDir);
    if (dir === undefined)
      throw new ModuleResolutionError(`package ${name} is not installed (needed from ${fromDir})`);
    let root = roots.get(dir);
    if (root === undefined) {
      root = { dir, urlPrefix: `/vendor/${name}/` };
      roots.set(dir, root);
    }
    return root;
  };

  const queue: { root: Root; file: string }[] = entries.map((file) => ({
    root: own,
    file: resolve(own.dir, file),
  }));
  const add = (root: Root, file: string): string => {
    const url = urlOf(root, file);
    if (!files.has(url)) queue.push({ root, file });
    return url;
  };

  for (const asset of assets) {
    const { name, subpath } = splitSpecifier(asset);
    const root = packageRoot(name, own.dir);
    const file = resolve(root.dir, subpath);
    if (!inside(root.dir, file) || !isFile(file))
      throw new ModuleResolutionError(`asset ${asset} is not installed`);
    files.set(urlOf(root, file), readFileSync(file));
  }

  while (queue.length > 0) {
    const { root, file } = queue.shift()!;
    const url = urlOf(root, file);
    if (files.has(url)) continue;
    const source = readFileSync(file);
    files.set(url, source);
    for (const specifier of importSpecifiers(source.toString('utf8'))) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(file), specifier);
        const found = relativeFile(target);
        if (found === undefined || !inside(root.dir, found)) {
          throw new ModuleResolutionError(`${url} imports ${specifier}, which is not a file of its package`);
        }
        const foundUrl = add(root, found);
        const asWritten = urlOf(root, target);
        if (foundUrl !== asWritten) imports[asWritten] = foundUrl;
      } else if (!Object.hasOwn(imports, specifier)) {
        const { name, subpath } = splitSpecifier(specifier);
        const pkgRoot = packageRoot(name, dirname(file));
        const pkg = JSON.parse(readFileSync(join(pkgRoot.dir, 'package.json'), 'utf8')) as PackageJson;
        const entry = packageEntry(pkg, subpath);
        const target = entry === undefined ? undefined : resolve(pkgRoot.dir, entry);
        if (target === undefined || !inside(pkgRoot.dir, target) || !isFile(target)) {
          throw new ModuleResolutionError(`${specifier} (imported by ${url}) has no browser ES module entry`);
        }
        imports[specifier] = add(pkgRoot, target);
      }
    }
  }
  return { files, imports };
}
