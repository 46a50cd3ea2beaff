/**
 * The text exposition format 0.0.4 writer, byte-compatible with Go's `expfmt` text encoder: HELP then
 * TYPE, labels as given (sorted by name in the model), `le`/`quantile` last, Go number formatting, an
 * added `+Inf` bucket when the source had none. OpenMetrics-only types are mapped the way Go maps them:
 * gauge-histogram to histogram, info to a `_info` gauge, stateset to a gauge, exemplars and `_created` dropped.
 */
import type { HistogramSeries, MetricFamily, ScalarSeries, SummarySeries } from '../core/model.js';
import { escapeHelp } from './escape.js';
import { formatFloat, formatInteger } from './number.js';
import { cachedPrefixes, PrefixSlot, samplePrefix, samplePrefixWith } from './series-prefix.js';

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

/** Writes one family in the text format 0.0.4. */
export function writeTextFamily(family: MetricFamily): string {
  const name = family.type === 'info' ? `${family.name}_info` : family.name;
  let out = family.help === '' ? '' : `# HELP ${name} ${escapeHelp(family.help)}\n`;
  out += `# TYPE ${name} ${TEXT_TYPE[family.type]}\n`;
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      for (const s of family.series as readonly HistogramSeries[]) out += histogramLines(name, s);
      return out;
    case 'summary':
      for (const s of family.series as readonly SummarySeries[]) out += summaryLines(name, s);
      return out;
    default: {
      const format = family.integer === true ? formatInteger : formatFloat;
      for (const s of family.series as readonly ScalarSeries[]) {
        const [prefix] = cachedPrefixes(s, PrefixSlot.Text, name, 1, (pairs) => [samplePrefix(name, pairs)]);
        out += `${prefix}${format(s.value)}${timestamp(s.timestampMs)}\n`;
      }
      return out;
    }
  }
}

function histogramLines(name: string, s: HistogramSeries): string {
  const bounds = s.upperBounds;
  const n = bounds.length;
  const hasInf = n > 0 && bounds[n - 1] === Number.POSITIVE_INFINITY;
  const buckets = hasInf ? n : n + 1;
  const prefixes = cachedPrefixes(s, PrefixSlot.Text, name, buckets + 2, (pairs) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push(samplePrefixWith(`${name}_bucket`, pairs, 'le', formatFloat(bounds[i])));
    if (!hasInf) out.push(samplePrefixWith(`${name}_bucket`, pairs, 'le', '+Inf'));
    out.push(samplePrefix(`${name}_sum`, pairs), samplePrefix(`${name}_count`, pairs));
    return out;
  });
  const counts = s.counts;
  const ts = timestamp(s.timestampMs);
  let out = '';
  for (let i = 0; i < n; i++) out += `${prefixes[i]}${formatFloat(counts[i])}${ts}\n`;
  if (!hasInf) out += `${prefixes[n]}${formatFloat(s.count ?? (n > 0 ? counts[n - 1] : 0))}${ts}\n`;
  if (s.sum !== undefined) out += `${prefixes[buckets]}${formatFloat(s.sum)}${ts}\n`;
  if (s.count !== undefined) out += `${prefixes[buckets + 1]}${formatFloat(s.count)}${ts}\n`;
  return out;
}

function summaryLines(name: string, s: SummarySeries): string {
  const quantiles = s.quantiles;
  const n = quantiles.length;
  const prefixes = cachedPrefixes(s, PrefixSlot.Text, name, n + 2, (pairs) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++)
      out.push(samplePrefixWith(name, pairs, 'quantile', formatFloat(quantiles[i])));
    out.push(samplePrefix(`${name}_sum`, pairs), samplePrefix(`${name}_count`, pairs));
    return out;
  });
  const ts = timestamp(s.timestampMs);
  let out = '';
  for (let i = 0; i < n; i++) out += `${prefixes[i]}${formatFloat(s.values[i])}${ts}\n`;
  if (s.sum !== undefined) out += `${prefixes[n]}${formatFloat(s.sum)}${ts}\n`;
  if (s.count !== undefined) out += `${prefixes[n + 1]}${formatFloat(s.count)}${ts}\n`;
  return out;
}
