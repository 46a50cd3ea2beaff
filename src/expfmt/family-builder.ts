/**
 * Assembling parsed samples into the family model: which role a sample name plays in a family of a given
 * type, one builder per series that takes its samples (keeping the first copy of each, as Prometheus
 * does), and the finished families with buckets and quantiles in increasing order.
 */
import type {
  Exemplar,
  HistogramSeries,
  Label,
  MetricFamily,
  MetricType,
  ScalarSeries,
  Series,
  SummarySeries,
} from '../core/model.js';
import type { Syntax } from './lexer.js';

/** What a sample is to its family. */
export type Role = 'value' | 'bucket' | 'sum' | 'count' | 'created' | 'quantile';

/** The sample-name suffixes of a type, with their roles; `''` is the bare family name. */
type Suffixes = readonly (readonly [string, Role])[];

const SCALAR: Suffixes = [['', 'value']];

const TEXT_SUFFIXES: Readonly<Record<MetricType, Suffixes>> = {
  counter: SCALAR,
  gauge: SCALAR,
  untyped: SCALAR,
  info: SCALAR,
  stateset: SCALAR,
  histogram: [
    ['_bucket', 'bucket'],
    ['_sum', 'sum'],
    ['_count', 'count'],
  ],
  gaugehistogram: [
    ['_bucket', 'bucket'],
    ['_sum', 'sum'],
    ['_count', 'count'],
  ],
  summary: [
    ['', 'quantile'],
    ['_sum', 'sum'],
    ['_count', 'count'],
  ],
};

/** OpenMetrics names metadata after the family, so counters and info carry a suffix on their samples. */
const OPENMETRICS_SUFFIXES: Readonly<Record<MetricType, Suffixes>> = {
  counter: [
    ['_total', 'value'],
    ['_created', 'created'],
    ['', 'value'],
  ],
  gauge: SCALAR,
  untyped: SCALAR,
  stateset: SCALAR,
  info: [['_info', 'value']],
  histogram: [
    ['_bucket', 'bucket'],
    ['_sum', 'sum'],
    ['_count', 'count'],
    ['_created', 'created'],
  ],
  gaugehistogram: [
    ['_bucket', 'bucket'],
    ['_gsum', 'sum'],
    ['_gcount', 'count'],
  ],
  summary: [
    ['', 'quantile'],
    ['_sum', 'sum'],
    ['_count', 'count'],
    ['_created', 'created'],
  ],
};

/** The label that positions a sample inside a series of this type, which its other samples may not carry. */
export function positionLabel(type: MetricType | undefined): 'le' | 'quantile' | undefined {
  return type === 'histogram' || type === 'gaugehistogram'
    ? 'le'
    : type === 'summary'
      ? 'quantile'
      : undefined;
}

/**
 * A collision-free key for a series: family and label names cannot hold a space or `=`, and label values
 * are length-prefixed.
 */
export function seriesKey(family: string, labels: readonly Label[]): string {
  let key = family;
  for (const l of labels) key += ` ${l.name}=${l.value.length}:${l.value}`;
  return key;
}

/** One series being assembled. Every field exists from the start, so all builders share one shape. */
export class SeriesBuilder {
  value: number | undefined = undefined;
  exemplar: Exemplar | undefined = undefined;
  timestampMs: number | undefined = undefined;
  created: number | undefined = undefined;
  sum: number | undefined = undefined;
  count: number | undefined = undefined;
  /** Histogram bucket or summary quantile positions and their values, in input order. */
  positions: number[] | undefined = undefined;
  values: number[] | undefined = undefined;
  exemplars: (Exemplar | undefined)[] | undefined = undefined;
  /** The positions seen, kept once they stop arriving in increasing order, to find duplicates. */
  seen: Set<number> | undefined = undefined;

  constructor(readonly labels: Label[]) {}

  /**
   * Stores one sample; false when the series already has it (a duplicate, which Prometheus drops).
   * `position` is the bucket bound or quantile of a `bucket` or `quantile` sample.
   */
  add(role: Role, position: number, value: number, exemplar: Exemplar | undefined): boolean {
    switch (role) {
      case 'value':
        if (this.value !== undefined) return false;
        this.value = value;
        if (exemplar !== undefined) this.exemplar = exemplar;
        return true;
      case 'sum':
        if (this.sum !== undefined) return false;
        this.sum = value;
        return true;
      case 'count':
        if (this.count !== undefined) return false;
        this.count = value;
        return true;
      case 'created':
        if (this.created !== undefined) return false;
        this.created = value;
        return true;
      default: {
        let positions = this.positions;
        if (positions === undefined) {
          positions = this.positions = [];
          this.values = [];
        }
        const n = positions.length;
        // While positions arrive in increasing order none can repeat; from the first one out of order
        // on, a set of all of them finds repeats in O(1).
        if (this.seen === undefined && n > 0 && !(position > positions[n - 1]))
          this.seen = new Set(positions);
        if (this.seen !== undefined) {
          if (this.seen.has(position)) return false;
          this.seen.add(position);
        }
        positions.push(position);
        this.values!.push(value);
        // A quantile has no place for an exemplar (2.42 takes one on a summary named ..._total).
        if (exemplar !== undefined && role === 'bucket') {
          this.exemplars ??= [];
          this.exemplars[n] = exemplar;
        }
        return true;
      }
    }
  }

