/**
 * Writes the generated deploy assets (see `assets.ts`) into the repository, or with `--check` only reports
 * the ones that differ from what is committed and exits 1. Run from the repository root:
 * `npm run deploy:generate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployAssets } from './assets.js';

const root = process.cwd();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string };
if (pkg.name !== 'dynametrics') {
  process.stderr.write('run this from the repository root\n');
  process.exit(2);
}
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [path, content] of deployAssets()) {
  const file = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale.push(path);
  if (!check) writeFileSync(file, content);
}
process.stdout.write(
  stale.length === 0
    ? 'deploy assets are up to date\n'
    : `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}\n`,
);
process.exit(check && stale.length > 0 ? 1 : 0);
