import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildModuleGraph,
  importSpecifiers,
  ModuleResolutionError,
} from '../../src/dashboard/module-graph.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dynametrics-graph-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(files: Record<string, string | object>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

const graph = (...assets: string[]) =>
  buildModuleGraph({ dir: join(root, 'own'), urlPrefix: '/dashboard/' }, ['main.js'], assets);

describe('import specifiers', () => {
  it('are found in static, re-export, side-effect and dynamic imports, across lines and minified', () => {
    const source = [
      "import a from 'a';",
      'import {',
      '  b,',
      '  c as d,',
      "} from './b.js';",
      "export * from '../c';",
      "export { e } from './e';",
      "import './side.js';",
      'const f = () => import("f");',
      'import{g}from"g";export{h}from"./h.js"',
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['a', './b.js', '../c', './e', './side.js', 'g', './h.js', 'f']);
  });

  it('are not taken from comments or prose', () => {
    const source = [
      '/* import x from "in-a-comment" */',
      '/**',
      ' * grammar file as `@context exportName from "module"`.',
      ' */',
      'const s = "reimport y from \'z\'";',
      "const notAnImport = importer.from('w');",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([]);
  });
});

describe('the module graph', () => {
  it('resolves browser ES entries, subpath exports and extensionless imports, and lists exactly those files', async () => {
    await tree({
      'own/main.js': "import a from 'pkg-a';\nimport { b } from '@scope/b/sub';\nimport './local';\n",
      'own/local/index.js': 'export const x = 1;\n',
      'node_modules/pkg-a/package.json': {
        exports: { '.': { require: './a.cjs', browser: { import: './a-browser.js' }, import: './a.js' } },
      },
      'node_modules/pkg-a/a-browser.js': "export * from './dir/x';\n",
      'node_modules/pkg-a/a.js': 'not loaded\n',
      'node_modules/pkg-a/dir/x.js': 'export default 1;\n',
      'node_modules/@scope/b/package.json': { exports: { './sub': './sub.mjs' } },
      'node_modules/@scope/b/sub.mjs': 'export const b = 2;\nconst later = () => import("pkg-c");\n',
      'node_modules/pkg-c/package.json': { module: 'esm.js', main: 'cjs.js' },
      'node_modules/pkg-c/esm.js': 'export {};\n',
      'node_modules/pkg-c/style.css': 'body {}\n',
    });
    const g = graph('pkg-c/style.css');
    expect([...g.files.keys()].sort()).toEqual([
      '/dashboard/local/index.js',
      '/dashboard/main.js',
      '/vendor/@scope/b/sub.mjs',
      '/vendor/pkg-a/a-browser.js',
      '/vendor/pkg-a/dir/x.js',
      '/vendor/pkg-c/esm.js',
      '/vendor/pkg-c/style.css',
    ]);
    expect(g.imports).toEqual({
      'pkg-a': '/vendor/pkg-a/a-browser.js',
      '@scope/b/sub': '/vendor/@scope/b/sub.mjs',
      '/dashboard/local': '/dashboard/local/index.js',
      '/vendor/pkg-a/dir/x': '/vendor/pkg-a/dir/x.js',
      'pkg-c': '/vendor/pkg-c/esm.js',
    });
    expect(g.files.get('/dashboard/local/index.js')?.toString()).toBe('export const x = 1;\n');
  });

  it('fails when a package is missing, has no browser ES entry, or an import leaves its package', async () => {
    await tree({ 'own/main.js': "import 'missing';\n" });
    expect(graph).toThrow(
      new ModuleResolutionError(`package missing is not installed (needed from ${join(root, 'own')})`),
    );
    await tree({
      'own/main.js': "import 'cjs-only';\n",
      'node_modules/cjs-only/package.json': { exports: { '.': { require: './index.cjs' } } },
    });
    expect(graph).toThrow('cjs-only (imported by /dashboard/main.js) has no browser ES module entry');
    await tree({
      'own/main.js': "import 'escape';\n",
      'node_modules/escape/package.json': { module: 'index.js' },
      'node_modules/escape/index.js': "import '../../own/main.js';\n",
    });
    expect(graph).toThrow(
      '/vendor/escape/index.js imports ../../own/main.js, which is not a file of its package',
    );
  });
});
