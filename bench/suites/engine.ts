/**
 * The engine-metrics pass-through (issue 4): how fast an engine's exposition goes through parse, filter,
 * relabel and merge, and what a 200 KB vLLM payload adds to a worker's scrape.
 *
 * Throughput rows time `endpoint.scrapeFamilies()` of an endpoint that holds the work-handler metrics and
 * an engine registered with `registerEngineMetricsCallback` (a function source returning the text, so no
 * I/O is timed): the exposition is parsed, filtered by prefix, labelled with the endpoint's auto labels
 * and the model, and merged with the endpoint's own families. MB/s is the input size over the median time.
 * The added-time rows scrape a whole worker runtime with and without the engine.
 */
import {
  DistributedRuntime,
  type Endpoint,
  type EngineMetricsOptions,
  type ExpositionFormat,
  OPENMETRICS_FORMAT,
  registerEngineMetricsCallback,
  TEXT_FORMAT,
  WorkHandlerMetrics,
  writeExposition,
} from '../../src/index.js';
import { byteLength, ENGINE_FIXTURES, readEngineFixture, vllmExposition } from '../engine-payloads.js';
import { compareScrapes, type ScrapeStats, type Stats } from '../harness.js';
import { atLeastMBps, type ResultRow, row, type Suite, type SuiteContext, single } from '../suite.js';

const LARGE_BYTES = 1024 * 1024;
const PAYLOAD_BYTES = 200_000;
const MODEL = 'meta-llama/Llama-3.1-70B-Instruct';

function stats(s: ScrapeStats): Stats {
  const { output: _output, ...rest } = s;
  return rest;
}

/** A worker's runtime: `dynamo/backend/generate` with the work-handler metrics after some traffic. */
function workerEndpoint(): Endpoint {
  const runtime = new DistributedRuntime({ instanceId: 0x694d9d78249cbd10n, systemServer: false, env: {} });
  const endpoint = runtime.namespace('dynamo').component('backend').endpoint('generate');
  const metrics = new WorkHandlerMetrics(endpoint, { model: MODEL, model_name: MODEL });
  for (let i = 0; i < 100; i++) {
    const request = metrics.begin(512 + i);
    request.sent(4096);
    request.end();
  }
  return endpoint;
}

function withEngine(text: string, options: EngineMetricsOptions): Endpoint {
  const endpoint = workerEndpoint();
  registerEngineMetricsCallback(endpoint, () => text, options);
  return endpoint;
}

interface ThroughputCase {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly options: EngineMetricsOptions;
  readonly target?: boolean;
}

async function throughputRow(c: ThroughputCase, context: SuiteContext): Promise<ResultRow> {
  const endpoint = withEngine(c.text, c.options);
  const families = await endpoint.scrapeFamilies();
  // A row that silently lost the engine (a failed callback is dropped, not thrown) would measure nothing.
  if (families.length < 10) throw new Error(`engine bench: ${c.id} kept only ${families.length} families`);
  const s = await compareScrapes(
    { engine: async () => String((await endpoint.scrapeFamilies()).length) },
    { repetitions: context.repetitions * 2, warmup: context.quick ? 1 : 3 },
  );
  const bytes = byteLength(c.text);
  return row({
    id: c.id,
    title: c.title,
    unit: 'ms',
    code: {
      dynametrics: `registerEngineMetricsCallback(endpoint, () => text, ${JSON.stringify(c.options)}); await endpoint.scrapeFamilies()`,
    },
    dynametrics: stats(s.engine),
    bytes,
    target: c.target === true ? atLeastMBps(50) : undefined,
    notes: [`${bytes.toLocaleString('en-US')} B in, ${families.length} families out`],
  });
}

function scrapeOf(endpoint: Endpoint, format: ExpositionFormat): () => Promise<string> {
  return async () => writeExposition(await endpoint.runtime.scrapeFamilies(), format);
}

