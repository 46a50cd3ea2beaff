/**
 * The OpenMetrics 1.0.0 text writer. Differences from the text format that it takes care of: metadata names
 * the family (a counter `foo_total` is family `foo`; a counter without `_total` is written as `unknown`, as
 * Go does, because it could not be valid otherwise), HELP escapes `"`, `# UNIT`, floats always look like
 * floats (`1.0`) while bucket and summary counts are integers, canonical `le`/`quantile` values, timestamps
 * in seconds, exemplars, optional `_created` lines, and the closing `# EOF`.
 */
import type { Exemplar, HistogramSeries, MetricFamily, ScalarSeries, SummarySeries } from '../core/model.js';
import { escapeOpenMetricsHelp } from './escape.js';
import { formatInteger, formatOpenMetricsFloat } from './number.js';
import {
  cachedPrefixes,
  labelPairsText,
  PrefixSlot,
  samplePrefix,
  samplePrefixWith,
} from './series-prefix.js';

export interface OpenMetricsOptions {
  /**
   * Write `_created` lines for counters, histograms and summaries. Off by default: Prometheus 2.42 stores
   * each as one more series.
   */
  readonly created?: boolean;
}

/** The OpenMetrics family name and type for a model family. */
export function openMetricsIdentity(family: MetricFamily): { name: string; type: string } {
  switch (family.type) {
    case 'counter':
      return family.name.endsWith('_total')
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

function exemplar(e: Exemplar | undefined): string {
  if (e === undefined) return '';
  return ` # {${labelPairsText(e.labels)}} ${formatOpenMetricsFloat(e.value)}${timestamp(e.timestampMs)}`;
}

/** Writes one family in OpenMetrics 1.0.0 (without the final `# EOF`). */
export function writeOpenMetricsFamily(family: MetricFamily, options: OpenMetricsOptions = {}): string {
  const { name: base, type } = openMetricsIdentity(family);
  const created = options.created === true;
  const slot = created ? PrefixSlot.OpenMetricsCreated : PrefixSlot.OpenMetrics;
  let out = family.help === '' ? '' : `# HELP ${base} ${escapeOpenMetricsHelp(family.help)}\n`;
  out += `# TYPE ${base} ${type}\n`;
  if (family.unit !== '') out += `# UNIT ${base} ${family.unit}\n`;
  switch (family.type) {
    case 'histogram':
    case 'gaugehistogram':
      for (const s of family.series as readonly HistogramSeries[])
        out += histogramLines(family, base, s, slot);
      return out;
    case 'summary':
      for (const s of family.series as readonly SummarySeries[]) out += summaryLines(base, s, slot);
      return out;
    default: {
      const sample = family.type === 'info' ? `${base}_info` : family.name;
      const format = family.integer === true ? formatInteger : formatOpenMetricsFloat;
      const withCreated = created && type === 'counter';
      for (const s of family.series as readonly ScalarSeries[]) {
        const prefixes = cachedPrefixes(s, slot, sample, withCreated ? 2 : 1, (pairs) =>
          withCreated
            ? [samplePrefix(sample, pairs), samplePrefix(`${base}_created`, pairs)]
            : [samplePrefix(sample, pairs)],
        );
        const ts = timestamp(s.timestampMs);
        out += `${prefixes[0]}${format(s.value)}${ts}${exemplar(s.exemplar)}\n`;
        if (withCreated && s.created !== undefined)
          out += `${prefixes[1]}${formatOpenMetricsFloat(s.created)}${ts}\n`;
      }
      return out;
    }
  }
}

function histogramLines(family: MetricFamily, base: string, s: HistogramSeries, slot: PrefixSlot): string {
  const gauge = family.type === 'gaugehistogram';
  const bounds = s.upperBounds;
  const n = bounds.length;
  const hasInf = n > 0 && bounds[n - 1] === Number.POSITIVE_INFINITY;
  const buckets = hasInf ? n : n + 1;
  const prefixes = cachedPrefixes(s, slot, base, buckets + 3, (pairs) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(samplePrefixWith(`${base}_bucket`, pairs, 'le', formatOpenMetricsFloat(bounds[i])));
    }
    if (!hasInf) out.push(samplePrefixWith(`${base}_bucket`, pairs, 'le', '+Inf'));
    out.push(
      samplePrefix(`${base}${gauge ? '_gsum' : '_sum'}`, pairs),
      samplePrefix(`${base}${gauge ? '_gcount' : '_count'}`, pairs),
      samplePrefix(`${base}_created`, pairs),
    );
    return out;
  });
  const counts = s.counts;
  const ts = timestamp(s.timestampMs);
  const exemplars = s.exemplars;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `${prefixes[i]}${formatInteger(counts[i])}${ts}${exemplars === undefined ? '' : exemplar(exemplars[i])}\n`;
  }
  if (!hasInf) out += `${prefixes[n]}${formatInteger(s.count ?? (n > 0 ? counts[n - 1] : 0))}${ts}\n`;
  if (s.sum !== undefined) out += `${prefixes[buckets]}${formatOpenMetricsFloat(s.sum)}${ts}\n`;
  if (s.count !== undefined) out += `${prefixes[buckets + 1]}${formatInteger(s.count)}${ts}\n`;
  if (slot === PrefixSlot.OpenMetricsCreated && s.created !== undefined && !gauge) {
    out += `${prefixes[buckets + 2]}${formatOpenMetricsFloat(s.created)}${ts}\n`;
  }
  return out;
}

function summaryLines(base: string, s: SummarySeries, slot: PrefixSlot): string {
  const quantiles = s.quantiles;
  const n = quantiles.length;
  const prefixes = cachedPrefixes(s, slot, base, n + 3, (pairs) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      out.push(samplePrefixWith(base, pairs, 'quantile', formatOpenMetricsFloat(quantiles[i])));
    }
    out.push(
      samplePrefix(`${base}_sum`, pairs),
      samplePrefix(`${base}_count`, pairs),
      samplePrefix(`${base}_created`, pairs),
    );
    return out;
  });
  const ts = timestamp(s.timestampMs);
  let out = '';
  for (let i = 0; i < n; i++) out += `${prefixes[i]}${formatOpenMetricsFloat(s.values[i])}${ts}\n`;
  if (s.sum !== undefined) out += `${prefixes[n]}${formatOpenMetricsFloat(s.sum)}${ts}\n`;
  if (s.count !== undefined) out += `${prefixes[n + 1]}${formatInteger(s.count)}${ts}\n`;
  if (slot === PrefixSlot.OpenMetricsCreated && s.created !== undefined) {
    out += `${prefixes[n + 2]}${formatOpenMetricsFloat(s.created)}${ts}\n`;
  }
  return out;
}
