/**
 * Output of a benchmark run: the environment it ran in, a table per suite (Markdown, so it can be pasted
 * into the README as is), and the JSON files under `bench/results/`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stats } from './harness.js';
import { type JudgedFigure, judgedFigure, type ResultRow, type SuiteResult } from './suite.js';

/** The package root: the nearest directory above this file whose package.json is dynametrics'. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'dynametrics') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the dynametrics package root');
    dir = up;
  }
}

function packageVersion(root: string, name?: string): string {
  const path =
    name === undefined ? join(root, 'package.json') : join(root, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(path, 'utf8')).version;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly v8: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryBytes: number;
    readonly platform: string;
    readonly arch: string;
    readonly osRelease: string;
    /** 1, 5 and 15 minute load averages when the run started: a hint of how noisy it was. */
    readonly loadAverage: readonly number[];
  };
  readonly libraries: {
    readonly dynametrics: { readonly version: string; readonly commit?: string; readonly dirty?: boolean };
    readonly promClient: { readonly version: string };
  };
  readonly exposeGc: boolean;
  readonly argv: readonly string[];
}

export function environment(root: string, exposeGc: boolean): Environment {
  const cpus = os.cpus();
  // Uncommitted changes to the measured code; the results files themselves do not count.
  const status = git(root, ['status', '--porcelain', '--', 'src', 'bench', ':(exclude)bench/results']);
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: os.availableParallelism(),
      memoryBytes: os.totalmem(),
      platform: os.platform(),
      arch: os.arch(),
      osRelease: os.release(),
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    libraries: {
      dynametrics: {
        version: packageVersion(root),
        commit: git(root, ['rev-parse', '--short', 'HEAD']),
        dirty: status === undefined ? undefined : status !== '',
      },
      promClient: { version: packageVersion(root, 'prom-client') },
    },
    exposeGc,
    argv: process.argv.slice(2),
  };
}

export function describeEnvironment(env: Environment): string {
  const m = env.machine;
  const gib = (m.memoryBytes / 2 ** 30).toFixed(1);
  const d = env.libraries.dynametrics;
  const commit = d.commit === undefined ? '' : ` @ ${d.commit}${d.dirty === true ? ' (dirty)' : ''}`;
  return [
    `date: ${env.date}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${gib} GiB, ${m.platform} ${m.arch} ${m.osRelease}, load ${m.loadAverage.join(' ')}`,
    `node: ${env.node} (V8 ${env.v8})${env.exposeGc ? '' : ' -- WITHOUT --expose-gc: no forced GC'}`,
    `dynametrics ${d.version}${commit} vs prom-client ${env.libraries.promClient.version}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Table

function formatNumber(x: number, unit: string): string {
  if (unit === 'bytes') return Math.round(x).toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

function cell(s: Stats | undefined, unit: string): string {
  if (s === undefined) return '';
  if (s.samples.length === 1) return formatNumber(s.median, unit);
  return `${formatNumber(s.median, unit)} (${formatNumber(s.min, unit)})`;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '';
  return ratio >= 10 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`;
}

/** `pass`, `pass (marginal)` within 10% of the target, `FAIL`, or empty without a target. */
export function verdict(r: ResultRow): string {
  const f = judgedFigure(r);
  if (f === undefined) return '';
  if (!f.met) return 'FAIL';
  const marginal = f.higherIsBetter ? f.value < f.bound * 1.1 : f.value > f.bound / 1.1;
  return marginal ? 'pass (marginal)' : 'pass';
}

/** A judged figure as `1.23x` or `65.4 MB/s`. */
export function formatFigure(value: number | undefined, unit: JudgedFigure['unit']): string {
  if (value === undefined) return '';
  return unit === 'x' ? formatRatio(value) : `${value.toFixed(value >= 100 ? 0 : 1)} MB/s`;
}

function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}

/**
 * The suite's rows as a Markdown table: medians with minimums in parentheses. Columns that no row of the
 * suite fills (prom-client, floor, baseline, overhead, throughput) are left out.
 */
export function formatTable(result: SuiteResult): string {
  const columns: [string, (r: ResultRow) => string][] = [
    ['case', (r) => r.id],
    ['what', (r) => r.title],
    ['dynametrics', (r) => cell(r.dynametrics, r.unit)],
  ];
  const optional: [string, (r: ResultRow) => unknown, (r: ResultRow) => string][] = [
    ['prom-client', (r) => r.promClient, (r) => cell(r.promClient, r.unit)],
    ['plain-JS floor', (r) => r.floor, (r) => cell(r.floor, r.unit)],
    ['baseline', (r) => r.baseline, (r) => cell(r.baseline, r.unit)],
  ];
  for (const [name, has, show] of optional)
    if (result.rows.some((r) => has(r) !== undefined)) columns.push([name, show]);
  columns.push(['unit', (r) => r.unit]);
  const figures: [string, (r: ResultRow) => unknown, (r: ResultRow) => string][] = [
    ['ratio', (r) => r.ratio, (r) => formatRatio(r.ratio)],
    ['overhead', (r) => r.overhead, (r) => formatFigure(r.overhead, 'x')],
    ['throughput', (r) => r.throughput, (r) => formatFigure(r.throughput, 'MB/s')],
  ];
  for (const [name, has, show] of figures)
    if (result.rows.some((r) => has(r) !== undefined)) columns.push([name, show]);
  columns.push(['target', (r) => r.target?.text ?? ''], ['result', verdict]);
  return markdownTable(
    columns.map(([name]) => name),
    result.rows.map((r) => columns.map(([, show]) => show(r))),
  );
}

export function formatNotes(result: SuiteResult): string {
  const lines: string[] = [];
  for (const r of result.rows) for (const n of r.notes ?? []) lines.push(`  (${r.id}) ${n}`);
  for (const n of result.notes ?? []) lines.push(`  * ${n}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// JSON

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes `<suite>-latest.json` and a timestamped copy; returns their paths. */
export function saveResult(root: string, env: Environment, result: SuiteResult): string[] {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify({ ...result, environment: env }, null, 2)}\n`;
  const stamp = env.date.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const latest = join(dir, `${result.suite}-latest.json`);
  const dated = join(dir, `${result.suite}-${stamp}.json`);
  writeAtomically(latest, text);
  writeAtomically(dated, text);
  return [latest, dated];
}
