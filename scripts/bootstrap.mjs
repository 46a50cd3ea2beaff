#!/usr/bin/env node
// Makes a fresh clone ready for the README's two commands, with nothing installed but Node:
//   - npm dependencies, installed with `npm ci` when node_modules is missing or older than the lockfile;
//   - for `test`: the Debian packages the integration tests drive for real (prometheus + promtool,
//     chromium), installed with apt-get when missing and we are root;
//   - dist/, rebuilt when any source file is newer than the last build.
// Usage: node scripts/bootstrap.mjs <start|test|build>
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'build';
const inCi = process.env.CI === 'true' || process.env.CI === '1';

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    log(`${cmd} ${args.join(' ')} failed with status ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newest(dir) {
  let latest = mtime(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : mtime(path));
  }
  return latest;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs npm dependencies when they are missing (a fresh clone). An existing install is never replaced
 * automatically: it may be shared (a symlinked node_modules) or hold work in progress; a changed lockfile
 * only earns a hint to run `npm ci`.
 */
function ensureNodeModules() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed)) {
    if (mtime(installed) < mtime(join(root, 'package-lock.json')) - 1000) {
      log('package-lock.json changed since the last install; run `npm ci` if dependencies are missing');
    }
    return;
  }
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

/** Installs Debian packages whose commands are missing; tests that need them fail under CI if this cannot. */
function ensureDebian(packages) {
  const missing = packages.filter((p) => !p.commands.every(has));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  const root_ = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root_ || !has('apt-get')) {
    log(
      `missing ${names.join(', ')}; install with: apt-get install -y --no-install-recommends ${names.join(' ')}`,
    );
    if (inCi) process.exit(1);
    return;
  }
  log(`installing Debian packages: ${names.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
}

function ensureBuilt() {
  const stamp = join(root, 'dist', '.build-stamp');
  const sources = Math.max(
    newest(join(root, 'src')),
    mtime(join(root, 'tsconfig.json')),
    mtime(join(root, 'tsconfig.build.json')),
  );
  if (mtime(stamp) >= sources) return;
  log('building dist/');
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  writeFileSync(stamp, new Date().toISOString());
}

ensureNodeModules();
if (mode === 'test') {
  ensureDebian([
    { name: 'prometheus', commands: ['prometheus', 'promtool'] },
    { name: 'chromium', commands: ['chromium'] },
  ]);
}
ensureBuilt();
