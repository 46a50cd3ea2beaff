/**
 * A metric's descriptor: everything that identifies and describes it, validated once at construction.
 *
 * Registries compare descriptors the way client_golang and rust-prometheus do: the *identity* of a metric
 * is its name plus its const label values, and every metric of one name must agree on *dimensions*: type,
 * HELP, unit and the set of label names.
 */
import { DEFAULT_BUCKETS, validateBuckets } from './buckets.js';
import { InvalidMetricOptionsError, InvalidNameError, show } from './errors.js';
import type { Label, LabelLayout, LabelLayoutEntry, MetricType } from './model.js';
import { assertLabelName, assertMetricName, assertText } from './validate.js';

/** Options shared by every metric type. */
export interface MetricOptions<L extends readonly string[] = readonly string[]> {
  /** Full metric name; a counter's name should end in `_total`. */
  readonly name: string;
  /** HELP text: what the metric means. Must not be empty. */
  readonly help: string;
  /** Names of the variable labels, in the order positional label values are given. */
  readonly labelNames?: L;
  /** Labels with a fixed value on every series of this metric. */
  readonly constLabels?: Readonly<Record<string, string>>;
  /** OpenMetrics unit (e.g. `seconds`); the name must then end in `_<unit>` (before `_total`). */
  readonly unit?: string;
  /**
   * Most series this metric keeps. Past the limit, new label sets are recorded into one overflow series
   * whose variable labels all read {@link OVERFLOW_LABEL_VALUE}, and counted in `refusedSeries`.
   */
  readonly maxSeries?: number;
}

/** Label value of every variable label on the overflow series of a metric that hit `maxSeries`. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

/** The static facts of a metric class: its name, Prometheus type, value kind and label arity rule. */
export interface MetricKind {
  readonly kind: string;
  readonly type: MetricType;
  /** Int metrics accept and print only safe integers. */
  readonly integer: boolean;
  /** true: a Vec (at least one label name); false: a single series (no label names). */
  readonly requireLabels: boolean;
}

/** Shared by every descriptor without const labels. */
const NO_LABELS: readonly Label[] = Object.freeze([]);
/** Shared by every non-histogram descriptor: no buckets, no bounds, only the implicit `+Inf`. */
const NO_BUCKETS: readonly number[] = Object.freeze([]);
const NO_BOUNDS = new Float64Array(0);
const ONLY_INF: readonly number[] = Object.freeze([Number.POSITIVE_INFINITY]);

/** The validated, immutable description of one metric. */
export class Descriptor implements LabelLayout {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly unit: string;
  readonly integer: boolean;
  /** Variable label names in declaration order. */
  readonly labelNames: readonly string[];
  /** Const labels sorted by name. */
  readonly constLabels: readonly Label[];
  readonly maxSeries: number;
  /** Every label name (const and variable), sorted: the order labels are exposed in. */
  readonly layout: readonly LabelLayoutEntry[];
  /** Label value slots in the order of their names: the sort key of series. */
  readonly slotOrder: readonly number[];
  /** Whether the label names are declared in sorted order, so label-tree order is already series order. */
  readonly namesSorted: boolean;
  /** Identity within a registry: name and const label values. */
  readonly identity: string;
  /** What every metric of the same name must agree on: type, help, unit and label names. */
  readonly dimensions: string;
  /** The class of metric (`Counter`, `IntGaugeVec`, ...), for messages and get-or-create. */
  readonly kind: string;

  /** Histogram bucket upper bounds without `+Inf`; empty for other types. */
  readonly buckets: readonly number[];
  /** Histogram bucket upper bounds for the bucket search, as a typed array. */
  readonly bounds: Float64Array;
  /** Histogram bucket upper bounds including the final `+Inf`, as exposed in the family model. */
  readonly upperBounds: readonly number[];

