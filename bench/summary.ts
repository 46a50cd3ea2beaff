/**
 * Prints the README's Performance table from `bench/results/*-latest.json`:
 * `node bench/.out/bench/summary.js` after `npm run bench`; with `--readme`, also writes it into README.md
 * between the `perf-table` markers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from './harness.js';
import { describeEnvironment, type Environment, formatRatio, packageRoot, verdict } from './report.js';
import type { ResultRow, SuiteResult } from './suite.js';
import { SUITES } from './suites/index.js';

/** Rows shown in the README, in order; every other row stays in the JSON and the full output. */
const README_ROWS: readonly string[] = [
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

function value(s: Stats | undefined, unit: string): string {
  if (s === undefined) return '';
  const x = s.median;
  if (unit === 'B/series') return `${Math.round(x)} B`;
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return `${x.toFixed(digits)} ${unit === 'ns/op' ? 'ns' : 'ms'}`;
}

const root = packageRoot();
const rows = new Map<string, ResultRow>();
let env: Environment | undefined;
for (const suite of SUITES) {
  const path = join(root, 'bench', 'results', `${suite.name}-latest.json`);
  if (!existsSync(path)) continue;
  const result = JSON.parse(readFileSync(path, 'utf8')) as SuiteResult & { environment: Environment };
  env ??= result.environment;
  for (const r of result.rows) rows.set(r.id, r);
}
const lines = [
  '| case | dynametrics | prom-client 15.1.3 | ratio (of minimums) | target |',
  '| --- | ---: | ---: | ---: | --- |',
];
for (const id of README_ROWS) {
  const r = rows.get(id);
  if (r === undefined) continue;
  const target = r.target === undefined ? '' : `${r.target.text}: ${verdict(r)}`;
  lines.push(
    `| (${r.id}) ${r.title} | ${value(r.dynametrics, r.unit)} | ${value(r.promClient, r.unit)} | ${formatRatio(r.ratio)} (${formatRatio(r.ratioOfMins)}) | ${target} |`,
  );
}
const table = lines.join('\n');
const header =
  env === undefined
    ? ''
    : [
        `Measured ${env.date.slice(0, 10)} on ${env.machine.cpu} (${env.machine.cores} cores, ${(env.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, Linux ${env.machine.osRelease}), Node ${env.node}, dynametrics ${env.libraries.dynametrics.version}${env.libraries.dynametrics.commit === undefined ? '' : ` @ ${env.libraries.dynametrics.commit}`} against prom-client ${env.libraries.promClient.version}; load average ${env.machine.loadAverage[0]} at the start of the run.`,
        '',
      ].join('\n');
if (env !== undefined) process.stdout.write(`${describeEnvironment(env)}\n\n`);
process.stdout.write(`${table}\n`);

if (process.argv.includes('--readme')) {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- perf-table:start -->';
  const end = '<!-- perf-table:end -->';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error('README.md has no perf-table markers');
  writeFileSync(path, `${readme.slice(0, i + start.length)}\n${header}\n${table}\n${readme.slice(j)}`);
  process.stderr.write(`wrote the table into ${path}\n`);
}
