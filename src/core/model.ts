/**
 * The family model: the one data structure every part of dynametrics meets at.
 *
 * Registries produce it when they gather, the parser produces it from exposition text, the merger combines
 * it, the writers consume it and the scraper stores it. Families hold series; a series holds the samples of
 * one label set. Label pairs are kept sorted by name and never include the synthetic `le` / `quantile`
 * labels, which belong to the sample position inside a histogram or summary series.
 *
 * Series produced by a registry are *live*: their numbers may move after the gather returns, but a single
 * series is never observed half-updated because JavaScript runs the writer to completion between records.
 * They also expose their {@link LabelLayout}, so writers do not have to rebuild label text per series.
 */

/** Metric types of the text format 0.0.4 plus the OpenMetrics-only ones. OpenMetrics `unknown` is `untyped`. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped';

/** One label pair. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** An OpenMetrics exemplar attached to a counter or a histogram bucket. */
export interface Exemplar {
  readonly labels: readonly Label[];
  readonly value: number;
  /** Milliseconds since the epoch, when the exemplar carries a timestamp. */
  readonly timestampMs?: number;
}

/** How one label of a registry series gets its value: a constant, or the label value in a slot. */
export type LabelLayoutEntry =
  | { readonly name: string; readonly label: Label }
  | { readonly name: string; readonly slot: number };

/**
 * The label layout shared by every series of one registered metric: all label names sorted, each either
 * constant or read from a slot. Writers use it to build the static part of the label text once per metric
 * instead of once per series.
 */
export interface LabelLayout {
  readonly layout: readonly LabelLayoutEntry[];
}

interface SeriesCommon {
  /** Label pairs sorted by name, excluding `le` and `quantile`. */
  readonly labels: readonly Label[];
  /** Explicit sample timestamp in milliseconds since the epoch, when the exposition carried one. */
  readonly timestampMs?: number;
  /** OpenMetrics `_created`: seconds since the epoch at which the series was created or last reset. */
  readonly created?: number;
  /** Registry series: the layout of their labels, with {@link labelValue} giving the variable values. */
  readonly labelLayout?: LabelLayout;
  labelValue?(slot: number): string;
}

/** A counter, gauge, untyped, info or stateset series: one number. */
export interface ScalarSeries extends SeriesCommon {
  readonly value: number;
  readonly exemplar?: Exemplar;
}

/** A histogram or gauge-histogram series with cumulative bucket counts. */
export interface HistogramSeries extends SeriesCommon {
  /** Bucket upper bounds in increasing order. The last one is `+Inf` when the source had it. */
  readonly upperBounds: ArrayLike<number>;
  /** Cumulative counts, one per upper bound. */
  readonly counts: ArrayLike<number>;
  /**
   * Per-bucket (non-cumulative) counts, one per upper bound, when the series keeps them (registry
   * histograms do): `counts[i]` is the sum of `bucketCounts[0..i]`. Writers read these when present, so a
   * scrape does not build a cumulative array per series.
   */
  readonly bucketCounts?: ArrayLike<number>;
  readonly sum?: number;
  readonly count?: number;
  /** One optional exemplar per bucket, index-aligned with `upperBounds`. */
  readonly exemplars?: readonly (Exemplar | undefined)[];
}

/** A summary series: quantiles and their values, with sum and count. */
export interface SummarySeries extends SeriesCommon {
  readonly quantiles: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  readonly sum?: number;
  readonly count?: number;
}

export type Series = ScalarSeries | HistogramSeries | SummarySeries;

/** A metric family: all series sharing one name, HELP, TYPE and UNIT. */
export interface MetricFamily {
  /**
   * The family name as written in the text format 0.0.4: a counter keeps its `_total`, a histogram is named
   * without `_bucket`/`_sum`/`_count`. An `info` family is named without `_info` (its OpenMetrics name).
   */
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** OpenMetrics UNIT; empty when not set. */
  readonly unit: string;
  /** True when every value is a safe integer that must print without exponent or fraction (Int metrics). */
  readonly integer?: boolean;
  readonly series: readonly Series[];
}

/** True for the types whose series are {@link HistogramSeries}. */
export function isHistogramType(type: MetricType): type is 'histogram' | 'gaugehistogram' {
  return type === 'histogram' || type === 'gaugehistogram';
}

/** Type guards, for consumers that walk families without knowing where they came from. */
export function isHistogramSeries(series: Series): series is HistogramSeries {
  return (series as HistogramSeries).upperBounds !== undefined;
}

export function isSummarySeries(series: Series): series is SummarySeries {
  return (series as SummarySeries).quantiles !== undefined;
}
