/**
 * The OpenMetrics 1.0.0 text writer. Differences from the text format that it takes care of: metadata names
 * the family (a counter `foo_total` is family `foo`; a counter without `_total` is written as `unknown`, as
 * Go does, because it could not be valid otherwise), HELP escapes `"`, `# UNIT`, floats always look like
 * floats (`1.0`) while bucket and summary counts are integers, canonical `le`/`quantile` values, timestamps
 * in seconds, exemplars, optional `_created` lines, and the closing `# EOF` (written by the format).
 */
import type { Exemplar, HistogramSeries, MetricFamily, ScalarSeries, SummarySeries } from '../core/model.js';
import { escapeOpenMetricsHelp } from './escape.js';
import { labelPairsText, SamplePrefixes } from './label-text.js';
import { formatInteger, formatOpenMetricsFloat } from './number.js';

export interface OpenMetricsOptions {
  /**
   * Write `_created` lines for counters, histograms and summaries. Off by default: Prometheus 2.42 stores
   * each as one more series.
   */
  readonly created?: boolean;
}

/**
 * The OpenMetrics family name and type for a model family. A counter named exactly `_total` has no family
 * name left once the suffix goes, so like any counter without `_total` it is written as unknown.
 */
export function openMetricsIdentity(family: MetricFamily): { name: string; type: string } {
  switch (family.type) {
    case 'counter':
      return family.name.length > 6 && family.name.endsWith('_total')
        ? { name: family.name.slice(0, -6), type: 'counter' }
        : { name: family.name, type: 'unknown' };
    case 'untyped':
      return { name: family.name, type: 'unknown' };
    default:
      return { name: family.name, type: family.type };
  }
}

function timestamp(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${formatOpenMetricsFloat(ms / 1000)}`;
}

/**
 * Whether a scalar sample may carry an exemplar: Prometheus 2.42 fails the whole scrape on an exemplar
 * whose sample name does not end in `_total` or `_bucket` (a counter without `_total`, written as unknown,
 * a gauge, an info), so those exemplars are left out.
 */
function takesExemplar(sampleName: string): boolean {
  return sampleName.endsWith('_total') || sampleName.endsWith('_bucket');
}

function exemplar(e: Exemplar | undefined): string {
  if (e === undefined) return '';
  return ` # {${labelPairsText(e.labels)}} ${formatOpenMetricsFloat(e.value)}${timestamp(e.timestampMs)}`;
}

function extraLabelTails(positions: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < positions.length; i++) out.push(`${formatOpenMetricsFloat(positions[i])}"} `);
  return out;
}

/**
 * Writes one family in OpenMetrics 1.0.0 (without the final `# EOF`): metadata, then the series from
 * `start` to `end` (all by default). Only the slice starting at 0 has the metadata.
 */
export function writeOpenMetricsFamily(
  family: MetricFamily,
  options: OpenMetricsOptions = {},
  start = 0,
  end = family.series.length,
): string {
  const { name: base, type } = openMetricsIdentity(family);
  const created = options.created === true;
  let out = '';
  if (start === 0) {
    if (family.help !== '') out += `# HELP ${base} ${escapeOpenMetricsHelp(family.help)}\n`;
    out += `# TYPE ${base} ${type}\n`;
    if (family.unit !== '') out += `# UNIT ${base} ${family.unit}\n`;
  }
  const series =
    start === 0 && end === family.series.length ? family.series : family.series.slice(start, end);
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      return (
        out +
        histogramLines(family.type === 'gaugehistogram', series as readonly HistogramSeries[], base, created)
      );
    case 'summary':
      return out + summaryLines(base, series as readonly SummarySeries[], created);
    default: {
      const sample = family.type === 'info' ? `${base}_info` : family.name;
      const format = family.integer === true ? formatInteger : formatOpenMetricsFloat;
      const prefixes = new SamplePrefixes(sample);
      const createdPrefixes =
        created && type === 'counter' ? new SamplePrefixes(`${base}_created`) : undefined;
      const exemplars = takesExemplar(sample);
      for (const s of series as readonly ScalarSeries[]) {
        const ts = timestamp(s.timestampMs);
        out += `${prefixes.of(s)}${format(s.value)}${ts}${exemplars ? exemplar(s.exemplar) : ''}\n`;
        if (createdPrefixes !== undefined && s.created !== undefined) {
          out += `${createdPrefixes.of(s)}${formatOpenMetricsFloat(s.created)}${ts}\n`;
        }
      }
      return out;
    }
  }
}

function histogramLines(
  gauge: boolean,
  series: readonly HistogramSeries[],
  base: string,
  created: boolean,
): string {
  const bucket = new SamplePrefixes(`${base}_bucket`, 'le');
  const sum = new SamplePrefixes(`${base}${gauge ? '_gsum' : '_sum'}`);
  const count = new SamplePrefixes(`${base}${gauge ? '_gcount' : '_count'}`);
  const createdPrefixes = created && !gauge ? new SamplePrefixes(`${base}_created`) : undefined;
  let tails: string[] = [];
  let tailBounds: ArrayLike<number> | undefined;
  let out = '';
  for (const s of series) {
    const bounds = s.upperBounds;
    if (bounds !== tailBounds) {
      tailBounds = bounds;
      tails = extraLabelTails(bounds);
    }
    const n = bounds.length;
    // Registry series keep per-bucket counts; summing them here saves building `counts` per series.
    const perBucket = s.bucketCounts;
    const counts = perBucket === undefined ? s.counts : undefined;
    const ts = timestamp(s.timestampMs);
    const exemplars = s.exemplars;
    const stem = bucket.flat(s);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total = counts === undefined ? total + perBucket![i] : counts[i];
      out += `${stem}${tails[i]}${formatInteger(total)}${ts}${exemplars === undefined ? '' : exemplar(exemplars[i])}\n`;
    }
    if (n === 0 || bounds[n - 1] !== Number.POSITIVE_INFINITY) {
      out += `${stem}+Inf"} ${formatInteger(s.count ?? total)}${ts}\n`;
    }
    if (s.sum !== undefined) out += `${sum.of(s)}${formatOpenMetricsFloat(s.sum)}${ts}\n`;
    if (s.count !== undefined) out += `${count.of(s)}${formatInteger(s.count)}${ts}\n`;
    if (createdPrefixes !== undefined && s.created !== undefined) {
      out += `${createdPrefixes.of(s)}${formatOpenMetricsFloat(s.created)}${ts}\n`;
    }
  }
  return out;
}

function summaryLines(base: string, series: readonly SummarySeries[], created: boolean): string {
  const quantile = new SamplePrefixes(base, 'quantile');
  const sum = new SamplePrefixes(`${base}_sum`);
  const count = new SamplePrefixes(`${base}_count`);
  const createdPrefixes = created ? new SamplePrefixes(`${base}_created`) : undefined;
  let out = '';
  for (const s of series) {
    const tails = extraLabelTails(s.quantiles);
    const ts = timestamp(s.timestampMs);
    const stem = quantile.flat(s);
    for (let i = 0; i < tails.length; i++)
      out += `${stem}${tails[i]}${formatOpenMetricsFloat(s.values[i])}${ts}\n`;
    if (s.sum !== undefined) out += `${sum.of(s)}${formatOpenMetricsFloat(s.sum)}${ts}\n`;
    if (s.count !== undefined) out += `${count.of(s)}${formatInteger(s.count)}${ts}\n`;
    if (createdPrefixes !== undefined && s.created !== undefined) {
      out += `${createdPrefixes.of(s)}${formatOpenMetricsFloat(s.created)}${ts}\n`;
    }
  }
  return out;
}
