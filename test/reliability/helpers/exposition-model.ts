/**
 * An independent model of what a registry holds, kept by the exposition fuzz next to the real metrics: it
 * records into both, with its own arithmetic (in the same order, so float sums agree bit for bit), and
 * says what a scrape must parse back to and which sample lines it may contain. It reads nothing back
 * from the metrics under test except which registrations the registry accepted.
 */
import type { Metric } from '../../../src/core/metric.js';
import type { Label, MetricType } from '../../../src/core/model.js';
import type { ExpositionFormat } from '../../../src/expfmt/format.js';

/** How a metric records: counters add, Int counters add integers, gauges set, histograms observe. */
export type Operation = 'inc' | 'intInc' | 'set' | 'intSet' | 'observe';

/** Prometheus's default buckets, which every generated histogram uses. */
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MAX = Number.MAX_SAFE_INTEGER;

export interface ExpectedSeries {
  readonly labels: Label[];
  readonly value?: number;
  readonly upperBounds?: number[];
  readonly counts?: number[];
  readonly sum?: number;
  readonly count?: number;
}

export interface ExpectedFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly series: ExpectedSeries[];
}

interface ModelSeries {
  readonly labels: Label[];
  value: number;
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** The options a metric was created with. */
export interface CreatedMetric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly constLabels: Readonly<Record<string, string>>;
}

interface ModelMetric extends CreatedMetric {
  readonly operation: Operation;
  readonly series: Map<string, ModelSeries>;
}

export interface Amounts {
  readonly amount: number;
  readonly intAmount: number;
  readonly gaugeValue: number;
  readonly observation: number;
}

/** -0 is written as 0 in both formats. */
const num = (x: number): number => (x === 0 ? 0 : x);

function typeOf(operation: Operation): 'counter' | 'gauge' | 'histogram' {
  return operation === 'observe' ? 'histogram' : operation.endsWith('nc') ? 'counter' : 'gauge';
}

export class ExpositionModel {
  readonly #metrics = new Map<Metric, ModelMetric>();

  /** A metric the registry accepted, with the options it was created with. */
  add(metric: Metric, options: CreatedMetric, operation: Operation): void {
    const m: ModelMetric = { ...options, operation, series: new Map() };
    this.#metrics.set(metric, m);
    // An unlabelled metric has its one series from the start.
    if (options.labelNames.length === 0) this.#series(m, []);
  }

  #series(m: ModelMetric, values: readonly string[]): ModelSeries {
    const key = JSON.stringify(values);
    let s = m.series.get(key);
    if (s === undefined) {
      const labels = [
        ...Object.entries(m.constLabels).map(([name, value]) => ({ name, value })),
        ...m.labelNames.map((name, i) => ({ name, value: values[i] })),
      ].sort((a, b) => (a.name < b.name ? -1 : 1));
      s = { labels, value: 0, buckets: BOUNDS.map(() => 0).concat(0), sum: 0, count: 0 };
      m.series.set(key, s);
    }
    return s;
  }

  /** Records into the metric and into the model; a refused recording (it throws) changes neither. */
  record(metric: Metric, values: readonly string[], amounts: Amounts): void {
    const m = this.#metrics.get(metric);
    if (m === undefined) throw new Error('record on a metric the model does not know');
    const child = metric.labels(...(values as string[])) as unknown as {
      inc(v: number): void;
      set(v: number): void;
      observe(v: number): void;
    };
    const s = this.#series(m, values);
    switch (m.operation) {
      case 'inc':
        child.inc(amounts.amount);
        s.value += amounts.amount;
        break;
      case 'intInc':
        child.inc(amounts.intAmount);
        s.value = Math.min(MAX, s.value + amounts.intAmount);
        break;
      case 'set':
        child.set(amounts.gaugeValue);
        s.value = amounts.gaugeValue;
        break;
      case 'intSet':
        child.set(amounts.intAmount - 500_000);
        s.value = amounts.intAmount - 500_000;
        break;
      case 'observe': {
        const v = amounts.observation;
        child.observe(v);
        let i = 0;
        while (i < BOUNDS.length && v > BOUNDS[i]) i++;
        s.buckets[i]++;
        s.sum += v;
        s.count++;
        break;
      }
    }
  }

  /** Families by name: metrics of one name (differing const labels) share a family. */
  #families(): Map<string, ModelMetric[]> {
    const out = new Map<string, ModelMetric[]>();
    for (const m of this.#metrics.values()) {
      if (m.series.size === 0) continue;
      const list = out.get(m.name) ?? [];
      list.push(m);
      out.set(m.name, list);
    }
    return out;
  }

  /**
   * What parsing a scrape in `format` must give, sorted by family name and series labels. In OpenMetrics a
   * counter is typed only when its name is `<family>_total` with a non-empty family; otherwise it is
   * written, and read back, as unknown (untyped).
   */
  expected(format: ExpositionFormat): ExpectedFamily[] {
    const out: ExpectedFamily[] = [];
    for (const [name, metrics] of this.#families()) {
      let type: MetricType = typeOf(metrics[0].operation);
      if (
        format.name === 'openmetrics' &&
        type === 'counter' &&
        !(name.length > 6 && name.endsWith('_total'))
      )
        type = 'untyped';
      const series: ExpectedSeries[] = [];
      for (const m of metrics) {
        for (const s of m.series.values()) {
          if (m.operation !== 'observe') {
            series.push({ labels: s.labels, value: num(s.value) });
            continue;
          }
          let total = 0;
          series.push({
            labels: s.labels,
            upperBounds: [...BOUNDS, Number.POSITIVE_INFINITY],
            counts: s.buckets.map((c) => {
              total += c;
              return total;
            }),
            sum: num(s.sum),
            count: s.count,
          });
        }
      }
      series.sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
      out.push({ name, help: metrics[0].help, type, series });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Every sample name a scrape may contain. */
  sampleNames(): Set<string> {
    const names = new Set<string>();
    for (const [name, metrics] of this.#families()) {
      if (metrics[0].operation === 'observe')
        for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      else names.add(name);
    }
    return names;
  }

  /** Sample lines a scrape must contain: one per scalar series, buckets + `+Inf` + sum + count per histogram. */
  sampleCount(): number {
    let n = 0;
    for (const m of this.#metrics.values())
      n += m.series.size * (m.operation === 'observe' ? BOUNDS.length + 3 : 1);
    return n;
  }

  seriesCount(): number {
    let n = 0;
    for (const m of this.#metrics.values()) n += m.series.size;
    return n;
  }
}
