/**
 * `npm run bench [-- <suite>... ] [--reps=N] [--quick] [--no-save]`
 *
 * Runs the named suites (all by default) against dynametrics and prom-client in this one process, prints a
 * table per suite and writes `bench/results/<suite>-latest.json` plus a timestamped copy. Start Node with
 * `--expose-gc` (the npm script does) so that scrapes and heap measurements run after a forced GC.
 */
import { canForceGc } from './harness.js';
import {
  describeEnvironment,
  environment,
  formatFigure,
  formatNotes,
  formatTable,
  packageRoot,
  saveResult,
  verdict,
} from './report.js';
import { judgedFigure, type ResultRow, type SuiteContext, type SuiteResult } from './suite.js';
import { SUITES } from './suites/index.js';

interface Args {
  readonly suites: string[];
  readonly repetitions: number;
  readonly quick: boolean;
  readonly save: boolean;
}

const USAGE = `usage: npm run bench -- [suite...] [--reps=N] [--quick] [--no-save]
  suites: ${SUITES.map((s) => s.name).join(', ')} (default: all)
  --reps=N   timed samples per measure (default 9; scrapes take 2N)
  --quick    short samples for a smoke test; implies --no-save
  --no-save  print only, do not write bench/results/`;

function parseArgs(argv: readonly string[]): Args {
  const suites: string[] = [];
  let repetitions = 9;
  let quick = false;
  let save = true;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--no-save') save = false;
    else if (arg.startsWith('--reps=')) {
      repetitions = Number(arg.slice('--reps='.length));
      if (!Number.isSafeInteger(repetitions) || repetitions < 1) throw new Error(`bad ${arg}\n${USAGE}`);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else if (!SUITES.some((s) => s.name === arg)) throw new Error(`unknown suite ${arg}\n${USAGE}`);
    else suites.push(arg);
  }
  return {
    suites: suites.length === 0 ? SUITES.map((s) => s.name) : suites,
    repetitions: quick ? Math.min(repetitions, 3) : repetitions,
    quick,
    save: save && !quick,
  };
}

function targetSummary(rows: readonly ResultRow[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    const f = judgedFigure(r);
    if (f === undefined) continue;
    lines.push(
      `  ${verdict(r).padEnd(15)} (${r.id}) ${r.title}: ${formatFigure(f.value, f.unit)} (target ${r.target!.text}; from minimums ${formatFigure(f.ofBest, f.unit)})`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = packageRoot();
  const env = environment(root, canForceGc);
  if (!canForceGc)
    process.stderr.write('warning: run with node --expose-gc; scrapes and heap figures need it\n');
  process.stdout.write(`${describeEnvironment(env)}\n`);
  process.stdout.write(`repetitions: ${args.repetitions}${args.quick ? ' (quick)' : ''}\n\n`);

  const context: SuiteContext = {
    repetitions: args.repetitions,
    quick: args.quick,
    log: (message) => process.stderr.write(`  ${message}\n`),
  };
  const results: SuiteResult[] = [];
  for (const name of args.suites) {
    const suite = SUITES.find((s) => s.name === name)!;
    const t0 = performance.now();
    const result = await suite.run(context);
    results.push(result);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    process.stdout.write(`## ${result.title} [${result.suite}, ${seconds} s]\n\n${formatTable(result)}\n\n`);
    const notes = formatNotes(result);
    if (notes !== '') process.stdout.write(`${notes}\n\n`);
    if (args.save) {
      for (const path of saveResult(root, env, result)) process.stderr.write(`  wrote ${path}\n`);
    }
  }
  const all = results.flatMap((r) => r.rows);
  process.stdout.write(
    `## Targets (from medians; ratio = prom-client / dynametrics, overhead = dynametrics / baseline)\n\n${targetSummary(all)}\n`,
  );
  const failed = all.filter((r) => r.pass === false);
  process.stdout.write(
    `\n${failed.length === 0 ? 'all targets met' : `${failed.length} target(s) missed: ${failed.map((r) => r.id).join(', ')}`}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