/** A worker's scrape with and without a 200 KB vLLM engine, and the difference of the medians. */
async function addedRows(
  text: string,
  format: ExpositionFormat,
  context: SuiteContext,
): Promise<ResultRow[]> {
  const id = format === TEXT_FORMAT ? 'eng-added' : 'eng-added-om';
  const kb = Math.round(byteLength(text) / 1000);
  const title = `worker scrape with a ${kb} KB vLLM engine vs without, ${format.name}`;
  const s = await compareScrapes(
    {
      with: scrapeOf(withEngine(text, { metricPrefixFilters: ['vllm:'], modelName: MODEL }), format),
      without: scrapeOf(workerEndpoint(), format),
    },
    { repetitions: context.repetitions * 2, warmup: context.quick ? 1 : 3 },
  );
  const added = s.with.median - s.without.median;
  return [
    row({
      id,
      title,
      unit: 'ms/scrape',
      code: {
        dynametrics: 'worker runtime + registerEngineMetricsCallback(vLLM text)',
        baseline: 'the same worker runtime without the engine',
      },
      dynametrics: stats(s.with),
      baseline: stats(s.without),
      notes: [
        `added ${added.toFixed(2)} ms per scrape (medians; ${(s.with.min - s.without.min).toFixed(2)} ms from the minimums); output ${byteLength(s.with.output).toLocaleString('en-US')} B with the engine, ${byteLength(s.without.output).toLocaleString('en-US')} B without`,
      ],
    }),
    row({ id: `${id}:ms`, title: `${title}: added time`, unit: 'ms/scrape', dynametrics: single(added) }),
  ];
}

export const engineSuite: Suite = {
  name: 'engine',
  title: 'Engine metrics pass-through (ms, MB/s)',
  async run(context) {
    const rows: ResultRow[] = [];
    const large = await vllmExposition(LARGE_BYTES);
    const largeKb = Math.round(byteLength(large.text) / 1024);
    const cases: ThroughputCase[] = [
      {
        id: 'eng-1mb',
        title: `vLLM ${largeKb} KiB (${large.engineCores} engine cores): parse + filter vllm: + auto and model labels + merge`,
        text: large.text,
        options: { metricPrefixFilters: ['vllm:'], modelName: MODEL },
        target: true,
      },
      {
        id: 'eng-1mb-all',
        title: `vLLM ${largeKb} KiB: every option (exclude, filter, re-prefix, custom, model and auto labels)`,
        text: large.text,
        options: {
          excludePrefixes: ['vllm:cache_config_info'],
          metricPrefixFilters: ['vllm:'],
          addPrefix: 'dynamo_engine_',
          modelName: MODEL,
          customLabels: { cluster: 'us-east', dp_rank: '0' },
        },
        target: true,
      },
      ...ENGINE_FIXTURES.map((f) => ({
        id: `eng-${f.file.replace(/\.txt$/, '')}`,
        title: `${f.file}: parse + filter ${f.prefix} + auto and model labels + merge`,
        text: readEngineFixture(f.file),
        options: { metricPrefixFilters: [f.prefix], modelName: MODEL },
      })),
    ];
    for (const c of cases) {
      context.log(`engine: (${c.id}) ${c.title}`);
      rows.push(await throughputRow(c, context));
    }

    const payload = await vllmExposition(PAYLOAD_BYTES);
    for (const format of [TEXT_FORMAT, OPENMETRICS_FORMAT]) {
      context.log(
        `engine: added scrape time of a ${byteLength(payload.text)} B vLLM payload, ${format.name}`,
      );
      rows.push(...(await addedRows(payload.text, format, context)));
    }

    return {
      suite: 'engine',
      title: this.title,
      rows,
      notes: [
        'Each timed run after a forced GC; 3 warm-up runs first. MB/s = input bytes (10^6 per MB) / median time.',
        `Large payloads: vLLM's exposition from scripts/generate-engine-fixtures.mjs with ${large.engineCores} data-parallel engine cores (${byteLength(large.text).toLocaleString('en-US')} B) and ${payload.engineCores} (${byteLength(payload.text).toLocaleString('en-US')} B); the other rows use test/fixtures/engines/ as they are.`,
        'Worker runtime: dynamo/backend/generate with the work-handler metrics after 100 requests, plus the runtime self-metrics.',
      ],
    };
  },
};
