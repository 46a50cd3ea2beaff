/**
 * The runtime's combined scrape against the same series written from one flat registry (issue 3): a
 * runtime of 4 namespaces x 4 components x 4 endpoints, each endpoint with 12 metrics x 10 label sets,
 * and a 200 KB exposition-text callback (vLLM's metrics) on one endpoint. The runtime side is the whole
 * scrape: tree walk, update callbacks, gather, callback run and parse, merge, write. The baseline registers
 * the same metric objects in one `Registry` and has the callback's families parsed beforehand, so it only
 * gathers and writes. Both outputs are checked to be identical before anything is timed.
 */
import { type ExpositionFormat, OPENMETRICS_FORMAT, TEXT_FORMAT, writeExposition } from '../../src/index.js';
import { byteLength, vllmExposition } from '../engine-payloads.js';
import { lineCount } from '../fixtures.js';
import { compareScrapes, type ScrapeStats, type Stats } from '../harness.js';
import {
  buildRuntimeTree,
  type FlatBaseline,
  flatBaseline,
  type RuntimeTree,
  runtimeScrape,
  type TreeShape,
} from '../runtime-tree.js';
import { atMostTimes, type ResultRow, row, type Suite, single } from '../suite.js';

const SHAPE: TreeShape = { namespaces: 4, components: 4, endpoints: 4, labelSets: 10 };
const CALLBACK_BYTES = 200_000;
const MAX_OVERHEAD = atMostTimes(1.5);
const METRICS_TEXT =
  '8 counters, 2 gauges, 2 histograms (default buckets, 8 observations per series) on labels model x status';

function stats(s: ScrapeStats): Stats {
  const { output: _output, ...rest } = s;
  return rest;
}

/**
 * Throws unless the two scrapes wrote the same lines: the comparison is only fair on identical output. The
 * order of series inside a family differs (the runtime keeps registry-walk order, as reference spec §3
 * says; one registry sorts by label values), so the lines are compared as sorted lists.
 */
function checkSameOutput(what: string, runtime: string, flat: string): void {
  const a = runtime.split('\n').sort();
  const b = flat.split('\n').sort();
  const i = a.findIndex((line, k) => line !== b[k]);
  if (i < 0 && a.length === b.length) return;
  throw new Error(
    `runtime bench: ${what}: the runtime and the flat registry wrote different lines: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`,
  );
}

interface Pair {
  readonly runtime: () => Promise<string>;
  readonly flat: () => string;
}

function pairFor(tree: RuntimeTree, flat: FlatBaseline, format: ExpositionFormat): Pair {
  return { runtime: () => runtimeScrape(tree, format), flat: () => flat.write(format) };
}

