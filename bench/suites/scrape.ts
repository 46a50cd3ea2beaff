/**
 * Scrape paths: the reference's cases e1, e1j, e1d, e1o and e2 for both libraries, the Dynamo-shaped
 * variants (4 hierarchy labels: const labels in dynametrics, registry default labels in prom-client),
 * output and gzip sizes, the plain-JS floor r5, and the event-loop check on a 100k-series scrape.
 *
 * A dynametrics scrape is `writeExposition(registry.gather(), format)`; a prom-client scrape is
 * `await registry.metrics()`. Every timed scrape is preceded by a forced GC.
 */
import { gzipSync } from 'node:zlib';
import {
  type CounterShape,
  counterName,
  dynCounters,
  dynHistograms,
  dynScrapeOpenMetrics,
  dynScrapeText,
  HIERARCHY_LABELS,
  type HistogramShape,
  labelPairs,
  lineCount,
  promCounters,
  promHistograms,
  promScrape,
} from '../fixtures.js';
import {
  checkEventLoop,
  compareScrapes,
  type Scrape,
  type ScrapeStats,
  type Stats,
  summarize,
  timeRepeated,
} from '../harness.js';
import {
  atLeast,
  type ResultRow,
  row,
  type Suite,
  type SuiteContext,
  single,
  type Target,
} from '../suite.js';

const COUNTERS: CounterShape = { families: 100, pairs: labelPairs(100) };
const HISTOGRAMS: HistogramShape = { families: 10, pairs: labelPairs(100), observationsPerSeries: 8 };

interface OutputFacts {
  readonly bytes: number;
  readonly lines: number;
  readonly gzipBytes: number;
  readonly gzipMs: number;
}

function outputFacts(text: string, repetitions: number): OutputFacts {
  const buffer = Buffer.from(text, 'utf8');
  let gzipBytes = 0;
  const gzip: Stats = timeRepeated(() => {
    const z = gzipSync(buffer);
    gzipBytes = z.length;
    return z;
  }, repetitions);
  return { bytes: buffer.length, lines: lineCount(text), gzipBytes, gzipMs: gzip.median };
}

function describe(side: string, f: OutputFacts): string {
  return `${side}: ${f.bytes.toLocaleString('en-US')} B, ${f.lines.toLocaleString('en-US')} lines; gzip ${f.gzipBytes.toLocaleString('en-US')} B in ${f.gzipMs.toFixed(2)} ms`;
}

interface ScrapeRowSpec {
  readonly id: string;
  readonly title: string;
  readonly dyn: ScrapeStats;
  readonly prom: ScrapeStats;
  readonly floor?: Stats;
  readonly target?: Target;
  readonly code: { dynametrics: string; promClient: string; floor?: string };
}

/** A timing row plus, when `sizes` is set, size rows (`<id>:bytes`, `<id>:gzip`) for the two outputs. */
function scrapeRows(spec: ScrapeRowSpec, context: SuiteContext, sizes: boolean): ResultRow[] {
  const gzipReps = context.quick ? 1 : 5;
  const d = outputFacts(spec.dyn.output, gzipReps);
  const p = outputFacts(spec.prom.output, gzipReps);
  const rows: ResultRow[] = [
    row({
      id: spec.id,
      title: spec.title,
      unit: 'ms/scrape',
      code: spec.code,
      dynametrics: stripOutput(spec.dyn),
      promClient: stripOutput(spec.prom),
      floor: spec.floor,
      target: spec.target,
      notes: [describe('dynametrics', d), describe('prom-client', p)],
      details: { dynametricsOutput: d, promClientOutput: p },
    }),
  ];
  if (sizes) {
    rows.push(
      row({
        id: `${spec.id}:bytes`,
        title: `${spec.title}: output size`,
        unit: 'bytes',
        dynametrics: single(d.bytes),
        promClient: single(p.bytes),
      }),
      row({
        id: `${spec.id}:gzip`,
        title: `${spec.title}: gzip size`,
        unit: 'bytes',
        dynametrics: single(d.gzipBytes),
        promClient: single(p.gzipBytes),
      }),
    );
  }
  return rows;
}

function stripOutput(s: ScrapeStats): Stats {
  const { output: _output, ...stats } = s;
  return stats;
}

/**
 * r5: 10k series text from per-series cached `name{labels} ` prefixes (hierarchy labels included), joined
 * with the current values. Plain JS, not a library: the floor of a text scrape.
 */
function r5Floor(shape: CounterShape): Scrape {
  const hier = Object.entries(HIERARCHY_LABELS)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const families: { header: string; prefixes: string[]; values: number[] }[] = [];
  for (let i = 0; i < shape.families; i++) {
    const name = counterName(i);
    families.push({
      header: `# HELP ${name} Requests of family ${i}.\n# TYPE ${name} counter\n`,
      prefixes: shape.pairs.map((p) => `${name}{a="${p.a}",b="${p.b}",${hier}} `),
      values: shape.pairs.map((_, j) => ((i * 31 + j * 7) % 97) + 1),
    });
  }
  return () => {
    let out = '';
    for (const f of families) {
      out += f.header;
      for (let j = 0; j < f.prefixes.length; j++) out += `${f.prefixes[j]}${f.values[j]}\n`;
    }
    return out;
  };
}

