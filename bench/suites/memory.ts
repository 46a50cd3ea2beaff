/**
 * Heap per series: the growth of the used heap (after forced GCs) when a registry with N series is built,
 * divided by N, and again after one scrape of it (which is when caches, if any, fill). The registry, its
 * metrics and their series are counted; the label value strings are not (both sides share them).
 *
 * The measurements run in a separate process (see `isolate.ts`) started with `--expose-gc
 * --no-concurrent-recompilation`.
 */

import {
  type CounterShape,
  dynCounters,
  dynHistograms,
  dynScrapeText,
  HIERARCHY_LABELS,
  type HistogramShape,
  labelPairs,
  promCounters,
  promHistograms,
  promScrape,
} from '../fixtures.js';
import { canForceGc, measureHeap, summarize } from '../harness.js';
import { runIsolated } from '../isolate.js';
import { type ResultRow, row, type Suite, type Target } from '../suite.js';

const NO_LARGER: Target = { minRatio: 1, text: '<= prom-client' };

interface Workload {
  readonly id: string;
  readonly title: string;
  readonly series: number;
  readonly dyn: () => unknown;
  readonly prom: () => unknown;
  readonly dynScrape: (value: unknown) => unknown;
  readonly promScrape: (value: unknown) => unknown;
  readonly target?: Target;
}

/** What the isolated process is asked to do. */
interface MemoryOptions {
  readonly repetitions: number;
  readonly quick: boolean;
}

async function measure(w: Workload, options: MemoryOptions): Promise<ResultRow[]> {
  const reps = options.quick ? 1 : options.repetitions;
  // One untimed round: compiles the code paths, fills the caches modules keep, so they are not counted.
  await measureHeap(w.dyn, w.dynScrape);
  await measureHeap(w.prom, w.promScrape);
  const built = { dyn: [] as number[], prom: [] as number[] };
  const scraped = { dyn: [] as number[], prom: [] as number[] };
  for (let r = 0; r < reps; r++) {
    const order = r % 2 === 0 ? (['dyn', 'prom'] as const) : (['prom', 'dyn'] as const);
    for (const side of order) {
      const sample =
        side === 'dyn' ? await measureHeap(w.dyn, w.dynScrape) : await measureHeap(w.prom, w.promScrape);
      built[side].push(sample.built / w.series);
      scraped[side].push(sample.afterStep / w.series);
    }
  }
  const notes = [`${w.series.toLocaleString('en-US')} series`];
  return [
    row({
      id: w.id,
      title: `${w.title}, after creation`,
      unit: 'B/series',
      dynametrics: summarize(built.dyn),
      promClient: summarize(built.prom),
      target: w.target,
      notes,
    }),
    row({
      id: `${w.id}+scrape`,
      title: `${w.title}, after one scrape`,
      unit: 'B/series',
      dynametrics: summarize(scraped.dyn),
      promClient: summarize(scraped.prom),
      target: w.target,
      notes,
    }),
  ];
}

function counterWorkload(
  id: string,
  title: string,
  shape: CounterShape,
  hierarchy: boolean,
  target?: Target,
): Workload {
  return {
    id,
    title,
    series: shape.families * shape.pairs.length,
    dyn: () => dynCounters(shape, hierarchy ? HIERARCHY_LABELS : undefined),
    prom: () => promCounters(shape, hierarchy ? { defaultLabels: HIERARCHY_LABELS } : {}),
    dynScrape: (r) => dynScrapeText(r as ReturnType<typeof dynCounters>)(),
    promScrape: (r) => promScrape(r as ReturnType<typeof promCounters>)(),
    target,
  };
}

/** Runs every workload; called in the isolated process. */
export async function measureAll(options: MemoryOptions): Promise<ResultRow[]> {
  if (!canForceGc) throw new Error('the memory suite needs node --expose-gc');
  const grid: CounterShape = { families: 100, pairs: labelPairs(100) };
  const distinct: CounterShape = { families: 100, pairs: labelPairs(100, 'distinct') };
  const histograms: HistogramShape = { families: 10, pairs: labelPairs(100), observationsPerSeries: 8 };
  const workloads: Workload[] = [
    counterWorkload(
      'm-counter',
      'counter series, 100 counters x 100 label sets (10 x 10 grid)',
      grid,
      false,
      NO_LARGER,
    ),
    counterWorkload(
      'm-counter-hier',
      'counter series + 4 hierarchy labels (const vs registry default labels)',
      grid,
      true,
    ),
    counterWorkload(
      'm-counter-distinct',
      'counter series, 100 counters x 100 label sets, every set a distinct first label (worst case for the label tree)',
      distinct,
      false,
    ),
    {
      id: 'm-histogram',
      title: 'histogram series, default buckets, 10 histograms x 100 label sets',
      series: histograms.families * histograms.pairs.length,
      dyn: () => dynHistograms(histograms),
      prom: () => promHistograms(histograms),
      dynScrape: (r) => dynScrapeText(r as ReturnType<typeof dynHistograms>)(),
      promScrape: (r) => promScrape(r as ReturnType<typeof promHistograms>)(),
      target: NO_LARGER,
    },
  ];
  const rows: ResultRow[] = [];
  for (const w of workloads) {
    process.stderr.write(`  memory: (${w.id}) ${w.title}\n`);
    rows.push(...(await measure(w, options)));
  }
  return rows;
}

const ISOLATED_FLAGS = ['--expose-gc', '--no-concurrent-recompilation'];

export const memorySuite: Suite = {
  name: 'memory',
  title: 'Heap per series (bytes)',
  async run(context) {
    const rows = await runIsolated<ResultRow[]>(
      {
        module: import.meta.url,
        fn: 'measureAll',
        argument: { repetitions: context.repetitions, quick: context.quick } satisfies MemoryOptions,
      },
      ISOLATED_FLAGS,
    );
    return {
      suite: 'memory',
      title: this.title,
      rows,
      notes: [
        `Measured in a separate process started with ${ISOLATED_FLAGS.join(' ')}; ${context.quick ? 1 : context.repetitions} samples per side after one untimed round, sides alternating.`,
        'Heap growth (process.memoryUsage().heapUsed after two forced GCs) per series; includes the registry and metric objects, amortised over the series.',
        'Label value strings are created before the baseline and shared by both sides, so they are not counted. prom-client keeps the first labels object passed for each series; that object is counted, as it is in real use.',
        '"after one scrape": the scrape output is dropped before measuring; what remains is what the scrape cached.',
      ],
    };
  },
};
