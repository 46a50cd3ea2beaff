/**
 * Families → the samples Prometheus stores for them: `name_bucket{le="…"}`, `_sum`, `_count` (`_gsum`,
 * `_gcount` for gauge histograms), summary quantiles, `name_info`, and OpenMetrics `_created` as a series of
 * its own (2.42 stores it). Bucket bounds and quantiles are written as the exposition wrote them: OpenMetrics
 * floats (`1.0`) or text-format floats (`1`), since Prometheus 2.42 keeps the text it saw.
 *
 * Target labels `job` and `instance` are attached; a sample that already has one keeps its value under
 * `exported_<name>`, as with `honor_labels: false`. Empty label values are dropped.
 */
import type { HistogramSeries, MetricFamily, ScalarSeries, Series, SummarySeries } from '../../core/model.js';
import { formatFloat, formatOpenMetricsFloat } from '../../expfmt/number.js';
import { compareStrings, type Label, type Labels, METRIC_NAME } from '../labels.js';

export interface FlatSample {
  readonly labels: Labels;
  readonly value: number;
  /** The exposition's own timestamp, ms; such samples are exempt from staleness handling. */
  readonly timestampMs: number | undefined;
}

export interface FlattenOptions {
  /** How the exposition wrote bounds: `openmetrics` (`1.0`) or `text` (`1`). */
  readonly syntax: 'text' | 'openmetrics';
  /** Add the `+Inf` bucket when a histogram lacks it, as our writers do (for in-process targets). */
  readonly synthesizeInfBucket?: boolean;
  /** Write `_created` series (what Prometheus stores when the exposition has `_created` lines). */
  readonly created?: boolean;
  /** `job`, `instance` and any other target labels. */
  readonly targetLabels: Labels;
}

function sortByName(labels: Label[]): Labels {
  return Object.freeze(labels.sort((a, b) => compareStrings(a.name, b.name)));
}

/** Series labels + name + extra label + target labels, renaming clashes to `exported_…`. */
function sampleLabels(series: Series, name: string, targetLabels: Labels, extra?: Label): Labels {
  const out: Label[] = [{ name: METRIC_NAME, value: name }];
  for (const l of series.labels) if (l.value !== '' && l.name !== METRIC_NAME) out.push(l);
  if (extra !== undefined) out.push(extra);
  for (const t of targetLabels) {
    const clash = out.findIndex((l) => l.name === t.name);
    if (clash >= 0) {
      let exported = `exported_${t.name}`;
      while (out.some((l) => l.name === exported)) exported = `exported_${exported}`;
      out[clash] = { name: exported, value: out[clash].value };
    }
    if (t.value !== '') out.push(t);
  }
  return sortByName(out);
}

/** Flattens families into stored samples, in exposition order. */
export function flattenFamilies(families: readonly MetricFamily[], options: FlattenOptions): FlatSample[] {
  const bound = options.syntax === 'openmetrics' ? formatOpenMetricsFloat : formatFloat;
  const out: FlatSample[] = [];
  for (const family of families) {
    const push = (series: Series, name: string, value: number, extra?: Label) =>
      out.push({
        labels: sampleLabels(series, name, options.targetLabels, extra),
        value,
        timestampMs: series.timestampMs,
      });
    const base =
      family.type === 'counter' && family.name.endsWith('_total') ? family.name.slice(0, -6) : family.name;
    const created = (series: Series) => {
      if (options.created === true && series.created !== undefined)
        push(series, `${base}_created`, series.created);
    };
    switch (family.type) {
      case 'histogram':
      case 'gaugehistogram': {
        const gauge = family.type === 'gaugehistogram';
        for (const s of family.series as readonly HistogramSeries[]) {
          const n = s.upperBounds.length;
          for (let i = 0; i < n; i++) {
            push(s, `${family.name}_bucket`, s.counts[i], { name: 'le', value: bound(s.upperBounds[i]) });
          }
          if (
            options.synthesizeInfBucket === true &&
            (n === 0 || s.upperBounds[n - 1] !== Number.POSITIVE_INFINITY)
          ) {
            push(s, `${family.name}_bucket`, s.count ?? (n > 0 ? s.counts[n - 1] : 0), {
              name: 'le',
              value: '+Inf',
            });
          }
          if (s.sum !== undefined) push(s, `${family.name}${gauge ? '_gsum' : '_sum'}`, s.sum);
          if (s.count !== undefined) push(s, `${family.name}${gauge ? '_gcount' : '_count'}`, s.count);
          if (!gauge) created(s);
        }
        break;
      }
      case 'summary':
        for (const s of family.series as readonly SummarySeries[]) {
          for (let i = 0; i < s.quantiles.length; i++) {
            push(s, family.name, s.values[i], { name: 'quantile', value: bound(s.quantiles[i]) });
          }
          if (s.sum !== undefined) push(s, `${family.name}_sum`, s.sum);
          if (s.count !== undefined) push(s, `${family.name}_count`, s.count);
          created(s);
        }
        break;
      default: {
        const name = family.type === 'info' ? `${family.name}_info` : family.name;
        for (const s of family.series as readonly ScalarSeries[]) {
          push(s, name, s.value);
          if (family.type === 'counter') created(s);
        }
      }
    }
  }
  return out;
}