export const scrapeSuite: Suite = {
  name: 'scrape',
  title: 'Scrape paths (ms/scrape)',
  async run(context) {
    const options = { repetitions: context.repetitions * 2, warmup: context.quick ? 1 : 3 };
    const rows: ResultRow[] = [];
    const notes: string[] = [
      `${options.warmup} warm-up scrapes per side, then ${options.repetitions} timed scrapes per side, each after a forced GC; sides rotated every round.`,
      'dynametrics: writeExposition(registry.gather(), format); prom-client: await registry.metrics().',
      'Hierarchy labels: dynametrics const labels on every metric; prom-client registry default labels (its only equivalent).',
      'gzip: zlib.gzipSync of the output at the default level, median time.',
    ];

    // e1 / e1d / e1c: 100 counters x 100 label sets, with and without the hierarchy labels, in one
    // interleaved run so the three ratios share their noise.
    {
      context.log('scrape: (e1, e1d, e1c) 100 counters x 100 label sets');
      const dynPlain = dynCounters(COUNTERS);
      const dynHier = dynCounters(COUNTERS, HIERARCHY_LABELS);
      const promPlain = promCounters(COUNTERS);
      const promHier = promCounters(COUNTERS, { defaultLabels: HIERARCHY_LABELS });
      const s = await compareScrapes(
        {
          dynPlain: dynScrapeText(dynPlain),
          dynHier: dynScrapeText(dynHier),
          promPlain: promScrape(promPlain),
          promHier: promScrape(promHier),
          floor: r5Floor(COUNTERS),
        },
        options,
      );
      rows.push(
        ...scrapeRows(
          {
            id: 'e1',
            title: '100 counters x 100 label sets (10k series), text',
            dyn: s.dynPlain,
            prom: s.promPlain,
            code: { dynametrics: '2 labels', promClient: '2 labels' },
          },
          context,
          true,
        ),
        ...scrapeRows(
          {
            id: 'e1d',
            title: '10k counter series + 4 hierarchy labels, text',
            dyn: s.dynHier,
            prom: s.promHier,
            floor: stripOutput(s.floor),
            target: atLeast(10),
            code: {
              dynametrics: '2 labels + 4 const labels',
              promClient: '2 labels + 4 registry default labels',
              floor: 'r5 cached per-series prefixes joined with values',
            },
          },
          context,
          true,
        ),
        ...scrapeRows(
          {
            id: 'e1c',
            title: '10k counter series: dynametrics with 4 hierarchy labels vs prom-client with none',
            dyn: s.dynHier,
            prom: s.promPlain,
            target: atLeast(3),
            code: { dynametrics: '2 labels + 4 const labels', promClient: '2 labels, no default labels' },
          },
          context,
          false,
        ),
      );

      context.log('scrape: (e1j) gather only');
      const j = await compareScrapes(
        {
          dyn: () => {
            const families = dynPlain.gather();
            return String(families.length);
          },
          prom: async () => {
            const json = await promPlain.getMetricsAsJSON();
            return String(json.length);
          },
        },
        options,
      );
      rows.push(
        row({
          id: 'e1j',
          title: '10k counter series, structured gather only (no text)',
          unit: 'ms/scrape',
          code: { dynametrics: 'registry.gather()', promClient: 'await registry.getMetricsAsJSON()' },
          dynametrics: stripOutput(j.dyn),
          promClient: stripOutput(j.prom),
          notes: [
            'dynametrics gather() returns the families cached by each metric unless a series was added or removed; values are read live by the writer.',
          ],
        }),
      );
    }

    // e1o / e1do: the same counters in OpenMetrics.
    {
      context.log('scrape: (e1o, e1do) OpenMetrics');
      const dynPlain = dynCounters(COUNTERS);
      const dynHier = dynCounters(COUNTERS, HIERARCHY_LABELS);
      const promPlain = promCounters(COUNTERS, { openMetrics: true });
      const promHier = promCounters(COUNTERS, { openMetrics: true, defaultLabels: HIERARCHY_LABELS });
      const s = await compareScrapes(
        {
          dynPlain: dynScrapeOpenMetrics(dynPlain),
          dynHier: dynScrapeOpenMetrics(dynHier),
          promPlain: promScrape(promPlain),
          promHier: promScrape(promHier),
        },
        options,
      );
      rows.push(
        ...scrapeRows(
          {
            id: 'e1o',
            title: '10k counter series, OpenMetrics',
            dyn: s.dynPlain,
            prom: s.promPlain,
            code: { dynametrics: '2 labels', promClient: '2 labels' },
          },
          context,
          true,
        ),
        ...scrapeRows(
          {
            id: 'e1do',
            title: '10k counter series + 4 hierarchy labels, OpenMetrics',
            dyn: s.dynHier,
            prom: s.promHier,
            code: {
              dynametrics: '2 labels + 4 const labels',
              promClient: '2 labels + 4 registry default labels',
            },
          },
          context,
          false,
        ),
      );
    }

    // e2 / e2d / e2o: 10 histograms x 100 label sets, default buckets.
    {
      context.log('scrape: (e2, e2d, e2o) 10 histograms x 100 label sets');
      const dynPlain = dynHistograms(HISTOGRAMS);
      const dynHier = dynHistograms(HISTOGRAMS, HIERARCHY_LABELS);
      const promPlain = promHistograms(HISTOGRAMS);
      const promHier = promHistograms(HISTOGRAMS, { defaultLabels: HIERARCHY_LABELS });
      const s = await compareScrapes(
        {
          dynPlain: dynScrapeText(dynPlain),
          dynHier: dynScrapeText(dynHier),
          promPlain: promScrape(promPlain),
          promHier: promScrape(promHier),
        },
        options,
      );
      rows.push(
        ...scrapeRows(
          {
            id: 'e2',
            title: '10 histograms x 100 label sets (1k series), default buckets, text',
            dyn: s.dynPlain,
            prom: s.promPlain,
            target: atLeast(4),
            code: { dynametrics: '2 labels', promClient: '2 labels' },
          },
          context,
          true,
        ),
        ...scrapeRows(
          {
            id: 'e2d',
            title: '1k histogram series + 4 hierarchy labels, text',
            dyn: s.dynHier,
            prom: s.promHier,
            code: {
              dynametrics: '2 labels + 4 const labels',
              promClient: '2 labels + 4 registry default labels',
            },
          },
          context,
          false,
        ),
      );
      const promOm = promHistograms(HISTOGRAMS, { openMetrics: true });
      const o = await compareScrapes(
        { dyn: dynScrapeOpenMetrics(dynPlain), prom: promScrape(promOm) },
        options,
      );
      rows.push(
        ...scrapeRows(
          {
            id: 'e2o',
            title: '1k histogram series, OpenMetrics',
            dyn: o.dyn,
            prom: o.prom,
            code: { dynametrics: '2 labels', promClient: '2 labels' },
          },
          context,
          false,
        ),
      );
    }

    // Event loop: 100 counters x 1000 label sets (100k series) with the hierarchy labels.
    {
      context.log('scrape: (el) event loop during a 100k-series scrape');
      const shape: CounterShape = { families: 100, pairs: labelPairs(1000) };
      const dyn = dynCounters(shape, HIERARCHY_LABELS);
      const prom = promCounters(shape, { defaultLabels: HIERARCHY_LABELS });
      const scrapeDyn = dynScrapeText(dyn);
      const scrapePromFn = promScrape(prom);
      await scrapeDyn();
      await scrapePromFn();
      const runs = context.quick ? 1 : 3;
      const dynChecks = [];
      const promChecks = [];
      for (let r = 0; r < runs; r++) {
        dynChecks.push(await checkEventLoop(scrapeDyn));
        promChecks.push(await checkEventLoop(scrapePromFn));
      }
      const fired = (cs: { immediateFiredDuringScrape: boolean }[]) =>
        cs.filter((c) => c.immediateFiredDuringScrape).length;
      const held = (cs: { immediateDelayMs: number }[]) =>
        summarize(cs.map((c) => c.immediateDelayMs)).median;
      rows.push(
        row({
          id: 'el',
          title: '100k counter series + 4 hierarchy labels: scrape, and does a setImmediate fire during it?',
          unit: 'ms/scrape',
          code: {
            dynametrics: 'setImmediate(cb); writeExposition(registry.gather())',
            promClient: 'setImmediate(cb); await registry.metrics()',
          },
          dynametrics: summarize(dynChecks.map((c) => c.scrapeMs)),
          promClient: summarize(promChecks.map((c) => c.scrapeMs)),
          notes: [
            `dynametrics: setImmediate fired during the scrape in ${fired(dynChecks)}/${runs} runs; event loop held ${held(dynChecks).toFixed(1)} ms (median); ${dynChecks[0].output.length.toLocaleString('en-US')} chars`,
            `prom-client: setImmediate fired during the scrape in ${fired(promChecks)}/${runs} runs; event loop held ${held(promChecks).toFixed(1)} ms (median); ${promChecks[0].output.length.toLocaleString('en-US')} chars`,
          ],
          details: {
            dynametrics: dynChecks.map(({ output: _o, ...c }) => c),
            promClient: promChecks.map(({ output: _o, ...c }) => c),
          },
        }),
      );
    }

    return { suite: 'scrape', title: this.title, rows, notes };
  },
};