  /** The model series; undefined for a scalar series that never got its value (only a `_created`). */
  build(type: MetricType): Series | undefined {
    const out: Record<string, unknown> = { labels: this.labels };
    if (this.timestampMs !== undefined) out.timestampMs = this.timestampMs;
    if (this.created !== undefined) out.created = this.created;
    if (type !== 'histogram' && type !== 'gaugehistogram' && type !== 'summary') {
      if (this.value === undefined) return undefined;
      out.value = this.value;
      if (this.exemplar !== undefined) out.exemplar = this.exemplar;
      return out as unknown as ScalarSeries;
    }
    let positions = this.positions ?? [];
    let values = this.values ?? [];
    let exemplars = this.exemplars;
    const inputPositions = positions;
    const inputValues = values;
    const inputExemplars = exemplars;
    if (!positions.every((p, i) => i === 0 || positions[i - 1] < p)) {
      const order = positions
        .map((_, i) => i)
        .sort((a, b) => comparePositions(inputPositions[a], inputPositions[b]));
      positions = order.map((i) => inputPositions[i]);
      values = order.map((i) => inputValues[i]);
      if (inputExemplars !== undefined) exemplars = order.map((i) => inputExemplars[i]);
    } else if (inputExemplars !== undefined) {
      // Index-aligned with the buckets, without holes.
      exemplars = Array.from({ length: positions.length }, (_, i) => inputExemplars[i]);
    }
    if (type === 'summary') {
      out.quantiles = positions;
      out.values = values;
    } else {
      out.upperBounds = positions;
      out.counts = values;
      if (exemplars !== undefined) out.exemplars = exemplars;
    }
    if (this.sum !== undefined) out.sum = this.sum;
    if (this.count !== undefined) out.count = this.count;
    return out as unknown as HistogramSeries | SummarySeries;
  }
}

/** Orders positions with NaN last, so an `le="NaN"` cannot make the order depend on the sort algorithm. */
function comparePositions(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** One family being assembled, named as its metadata names it. */
export class FamilyBuilder {
  help = '';
  type: MetricType | undefined = undefined;
  unit = '';
  /** An OpenMetrics counter whose samples carried `_total`: the model names the family with it. */
  total = false;
  /** A sample used a suffix or a non-value role, so the family can no longer change its type. */
  shaped = false;
  /** In order of first appearance. */
  readonly series: SeriesBuilder[] = [];
  #suffixes: Suffixes = SCALAR;

  /** @param name the metadata name: the family name in OpenMetrics, the TYPE/HELP name in text. */
  constructor(
    readonly name: string,
    readonly syntax: Syntax,
  ) {}

  /** The family name as the model has it: an OpenMetrics counter keeps the `_total` of its samples. */
  get modelName(): string {
    return this.total && this.syntax === 'openmetrics' ? `${this.name}_total` : this.name;
  }

  /**
   * Whether the family can take `type`: always before its first sample; after, only when its samples so
   * far are bare values (no suffix, no bucket) and `type` reads bare values too, so none changes meaning.
   */
  fits(type: MetricType): boolean {
    if (this.series.length === 0) return true;
    return !this.shaped && suffixesOf(type, this.syntax).some(([s, role]) => s === '' && role === 'value');
  }

  setType(type: MetricType): void {
    this.type = type;
    this.#suffixes = suffixesOf(type, this.syntax);
  }

  /** The role of sample `name` in this family, or undefined when the name is not one of its samples. */
  roleOf(name: string): Role | undefined {
    for (const [suffix, role] of this.#suffixes) {
      if (name.length === this.name.length + suffix.length && name.endsWith(suffix)) return role;
    }
    return undefined;
  }

  /** Notes that a sample named `name` went into this family with `role`. */
  took(name: string, role: Role): void {
    if (role !== 'value' || name.length !== this.name.length) {
      this.shaped = true;
      if (role === 'value' && this.type === 'counter') this.total = true;
    }
  }

  /** The model family, or undefined when no series has anything to show. */
  build(): MetricFamily | undefined {
    const type = this.type ?? 'untyped';
    const series: Series[] = [];
    for (const s of this.series) {
      const built = s.build(type);
      if (built !== undefined) series.push(built);
    }
    if (series.length === 0) return undefined;
    return { name: this.modelName, help: this.help, type, unit: this.unit, series };
  }
}

function suffixesOf(type: MetricType, syntax: Syntax): Suffixes {
  return (syntax === 'openmetrics' ? OPENMETRICS_SUFFIXES : TEXT_SUFFIXES)[type];
}
