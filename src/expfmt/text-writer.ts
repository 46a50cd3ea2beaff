/**
 * The text exposition format 0.0.4 writer, byte-compatible with Go's `expfmt` text encoder: HELP then
 * TYPE, labels sorted by name with `le`/`quantile` last, Go number formatting, an added `+Inf` bucket when
 * the source had none. OpenMetrics-only types are mapped the way Go maps them: gauge-histogram to
 * histogram, info to a `_info` gauge, stateset to a gauge; exemplars and `_created` are dropped.
 */
import type { HistogramSeries, MetricFamily, ScalarSeries, SummarySeries } from '../core/model.js';
import { escapeHelp } from './escape.js';
import { SamplePrefixes } from './label-text.js';
import { formatFloat, formatInteger } from './number.js';

const TEXT_TYPE = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  info: 'gauge',
  stateset: 'gauge',
  untyped: 'untyped',
} as const;

function timestamp(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${formatInteger(ms)}`;
}

/** `<value>"} ` tails of bucket or quantile lines, one per position. */
function extraLabelTails(positions: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < positions.length; i++) out.push(`${formatFloat(positions[i])}"} `);
  return out;
}

/**
 * Writes one family in the text format 0.0.4: HELP and TYPE, then the series from `start` to `end`
 * (all by default). A family can be written in slices; only the slice starting at 0 has the header.
 */
export function writeTextFamily(family: MetricFamily, start = 0, end = family.series.length): string {
  const name = family.type === 'info' ? `${family.name}_info` : family.name;
  let out = '';
  if (start === 0) {
    if (family.help !== '') out += `# HELP ${name} ${escapeHelp(family.help)}\n`;
    out += `# TYPE ${name} ${TEXT_TYPE[family.type]}\n`;
  }
  const series =
    start === 0 && end === family.series.length ? family.series : family.series.slice(start, end);
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      return out + histogramLines(name, series as readonly HistogramSeries[]);
    case 'summary':
      return out + summaryLines(name, series as readonly SummarySeries[]);
    default: {
      const format = family.integer === true ? formatInteger : formatFloat;
      const prefixes = new SamplePrefixes(name);
      for (const s of series as readonly ScalarSeries[]) {
        out += `${prefixes.of(s)}${format(s.value)}${timestamp(s.timestampMs)}\n`;
      }
      return out;
    }
  }
}

function histogramLines(name: string, series: readonly HistogramSeries[]): string {
  const bucket = new SamplePrefixes(`${name}_bucket`, 'le');
  const sum = new SamplePrefixes(`${name}_sum`);
  const count = new SamplePrefixes(`${name}_count`);
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
    const stem = bucket.flat(s);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total = counts === undefined ? total + perBucket![i] : counts[i];
      out += `${stem}${tails[i]}${formatFloat(total)}${ts}\n`;
    }
    if (n === 0 || bounds[n - 1] !== Number.POSITIVE_INFINITY) {
      out += `${stem}+Inf"} ${formatFloat(s.count ?? total)}${ts}\n`;
    }
    if (s.sum !== undefined) out += `${sum.of(s)}${formatFloat(s.sum)}${ts}\n`;
    if (s.count !== undefined) out += `${count.of(s)}${formatFloat(s.count)}${ts}\n`;
  }
  return out;
}

function summaryLines(name: string, series: readonly SummarySeries[]): string {
  const quantile = new SamplePrefixes(name, 'quantile');
  const sum = new SamplePrefixes(`${name}_sum`);
  const count = new SamplePrefixes(`${name}_count`);
  let out = '';
  for (const s of series) {
    const tails = extraLabelTails(s.quantiles);
    const ts = timestamp(s.timestampMs);
    const stem = quantile.flat(s);
    for (let i = 0; i < tails.length; i++) out += `${stem}${tails[i]}${formatFloat(s.values[i])}${ts}\n`;
    if (s.sum !== undefined) out += `${sum.of(s)}${formatFloat(s.sum)}${ts}\n`;
    if (s.count !== undefined) out += `${count.of(s)}${formatFloat(s.count)}${ts}\n`;
  }
  return out;
}