export const runtimeSuite: Suite = {
  name: 'runtime',
  title: 'Runtime combined scrape vs one flat registry (ms/scrape)',
  async run(context) {
    const options = { repetitions: context.repetitions * 2, warmup: context.quick ? 1 : 3 };
    const engine = await vllmExposition(CALLBACK_BYTES);
    const callbackBytes = byteLength(engine.text);
    const tree = buildRuntimeTree(SHAPE, engine.text);
    const flat = flatBaseline(tree, engine.text);
    const bare = buildRuntimeTree(SHAPE);
    const bareFlat = flatBaseline(bare);
    const shapeText = `${SHAPE.namespaces} x ${SHAPE.components} x ${SHAPE.endpoints} endpoints x 12 metrics x ${SHAPE.labelSets} label sets (${tree.endpointSeries.toLocaleString('en-US')} series)`;
    const rows: ResultRow[] = [];

    const cases = [
      {
        id: 'rt',
        title: `${shapeText} + ${Math.round(callbackBytes / 1000)} KB callback, text`,
        pair: pairFor(tree, flat, TEXT_FORMAT),
        format: 'text',
      },
      {
        id: 'rt-om',
        title: `${shapeText} + ${Math.round(callbackBytes / 1000)} KB callback, OpenMetrics`,
        pair: pairFor(tree, flat, OPENMETRICS_FORMAT),
        format: 'openmetrics',
      },
      {
        id: 'rt-nocb',
        title: `${shapeText}, no callback, text`,
        pair: pairFor(bare, bareFlat, TEXT_FORMAT),
        format: 'text',
      },
    ];
    for (const c of cases) {
      context.log(`runtime: (${c.id}) ${c.title}`);
      // The uptime gauge is set by the runtime's scrape, so the flat write right after it reads the same value.
      checkSameOutput(c.id, await c.pair.runtime(), c.pair.flat());
      const s = await compareScrapes({ runtime: c.pair.runtime, flat: c.pair.flat }, options);
      const bytes = byteLength(s.runtime.output);
      rows.push(
        row({
          id: c.id,
          title: c.title,
          unit: 'ms/scrape',
          code: {
            dynametrics: `writeExposition(await runtime.scrapeFamilies(), ${c.format})`,
            baseline: `writeExposition(flat.gather() + pre-parsed callback families, ${c.format})`,
          },
          dynametrics: stats(s.runtime),
          baseline: stats(s.flat),
          target: MAX_OVERHEAD,
          notes: [
            `output ${bytes.toLocaleString('en-US')} B, ${lineCount(s.runtime.output).toLocaleString('en-US')} lines (the same lines on both sides)`,
          ],
          details: {
            outputBytes: bytes,
            shape: SHAPE,
            callbackBytes,
            callbackEngineCores: engine.engineCores,
          },
        }),
        row({
          id: `${c.id}:bytes`,
          title: `${c.title}: output size`,
          unit: 'bytes',
          dynametrics: single(bytes),
        }),
      );
    }

    context.log('runtime: (rt-gather) families only, no writing');
    const g = await compareScrapes(
      {
        runtime: async () => String((await tree.runtime.scrapeFamilies()).length),
        flat: () => String(flat.families().length),
      },
      options,
    );
    rows.push(
      row({
        id: 'rt-gather',
        title: `${shapeText} + callback: families only (tree walk, callbacks, parse, merge), no writing`,
        unit: 'ms/scrape',
        code: {
          dynametrics: 'await runtime.scrapeFamilies()',
          baseline: 'flat.gather() + pre-parsed families',
        },
        dynametrics: stats(g.runtime),
        baseline: stats(g.flat),
      }),
    );

    context.log('runtime: (rt-write) against the writer alone');
    const gathered = await tree.runtime.scrapeFamilies();
    const w = await compareScrapes(
      {
        runtime: () => runtimeScrape(tree, TEXT_FORMAT),
        write: () => writeExposition(gathered, TEXT_FORMAT),
      },
      options,
    );
    rows.push(
      row({
        id: 'rt-write',
        title: `${shapeText} + callback, text: full scrape vs writing its families gathered beforehand`,
        unit: 'ms/scrape',
        code: {
          dynametrics: 'writeExposition(await runtime.scrapeFamilies(), text)',
          baseline: 'writeExposition(families, text), families gathered once before timing',
        },
        dynametrics: stats(w.runtime),
        baseline: stats(w.write),
        notes: ['the strictest comparison: the baseline does no gathering, sorting or parsing at all'],
      }),
    );

    return {
      suite: 'runtime',
      title: this.title,
      rows,
      notes: [
        `${options.warmup} warm-up scrapes per side, then ${options.repetitions} timed scrapes per side, each after a forced GC; sides rotated every round.`,
        `Each endpoint: ${METRICS_TEXT}; the callback returns vLLM's exposition with ${engine.engineCores} engine cores (${callbackBytes.toLocaleString('en-US')} B, from scripts/generate-engine-fixtures.mjs) on one endpoint, as one engine per worker process.`,
        'Baseline: the same metric objects registered in one Registry, the callback text parsed once before timing; overhead = runtime / baseline (target <= 1.5x).',
      ],
    };
  },
};