  constructor(kind: MetricKind, options: MetricOptions & { readonly buckets?: readonly number[] }) {
    const { type, integer, requireLabels } = kind;
    const reservedLabel = type === 'histogram' ? 'le' : undefined;
    if (options === null || typeof options !== 'object') {
      throw new InvalidMetricOptionsError(`${kind.kind}: options must be an object, got ${show(options)}`);
    }
    const name = assertMetricName(options.name);
    const help = assertText(name, 'HELP', options.help);
    if (help.length === 0)
      throw new InvalidMetricOptionsError(`metric ${show(name)}: HELP must not be empty`);
    const labelNames = [...(options.labelNames ?? [])];
    if (requireLabels === true && labelNames.length === 0) {
      throw new InvalidMetricOptionsError(
        `${kind.kind} ${show(name)} needs at least one label name; use the unlabelled type for a single series`,
      );
    }
    if (requireLabels === false && labelNames.length > 0) {
      throw new InvalidMetricOptionsError(
        `${kind.kind} ${show(name)} takes no label names (got ${show(labelNames)}); use the Vec type for labelled series`,
      );
    }
    const seen = new Set<string>();
    const checkName = (label: unknown): string => {
      const n = assertLabelName(name, label);
      if (n === reservedLabel) {
        throw new InvalidNameError(
          `${kind.kind} ${show(name)}: label name ${show(n)} is reserved for ${type} buckets`,
        );
      }
      if (seen.has(n)) throw new InvalidNameError(`metric ${show(name)}: duplicate label name ${show(n)}`);
      seen.add(n);
      return n;
    };
    labelNames.forEach(checkName);
    const constLabels: Label[] = [];
    const rawConst = options.constLabels ?? {};
    if (typeof rawConst !== 'object' || rawConst === null) {
      throw new InvalidMetricOptionsError(`metric ${show(name)}: constLabels must be an object`);
    }
    for (const key of Object.keys(rawConst)) {
      checkName(key);
      constLabels.push({
        name: key,
        value: assertText(name, `const label ${show(key)} value`, rawConst[key]),
      });
    }
    constLabels.sort((a, b) => (a.name < b.name ? -1 : 1));
    const unit = options.unit ?? '';
    if (unit !== '') {
      if (typeof unit !== 'string' || !/^[a-zA-Z0-9_]+$/.test(unit)) {
        throw new InvalidMetricOptionsError(`metric ${show(name)}: invalid unit ${show(unit)}`);
      }
      const base = type === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
      if (!base.endsWith(`_${unit}`)) {
        throw new InvalidMetricOptionsError(
          `metric ${show(name)}: OpenMetrics requires the name to end in "_${unit}" for unit ${show(unit)}`,
        );
      }
    }
    const maxSeries = options.maxSeries ?? Number.POSITIVE_INFINITY;
    if (maxSeries !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(maxSeries) || maxSeries < 1)) {
      throw new InvalidMetricOptionsError(
        `metric ${show(name)}: maxSeries must be a positive integer, got ${show(maxSeries)}`,
      );
    }

    const buckets =
      type === 'histogram' ? validateBuckets(name, options.buckets ?? DEFAULT_BUCKETS) : NO_BUCKETS;

    const layout: LabelLayoutEntry[] = [
      ...constLabels.map((l) => ({ name: l.name, label: l })),
      ...labelNames.map((n, slot) => ({ name: n, slot })),
    ].sort((a, b) => (a.name < b.name ? -1 : 1));

    this.name = name;
    this.help = help;
    this.type = type;
    this.unit = unit;
    this.integer = integer;
    this.labelNames = Object.freeze(labelNames);
    this.constLabels = constLabels.length === 0 ? NO_LABELS : Object.freeze(constLabels);
    this.maxSeries = maxSeries;
    // Descriptors live as long as their metrics; the non-histogram ones share their empty bucket fields.
    this.buckets = buckets;
    this.bounds = buckets.length === 0 ? NO_BOUNDS : Float64Array.from(buckets);
    this.upperBounds =
      buckets.length === 0 ? ONLY_INF : Object.freeze([...buckets, Number.POSITIVE_INFINITY]);
    this.layout = Object.freeze(layout);
    this.slotOrder = Object.freeze(layout.flatMap((e) => ('slot' in e ? [e.slot] : [])));
    this.namesSorted = this.slotOrder.every((slot, i) => slot === i);
    this.identity = JSON.stringify([name, constLabels.map((l) => [l.name, l.value])]);
    this.dimensions = JSON.stringify([type, help, unit, [...seen].sort()]);
    this.kind = kind.kind;
  }

  /**
   * Everything that makes two descriptors interchangeable: equal signatures allow get-or-create. Built on
   * demand (only get-or-create asks), so registered metrics do not each keep the string.
   */
  get signature(): string {
    return JSON.stringify([
      this.kind,
      this.identity,
      this.dimensions,
      this.labelNames,
      this.buckets,
      this.maxSeries,
    ]);
  }

  /** The exposed label pairs of the series with these label values (in slot order). */
  labelsOf(values: readonly string[]): Label[] {
    const out: Label[] = new Array(this.layout.length);
    for (let i = 0; i < this.layout.length; i++) {
      const e = this.layout[i];
      out[i] = 'slot' in e ? { name: e.name, value: values[e.slot] } : e.label;
    }
    return out;
  }
}
