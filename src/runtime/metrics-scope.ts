/**
 * The `.metrics` of every hierarchy level: creating metrics that carry the level's auto labels, the
 * combined exposition of the level, and callback registration. Names go through
 * `buildComponentMetricName` (`dynamo_component_` prefix) whatever the level, as upstream.
 *
 * Creating a metric that already exists on the level with an identical descriptor returns the existing
 * one (so code that sets up an endpoint twice does not fail); a different descriptor under the same name
 * and labels is an `AlreadyRegisteredError` carrying the registered metric.
 */
import { Counter, CounterVec, IntCounter, IntCounterVec } from '../core/counter.js';
import type { MetricOptions } from '../core/descriptor.js';
import { InvalidNameError } from '../core/errors.js';
import { Gauge, GaugeVec, IntGauge, IntGaugeVec } from '../core/gauge.js';
import { Histogram, HistogramVec } from '../core/histogram.js';
import type { Metric } from '../core/metric.js';
import { TEXT_FORMAT, writeExposition } from '../expfmt/format.js';
import { AUTO_LABELS } from '../names/labels.js';
import { buildComponentMetricName } from '../names/sanitize.js';
import type { ExpfmtCallback, MetricsRegistry, UpdateCallback } from './metrics-registry.js';

/** Const labels as an object, or as name/value pairs (in which a repeated name is an error, as upstream). */
export type ConstLabels = Readonly<Record<string, string>> | readonly (readonly [string, string])[];

/** Options of `create*` besides name, help and label names. */
export interface CreateOptions {
  readonly constLabels?: ConstLabels;
  /** OpenMetrics unit; the full name must end in `_<unit>`. */
  readonly unit?: string;
  /** Series limit of a Vec; see `MetricOptions.maxSeries`. */
  readonly maxSeries?: number;
}

export interface HistogramCreateOptions extends CreateOptions {
  /** Bucket upper bounds; default Prometheus's `0.005 … 10`. */
  readonly buckets?: readonly number[];
}

/** What a scope needs from its level. */
export interface ScopeOwner {
  readonly metricsRegistry: MetricsRegistry;
  /** Auto labels of the level: `dynamo_namespace`, `dynamo_component`, `dynamo_endpoint`, `worker_id` as applicable. */
  readonly autoLabels: Readonly<Record<string, string>>;
  /** The combined scrape of this level and everything below it. */
  scrapeFamilies(): Promise<import('../core/model.js').MetricFamily[]>;
}

function constLabelObject(labels: ConstLabels | undefined): Record<string, string> {
  if (labels === undefined) return {};
  if (!Array.isArray(labels)) return { ...(labels as Record<string, string>) };
  const out: Record<string, string> = {};
  for (const [key, value] of labels as readonly (readonly [string, string])[]) {
    if (Object.hasOwn(out, key)) throw new InvalidNameError(`Duplicate label key '${key}' found in labels`);
    out[key] = value;
  }
  return out;
}

function checkReserved(names: Iterable<string>): void {
  for (const key of names) {
    if (AUTO_LABELS.includes(key)) {
      throw new InvalidNameError(
        `Label '${key}' is automatically added by auto-label injection and cannot be manually set`,
      );
    }
  }
}

export class MetricsScope {
  constructor(private readonly owner: ScopeOwner) {}

  createCounter(name: string, help: string, options?: CreateOptions): Counter {
    return this.#create(Counter, name, help, undefined, options);
  }

  createCounterVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    options?: CreateOptions,
  ): CounterVec<L> {
    return this.#create(CounterVec, name, help, labelNames, options) as CounterVec<L>;
  }

  createIntCounter(name: string, help: string, options?: CreateOptions): IntCounter {
    return this.#create(IntCounter, name, help, undefined, options);
  }

  createIntCounterVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    options?: CreateOptions,
  ): IntCounterVec<L> {
    return this.#create(IntCounterVec, name, help, labelNames, options) as IntCounterVec<L>;
  }

  createGauge(name: string, help: string, options?: CreateOptions): Gauge {
    return this.#create(Gauge, name, help, undefined, options);
  }

  createGaugeVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    options?: CreateOptions,
  ): GaugeVec<L> {
    return this.#create(GaugeVec, name, help, labelNames, options) as GaugeVec<L>;
  }

  createIntGauge(name: string, help: string, options?: CreateOptions): IntGauge {
    return this.#create(IntGauge, name, help, undefined, options);
  }

  createIntGaugeVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    options?: CreateOptions,
  ): IntGaugeVec<L> {
    return this.#create(IntGaugeVec, name, help, labelNames, options) as IntGaugeVec<L>;
  }

  createHistogram(name: string, help: string, options?: HistogramCreateOptions): Histogram {
    return this.#create(Histogram, name, help, undefined, options);
  }

  createHistogramVec<const L extends readonly string[]>(
    name: string,
    help: string,
    labelNames: L,
    options?: HistogramCreateOptions,
  ): HistogramVec<L> {
    return this.#create(HistogramVec, name, help, labelNames, options) as HistogramVec<L>;
  }

  /** The text exposition (format 0.0.4) of this level and everything below it. */
  async prometheusExpfmt(): Promise<string> {
    return writeExposition(await this.owner.scrapeFamilies(), TEXT_FORMAT);
  }

  /** Runs `fn` before every scrape that includes this level (sync or async; bounded by the callback timeout). */
  registerUpdateCallback(fn: UpdateCallback, name?: string): void {
    this.owner.metricsRegistry.addUpdateCallback(fn, name);
  }

  /**
   * Merges the exposition text `fn` returns (text 0.0.4, or OpenMetrics ending in `# EOF`) into every scrape
   * that includes this level. Text that fails to parse is dropped and counted; the rest of the scrape stays.
   */
  registerExpfmtCallback(fn: ExpfmtCallback, name?: string): void {
    this.owner.metricsRegistry.addExpfmtCallback(fn, name);
  }

  /** The one generic creation path behind every `create*` method. */
  #create<M extends Metric>(
    metricClass: new (options: never) => M,
    name: string,
    help: string,
    labelNames: readonly string[] | undefined,
    options: HistogramCreateOptions = {},
  ): M {
    const constLabels = constLabelObject(options.constLabels);
    checkReserved(Object.keys(constLabels));
    checkReserved(labelNames ?? []);
    const fullName = buildComponentMetricName(name);
    const metricOptions = {
      name: fullName,
      help,
      constLabels: { ...this.owner.autoLabels, ...constLabels },
      ...(labelNames === undefined ? {} : { labelNames }),
      ...(options.buckets === undefined ? {} : { buckets: options.buckets }),
      ...(options.unit === undefined ? {} : { unit: options.unit }),
      ...(options.maxSeries === undefined ? {} : { maxSeries: options.maxSeries }),
    };
    const construct = metricClass as unknown as new (o: MetricOptions & { buckets?: readonly number[] }) => M;
    return this.owner.metricsRegistry.registry.getOrCreate(construct, metricOptions);
  }
}
