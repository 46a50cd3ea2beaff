/**
 * The soak's report (a vitest global setup of vitest.soak.config.ts): clears the figures of earlier runs
 * before the scenarios, and afterwards prints the headline figures the README quotes and saves every
 * figure, with the machine and the date, as bench/results/reliability-latest.json.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FIGURES_DIR, type Figures, readFigures } from './helpers/figures.js';

const RESULTS = fileURLToPath(new URL('../../bench/results/reliability-latest.json', import.meta.url));

let loadAtStart = 0;

export function setup(): void {
  rmSync(FIGURES_DIR, { recursive: true, force: true });
  loadAtStart = loadavg()[0];
}

function machine(): Record<string, string | number> {
  let debian = 'unknown';
  try {
    debian = readFileSync('/etc/debian_version', 'utf8').trim();
  } catch {}
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `Debian ${debian}, Linux ${release()}`,
    node: process.version,
    commit,
    loadAverageAtStart: Math.round(loadAtStart * 100) / 100,
  };
}

const num = (f: Figures | undefined, key: string): number => Number(f?.[key] ?? Number.NaN);

/** The headline figures, from the scenarios' own. */
function headline(all: Record<string, Figures>): [string, string][] {
  const storm = ['system-status-server', 'frontend'].map((t) => all[`scrape-storm.${t}`]);
  const big = ['system-status-server', 'frontend'].map((t) => all[`scrape-100k.${t}`]);
  const churn = all.churn;
  const faults = all['source-faults'];
  const workers = all['worker-faults'];
  const prom = all['prometheus-timeout'];
  const fuzz = num(all['exposition-fuzz'], 'cases') + num(all['parser-fuzz'], 'cases');
  const per = (list: (Figures | undefined)[], key: string, unit = '') =>
    list.map((f, i) => `${['system server', 'frontend'][i]} ${num(f, key)}${unit}`).join(', ');
  return [
    ['scrapes served under 200 concurrent scrapers', per(storm, 'scrapesServed')],
    ['  p99 latency of those scrapes', per(storm, 'p99Ms', ' ms')],
    ['  503 (in-flight limit) answers', per(storm, 'scrapesRejected503')],
    ['longest event-loop block, 100k-series scrapes', per(big, 'longestEventLoopBlockMs', ' ms')],
    ['longest event-loop block, scrape storm', per(storm, 'longestEventLoopBlockMs', ' ms')],
    [
      'faults injected and survived',
      `${num(faults, 'faultsInjected')} source/callback faults (${num(faults, 'faultKinds')} kinds), ` +
        `${num(workers, 'workersKilled')} workers SIGKILLed (${num(workers, 'streamsCut')} streams cut), ` +
        `${num(prom, 'failedScrapesSeenByPrometheus')} Prometheus scrape timeouts`,
    ],
    [
      'fuzz cases',
      `${fuzz} (exposition ${num(all['exposition-fuzz'], 'cases')}, parser ${num(all['parser-fuzz'], 'cases')})`,
    ],
    [
      'requests in the churn soak',
      `${num(churn, 'requests')} (${num(churn, 'clientDisconnects')} disconnects, ${num(churn, 'engineErrors')} engine errors)`,
    ],
    [
      'largest counter discrepancy',
      `${num(churn, 'largestCounterDiscrepancy')} over ${num(churn, 'countersCompared')} counters`,
    ],
    [
      'heap growth after warm-up',
      `${num(churn, 'heapGrowthAfterWarmMiB')} MiB (warm ${num(churn, 'heapWarmMiB')} MiB)`,
    ],
  ];
}

export function teardown(): void {
  const figures = readFigures();
  const report = { machine: machine(), headline: Object.fromEntries(headline(figures)), figures };
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  const width = Math.max(...headline(figures).map(([k]) => k.length));
  const lines = headline(figures).map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  process.stdout.write(
    `\nreliability soak, ${report.machine.date} (${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.os}, Node ${report.machine.node})\n${lines.join('\n')}\nevery figure: ${RESULTS}\n`,
  );
}
