/**
 * The runtime workload of the `runtime` suite: a DistributedRuntime with namespaces x components x
 * endpoints, each endpoint holding the same dozen metric names over ten label sets (as every endpoint of a
 * fleet exposes the same metrics), plus one exposition-text callback returning an engine's metrics; and
 * the flat baseline that writes the very same series from one `Registry`.
 */
import {
  type CounterVec,
  DistributedRuntime,
  type Endpoint,
  type ExpositionFormat,
  type GaugeVec,
  type HistogramVec,
  type MetricFamily,
  parseExposition,
  Registry,
  writeExposition,
} from '../src/index.js';
import { observations } from './fixtures.js';

export interface TreeShape {
  readonly namespaces: number;
  readonly components: number;
  readonly endpoints: number;
  /** Label sets per metric (the metrics per endpoint are fixed: {@link METRICS_PER_ENDPOINT}). */
  readonly labelSets: number;
}

/** Eight counters, two gauges and two histograms per endpoint, the mix of Dynamo's work-handler metrics. */
export const METRICS_PER_ENDPOINT = { counters: 8, gauges: 2, histograms: 2 } as const;

const LABEL_NAMES = ['model', 'status'] as const;

/** `count` label sets on `model` x `status`: 2 statuses per model. */
function labelSets(count: number): (readonly [string, string])[] {
  const out: (readonly [string, string])[] = [];
  for (let i = 0; i < count; i++) out.push([`model-${i >> 1}`, i % 2 === 0 ? 'ok' : 'error']);
  return out;
}

function populateEndpoint(
  endpoint: Endpoint,
  sets: readonly (readonly [string, string])[],
  seed: number,
): void {
  const m = endpoint.metrics;
  const values = observations(1024, seed);
  let k = 0;
  const counters: CounterVec<typeof LABEL_NAMES>[] = [];
  for (let i = 0; i < METRICS_PER_ENDPOINT.counters; i++)
    counters.push(m.createCounterVec(`bench_events_${i}_total`, `Events of kind ${i}.`, LABEL_NAMES));
  const gauges: GaugeVec<typeof LABEL_NAMES>[] = [];
  for (let i = 0; i < METRICS_PER_ENDPOINT.gauges; i++)
    gauges.push(m.createGaugeVec(`bench_level_${i}`, `Level of kind ${i}.`, LABEL_NAMES));
  const histograms: HistogramVec<typeof LABEL_NAMES>[] = [];
  for (let i = 0; i < METRICS_PER_ENDPOINT.histograms; i++)
    histograms.push(
      m.createHistogramVec(`bench_duration_${i}_seconds`, `Duration of kind ${i}.`, LABEL_NAMES),
    );
  for (const [model, status] of sets) {
    for (const c of counters) c.labels(model, status).inc(Math.round(values[k++ & 1023] * 1000));
    for (const g of gauges) g.labels(model, status).set(values[k++ & 1023]);
    for (const h of histograms) {
      const child = h.labels(model, status);
      for (let o = 0; o < 8; o++) child.observe(values[k++ & 1023]);
    }
  }
}

export interface RuntimeTree {
  readonly runtime: DistributedRuntime;
  /** The endpoint that carries the exposition-text callback. */
  readonly callbackEndpoint: Endpoint;
  /** Series created on the endpoints (the runtime's own metrics and the callback's come on top). */
  readonly endpointSeries: number;
}

/**
 * Builds the runtime. `callbackText`, when given, is returned by an exposition-text callback on the first
 * endpoint: one engine per worker process, the way a Dynamo worker bridges its engine's metrics.
 */
export function buildRuntimeTree(shape: TreeShape, callbackText?: string): RuntimeTree {
  const runtime = new DistributedRuntime({ instanceId: 0x694d9d78249cbd10n, systemServer: false, env: {} });
  const sets = labelSets(shape.labelSets);
  let first: Endpoint | undefined;
  let seed = 1;
  for (let n = 0; n < shape.namespaces; n++) {
    const namespace = runtime.namespace(`ns${n}`);
    for (let c = 0; c < shape.components; c++) {
      const component = namespace.component(`component${c}`);
      for (let e = 0; e < shape.endpoints; e++) {
        const endpoint = component.endpoint(`endpoint${e}`);
        populateEndpoint(endpoint, sets, seed++);
        first ??= endpoint;
      }
    }
  }
  if (first === undefined) throw new Error('buildRuntimeTree: the shape has no endpoint');
  if (callbackText !== undefined) first.metrics.registerExpfmtCallback(() => callbackText, 'engine text');
  const perEndpoint =
    METRICS_PER_ENDPOINT.counters + METRICS_PER_ENDPOINT.gauges + METRICS_PER_ENDPOINT.histograms;
  return {
    runtime,
    callbackEndpoint: first,
    endpointSeries: shape.namespaces * shape.components * shape.endpoints * perEndpoint * shape.labelSets,
  };
}

/** The runtime's full scrape: tree walk, callbacks, parse, merge and write. */
export async function runtimeScrape(tree: RuntimeTree, format: ExpositionFormat): Promise<string> {
  return writeExposition(await tree.runtime.scrapeFamilies(), format);
}

/** The flat baseline of a runtime tree; see {@link flatBaseline}. */
export interface FlatBaseline {
  /** The families in name order. */
  families(): MetricFamily[];
  write(format: ExpositionFormat): string;
}

/**
 * The flat baseline: every metric of every level of the runtime registered in one `Registry` (the same
 * metric objects, so the same families, const labels and live values), and the callback text parsed once
 * up front. A scrape gathers the registry and writes it together with the pre-parsed families, in name
 * order: no tree, no callbacks, no parsing, no merge checks.
 */
export function flatBaseline(tree: RuntimeTree, callbackText?: string): FlatBaseline {
  const registry = new Registry();
  for (const level of tree.runtime.metricsRegistry.walk()) {
    for (const metric of level.registry.metrics()) registry.register(metric);
  }
  const parsed = callbackText === undefined ? [] : parseExposition(callbackText);
  parsed.sort((x, y) => (x.name < y.name ? -1 : 1));
  const families = () => [...interleaveByName(registry.gather(), parsed)];
  return {
    families,
    write: (format) => writeExposition(interleaveByName(registry.gather(), parsed), format),
  };
}

/** Two name-sorted family lists as one, in name order (the names of the two lists are disjoint). */
function* interleaveByName(a: readonly MetricFamily[], b: readonly MetricFamily[]): Generator<MetricFamily> {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].name < b[j].name)) yield a[i++];
    else yield b[j++];
  }
}
