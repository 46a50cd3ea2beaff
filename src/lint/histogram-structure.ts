/**
 * What a histogram series must look like for `rate` and `histogram_quantile` to mean anything, none of which
 * the Prometheus 2.42 scraper or promtool enforces: a `+Inf` bucket (without it `histogram_quantile` returns
 * NaN), cumulative bucket counts, a `_count` equal to the `+Inf` bucket, and a `_sum` and `_count` at all.
 */
import { isHistogramSeries, isHistogramType, type MetricFamily } from '../core/model.js';
import { formatFloat } from '../expfmt/number.js';
import type { Problem } from './problem.js';

const le = (bound: number) => `le="${formatFloat(bound)}"`;

/** Problems of each histogram series of a family; none for other types. */
export function histogramStructure(family: MetricFamily): Problem[] {
  if (!isHistogramType(family.type)) return [];
  const problems: Problem[] = [];
  for (const series of family.series) {
    if (!isHistogramSeries(series)) continue;
    const add = (rule: string, message: string) =>
      problems.push({ metric: family.name, labels: series.labels, rule, group: 'structure', message });
    const { upperBounds: bounds, counts } = series;
    const last = bounds.length - 1;
    const hasInf = last >= 0 && bounds[last] === Number.POSITIVE_INFINITY;
    if (!hasInf) add('missing-inf', 'has no le="+Inf" bucket');
    for (let i = 1; i < counts.length; i++) {
      if (counts[i] < counts[i - 1]) {
        add(
          'non-cumulative',
          `bucket ${le(bounds[i])} (${formatFloat(counts[i])}) is below bucket ${le(bounds[i - 1])} (${formatFloat(counts[i - 1])}): buckets must be cumulative`,
        );
        break;
      }
    }
    if (series.count === undefined) add('missing-count', 'has no _count');
    else if (hasInf && series.count !== counts[last] && !Number.isNaN(series.count)) {
      add(
        'count-mismatch',
        `_count (${formatFloat(series.count)}) differs from the le="+Inf" bucket (${formatFloat(counts[last])})`,
      );
    }
    if (series.sum === undefined) add('missing-sum', 'has no _sum');
  }
  return problems;
}
