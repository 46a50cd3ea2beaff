/**
 * The files the dashboard serves besides its API: the page's compiled modules and, through the import
 * graph, the package files they need, found once at start. The page's modules are the compiled `.js` next
 * to this module (`dist/dashboard/browser/`); when this module itself runs from the TypeScript sources (a
 * test runner), they are those of the built `dist/`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModuleGraph, type ModuleGraph } from './module-graph.js';

/** Where the page's modules are served; `main.js` is the entry. */
export const PAGE_URL_PREFIX = '/dashboard/';
export const PAGE_ENTRY = `${PAGE_URL_PREFIX}main.js`;
/** Package files the page links besides modules. */
export const STYLESHEET_ASSETS = ['uplot/dist/uPlot.min.css'];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The directory of the page's compiled modules. */
export function browserModulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return import.meta.url.endsWith('.ts')
    ? join(here, '..', '..', 'dist', 'dashboard', 'browser')
    : join(here, 'browser');
}

export interface DashboardAssets {
  readonly graph: ModuleGraph;
  readonly stylesheets: readonly string[];
}

export function loadDashboardAssets(): DashboardAssets {
  const graph = buildModuleGraph(
    { dir: browserModulesDir(), urlPrefix: PAGE_URL_PREFIX },
    ['main.js'],
    STYLESHEET_ASSETS,
  );
  const stylesheets = STYLESHEET_ASSETS.map((asset) => `/vendor/${asset}`);
  return { graph, stylesheets };
}

/** The content type of a served file, by its extension. */
export function contentTypeOf(url: string): string {
  const dot = url.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[url.slice(dot)]) || 'application/octet-stream';
}
