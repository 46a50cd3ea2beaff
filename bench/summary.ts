/**
 * Prints the README's Performance tables from `bench/results/*-latest.json`: the cases compared with
 * prom-client, then those measured against a simpler path of dynametrics or as throughput, each under the
 * machine, Node version and date of its run. `node bench/.out/bench/summary.js` after `npm run bench`; with
 * `--readme`, also writes them into README.md between the `perf-table` markers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from './harness.js';
import {
  describeEnvironment,
  type Environment,
  formatFigure,
  formatRatio,
  packageRoot,
  verdict,
} from './report.js';
import type { ResultRow, SuiteResult } from './suite.js';
import { SUITES } from './suites/index.js';

/** Rows compared with prom-client, in the README's first table, in order. */
const PROM_CLIENT_ROWS: readonly string[] = [
  'c2',
  'b',
  'b-pos',
  'c',
  'a',
  'g',
  'd3',
  'd2',
  'e1d',
  'e1c',
  'e1',
  'e1o',
  'e2',
  'e2o',
  'el',
  'm-counter',
  'm-counter+scrape',
  'm-histogram',
  'm-histogram+scrape',
];

/**
 * Rows measured against a simpler path of dynametrics itself or as throughput (the runtime and engine
 * suites, and the frontend with its metrics on against off), in the README's second table. Every other row stays in the JSON and the full output.
 */
const OWN_ROWS: readonly string[] = [
  'rt',
  'rt-om',
  'rt-nocb',
  'rt-write',
  'eng-1mb',
  'eng-1mb-all',
  'eng-vllm',
  'eng-sglang',
  'eng-trtllm',
  'eng-lmcache',
  'eng-added',
  'eng-added-om',
  'fe-throughput',
  'fe-p99',
];

function value(s: Stats | undefined, unit: string): string {
  if (s === undefined) return '';
  const x = s.median;
  if (unit === 'B/series') return `${Math.round(x)} B`;
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return `${x.toFixed(digits)} ${unit === 'ns/op' ? 'ns' : 'ms'}`;
}

interface Loaded {
  readonly rows: Map<string, ResultRow>;
  /** Environment of each row's run. */
  readonly envs: Map<string, Environment>;
}

function load(root: string): Loaded {
  const rows = new Map<string, ResultRow>();
  const envs = new Map<string, Environment>();
  for (const suite of SUITES) {
    const path = join(root, 'bench', 'results', `${suite.name}-latest.json`);
    if (!existsSync(path)) continue;
    const result = JSON.parse(readFileSync(path, 'utf8')) as SuiteResult & { environment: Environment };
    for (const r of result.rows) {
      rows.set(r.id, r);
      envs.set(r.id, result.environment);
    }
  }
  return { rows, envs };
}

/** "Measured <date> on <machine>, Node ..." for the run the first shown row of a table comes from. */
function measuredLine(env: Environment | undefined, against: string): string {
  if (env === undefined) return '';
  const m = env.machine;
  const d = env.libraries.dynametrics;
  return `Measured ${env.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, Linux ${m.osRelease}), Node ${env.node}, dynametrics ${d.version}${d.commit === undefined ? '' : ` @ ${d.commit}`}${against}; load average ${m.loadAverage[0]} at the start of the run.\n\n`;
}

/** One README table: which rows, the columns after the case, and what the runs were compared with. */
interface TableSpec {
  readonly ids: readonly string[];
  readonly columns: readonly string[];
  readonly cells: (r: ResultRow) => readonly string[];
  readonly against: (env: Environment) => string;
}

/**
 * A Markdown table padded to its widest cells, the middle columns right-aligned, as a Markdown formatter
 * would leave it, so regenerating the README changes only the numbers.
 */
function alignedTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const right = (i: number) => i > 0 && i < widths.length - 1;
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => (right(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (right(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

function table(loaded: Loaded, spec: TableSpec): string {
  const shown = spec.ids.filter((id) => loaded.rows.has(id));
  if (shown.length === 0) return '';
  const rows = [['case', ...spec.columns, 'target']];
  for (const id of shown) {
    const r = loaded.rows.get(id)!;
    const target = r.target === undefined ? '' : `${r.target.text}: ${verdict(r)}`;
    rows.push([`(${r.id}) ${r.title}`, ...spec.cells(r), target]);
  }
  const env = loaded.envs.get(shown[0])!;
  return `${measuredLine(env, spec.against(env))}${alignedTable(rows)}`;
}

/** The figure of an own row: throughput, or the overhead over its baseline and the time it adds. */
function ownFigure(r: ResultRow): string {
  if (r.throughput !== undefined)
    return `${formatFigure(r.throughput, 'MB/s')} (${formatFigure(r.throughputOfMin, 'MB/s')})`;
  if (r.dynametrics === undefined || r.baseline === undefined) return '';
  const added = r.dynametrics.median - r.baseline.median;
  return `${formatFigure(r.overhead, 'x')} (${formatFigure(r.overheadOfMins, 'x')}), ${added >= 0 ? '+' : '−'}${Math.abs(added).toFixed(2)} ms`;
}

const PROM_CLIENT_TABLE: TableSpec = {
  ids: PROM_CLIENT_ROWS,
  columns: ['dynametrics', 'prom-client 15.1.3', 'ratio (of minimums)'],
  cells: (r) => [
    value(r.dynametrics, r.unit),
    value(r.promClient, r.unit),
    `${formatRatio(r.ratio)} (${formatRatio(r.ratioOfMins)})`,
  ],
  against: (env) => ` against prom-client ${env.libraries.promClient.version}`,
};

const OWN_TABLE: TableSpec = {
  ids: OWN_ROWS,
  columns: ['dynametrics', 'baseline', 'figure (from the minimums)'],
  cells: (r) => [value(r.dynametrics, r.unit), value(r.baseline, r.unit), ownFigure(r)],
  against: () => '',
};

const root = packageRoot();
const loaded = load(root);
const tables = [table(loaded, PROM_CLIENT_TABLE), table(loaded, OWN_TABLE)].filter((t) => t !== '');
const firstEnv = loaded.envs.values().next().value as Environment | undefined;
if (firstEnv !== undefined) process.stdout.write(`${describeEnvironment(firstEnv)}\n\n`);
process.stdout.write(`${tables.join('\n\n')}\n`);

if (process.argv.includes('--readme')) {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- perf-table:start -->';
  const end = '<!-- perf-table:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error('README.md has no perf-table markers');
  writeFileSync(path, `${readme.slice(0, i + start.length)}\n${tables.join('\n\n')}\n${readme.slice(j)}`);
  process.stderr.write(`wrote the tables into ${path}\n`);
}
