/**
 * Workloads built the same way for both libraries: label sets, families of counters and histograms with
 * identical names, label values and recorded values, and the scrape functions that expose them. Label
 * value strings are created once and shared by both sides, so memory deltas never count them.
 */
import promClient from 'prom-client';
import {
  CounterVec,
  HistogramVec,
  OPENMETRICS_FORMAT,
  Registry,
  TEXT_FORMAT,
  writeExposition,
} from '../src/index.js';
import type { Scrape } from './harness.js';

export type PromRegistry = InstanceType<typeof promClient.Registry>;

/** Dynamo's hierarchy labels as they appear on a worker's metrics (namespace, component, endpoint, worker). */
export const HIERARCHY_LABELS: Readonly<Record<string, string>> = Object.freeze({
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  worker_id: '694d9d78249cbd10',
});

/** A deterministic PRNG (mulberry32), so both libraries see the same values on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` observations, log-uniform between 1 ms and 20 s, so they land in every default bucket; the
 * length is a power of two so loops can index with a mask.
 */
export function observations(count = 1024, seed = 42): Float64Array {
  const next = prng(seed);
  const out = new Float64Array(count);
  const lo = Math.log(0.001);
  const hi = Math.log(20);
  for (let i = 0; i < count; i++) out[i] = Math.exp(lo + (hi - lo) * next());
  return out;
}

/** A label set of the two-label workloads. */
export interface LabelPair {
  readonly a: string;
  readonly b: string;
}

/**
 * `count` distinct label sets on labels `a` and `b`, laid out as a near-square grid (100 sets: 10 values
 * of `a` times 10 of `b`), which is how real label sets multiply. `distinct` gives every set its own `a`
 * instead, the worst shape for a label tree.
 */
export function labelPairs(count: number, shape: 'grid' | 'distinct' = 'grid'): LabelPair[] {
  const width = shape === 'grid' ? Math.ceil(Math.sqrt(count)) : count;
  const out: LabelPair[] = [];
  for (let j = 0; j < count; j++) {
    out.push({ a: `value_${Math.floor(j / width)}`, b: `value_${j % width}` });
  }
  return out;
}

function pad(i: number): string {
  return String(i).padStart(3, '0');
}

export function counterName(family: number): string {
  return `bench_requests_${pad(family)}_total`;
}

export function histogramName(family: number): string {
  return `bench_duration_${pad(family)}_seconds`;
}

/** The increment of series `j` of family `i`: integers spread over 1..97. */
function counterValue(i: number, j: number): number {
  return ((i * 31 + j * 7) % 97) + 1;
}

export interface CounterShape {
  readonly families: number;
  readonly pairs: readonly LabelPair[];
}

export interface HistogramShape extends CounterShape {
  /** Observations recorded into each series. */
  readonly observationsPerSeries: number;
}

// ---------------------------------------------------------------------------------------------------------
// dynametrics

export function dynCounters(shape: CounterShape, constLabels?: Readonly<Record<string, string>>): Registry {
  const registry = new Registry();
  for (let i = 0; i < shape.families; i++) {
    const vec = registry.register(
      new CounterVec({
        name: counterName(i),
        help: `Requests of family ${i}.`,
        labelNames: ['a', 'b'],
        constLabels,
      }),
    );
    shape.pairs.forEach((p, j) => {
      vec.labels(p.a, p.b).inc(counterValue(i, j));
    });
  }
  return registry;
}

export function dynHistograms(
  shape: HistogramShape,
  constLabels?: Readonly<Record<string, string>>,
): Registry {
  const registry = new Registry();
  const values = observations();
  let k = 0;
  for (let i = 0; i < shape.families; i++) {
    const vec = registry.register(
      new HistogramVec({
        name: histogramName(i),
        help: `Durations of family ${i}.`,
        labelNames: ['a', 'b'],
        constLabels,
      }),
    );
    for (const p of shape.pairs) {
      const child = vec.labels(p.a, p.b);
      for (let o = 0; o < shape.observationsPerSeries; o++) child.observe(values[k++ & 1023]);
    }
  }
  return registry;
}

export function dynScrapeText(registry: Registry): Scrape {
  return () => writeExposition(registry.gather(), TEXT_FORMAT);
}

export function dynScrapeOpenMetrics(registry: Registry): Scrape {
  return () => writeExposition(registry.gather(), OPENMETRICS_FORMAT);
}

// ---------------------------------------------------------------------------------------------------------
// prom-client 15

export interface PromOptions {
  /** Registry default labels: prom-client's way to put the hierarchy labels on every series. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  readonly openMetrics?: boolean;
}

function promRegistry(options: PromOptions): PromRegistry {
  const registry = new promClient.Registry();
  if (options.openMetrics === true) {
    // The typings bind the content type to the registry's type parameter; the runtime takes either.
    (registry as unknown as { setContentType(type: string): void }).setContentType(
      promClient.Registry.OPENMETRICS_CONTENT_TYPE,
    );
  }
  if (options.defaultLabels !== undefined) registry.setDefaultLabels({ ...options.defaultLabels });
  return registry;
}

export function promCounters(shape: CounterShape, options: PromOptions = {}): PromRegistry {
  const registry = promRegistry(options);
  for (let i = 0; i < shape.families; i++) {
    const counter = new promClient.Counter({
      name: counterName(i),
      help: `Requests of family ${i}.`,
      labelNames: ['a', 'b'],
      registers: [registry],
    });
    shape.pairs.forEach((p, j) => {
      counter.inc({ a: p.a, b: p.b }, counterValue(i, j));
    });
  }
  return registry;
}

export function promHistograms(shape: HistogramShape, options: PromOptions = {}): PromRegistry {
  const registry = promRegistry(options);
  const values = observations();
  let k = 0;
  for (let i = 0; i < shape.families; i++) {
    const histogram = new promClient.Histogram({
      name: histogramName(i),
      help: `Durations of family ${i}.`,
      labelNames: ['a', 'b'],
      registers: [registry],
    });
    for (const p of shape.pairs) {
      const labels = { a: p.a, b: p.b };
      for (let o = 0; o < shape.observationsPerSeries; o++) histogram.observe(labels, values[k++ & 1023]);
    }
  }
  return registry;
}

export function promScrape(registry: PromRegistry): Scrape {
  return () => registry.metrics();
}

/** Lines of an exposition (excluding a final empty line). */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') || text.length === 0 ? n : n + 1;
}
