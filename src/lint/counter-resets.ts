/**
 * Counters that went down between two scrapes of the same target. Prometheus reads any decrease as a
 * counter reset (a restart) and `rate` then counts the whole new value as an increase, so a counter that
 * goes down without a restart (one that is really a gauge, or one computed from something that shrinks)
 * shows as a burst on every dashboard. Checked for counters, and for the bucket counts and `_count` of
 * histograms and summaries, which Prometheus treats as counters too.
 */
import {
  isHistogramSeries,
  isSummarySeries,
  type Label,
  type MetricFamily,
  type Series,
} from '../core/model.js';
import { seriesKey } from '../expfmt/family-builder.js';
import { formatFloat } from '../expfmt/number.js';
import type { Problem } from './problem.js';

/** Each counter-like sample of a series, by the name and `le` it is exposed with. */
function counterSamples(family: MetricFamily, series: Series): Map<string, number> {
  const out = new Map<string, number>();
  if (isHistogramSeries(series)) {
    if (family.type !== 'histogram') return out;
    for (let i = 0; i < series.upperBounds.length; i++) {
      out.set(`${family.name}_bucket{le="${formatFloat(series.upperBounds[i])}"}`, series.counts[i]);
    }
    if (series.count !== undefined) out.set(`${family.name}_count`, series.count);
  } else if (isSummarySeries(series)) {
    if (series.count !== undefined) out.set(`${family.name}_count`, series.count);
  } else if (family.type === 'counter') {
    out.set(family.name, series.value);
  }
  return out;
}

/** Counter samples of `later` that are below the same sample in `earlier`. */
export function counterDecreases(
  earlier: readonly MetricFamily[],
  later: readonly MetricFamily[],
): Problem[] {
  const before = new Map<string, Map<string, number>>();
  for (const f of earlier) {
    for (const s of f.series) before.set(seriesKey(f.name, s.labels), counterSamples(f, s));
  }
  const problems: Problem[] = [];
  for (const f of later) {
    for (const s of f.series) {
      const previous = before.get(seriesKey(f.name, s.labels));
      if (previous === undefined) continue;
      for (const [sample, value] of counterSamples(f, s)) {
        const was = previous.get(sample);
        if (was !== undefined && value < was) problems.push(decrease(f.name, s.labels, sample, was, value));
      }
    }
  }
  return problems;
}

function decrease(
  metric: string,
  labels: readonly Label[],
  sample: string,
  was: number,
  now: number,
): Problem {
  return {
    metric,
    labels,
    rule: 'counter-decrease',
    group: 'structure',
    message: `${sample} went down from ${formatFloat(was)} to ${formatFloat(now)} between two scrapes`,
  };
}
