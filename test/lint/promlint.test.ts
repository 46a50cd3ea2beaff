import { describe, expect, it } from 'vitest';
import { lintFamilies, parseForLint } from '../../src/lint/index.js';
import { promtoolCheckMetrics } from '../helpers/tools.js';

/** One family per promlint rule (and the exemptions promtool makes), in the text format 0.0.4. */
const EVERY_RULE = `# TYPE no_help_total counter
no_help_total 1
# HELP latency_milliseconds Non-base unit.
# TYPE latency_milliseconds gauge
latency_milliseconds 1
# HELP transferred_kibibits Prefixed non-base unit.
# TYPE transferred_kibibits gauge
transferred_kibibits 1
# HELP requests Counter without _total.
# TYPE requests counter
requests 1
# HELP temperature_total Gauge with _total.
# TYPE temperature_total gauge
temperature_total 1
# HELP untyped_total Untyped is exempt.
# TYPE untyped_total untyped
untyped_total 1
# HELP queue_bucket Gauge with _bucket.
# TYPE queue_bucket gauge
queue_bucket 1
# HELP depth_count Gauge with _count.
# TYPE depth_count gauge
depth_count 1
# HELP depth_sum Gauge with _sum.
# TYPE depth_sum gauge
depth_sum 1
# HELP with_reserved Gauge with le and quantile labels.
# TYPE with_reserved gauge
with_reserved{le="1"} 1
with_reserved{quantile="0.5"} 1
# HELP some_counter_thing Type name inside.
# TYPE some_counter_thing gauge
some_counter_thing 1
# HELP x:y Colon.
# TYPE x:y gauge
x:y 1
# HELP camelCase Camel case name and label.
# TYPE camelCase gauge
camelCase{fooBar="a"} 1
camelCase{fooBar="b"} 1
# HELP duration_ms Abbreviated unit.
# TYPE duration_ms gauge
duration_ms 1
# HELP fine_seconds A clean histogram.
# TYPE fine_seconds histogram
fine_seconds_bucket{le="+Inf"} 1
fine_seconds_sum 1
fine_seconds_count 1
`;

function ours(text: string): string[] {
  const { families } = parseForLint(text, 'text');
  return lintFamilies(families, { dynamo: false })
    .problems.filter((p) => p.group === 'promlint')
    .map((p) => `${p.metric} ${p.message}`);
}

describe('promlint rules', () => {
  it('report exactly what promtool check metrics 2.42 reports, once each', async () => {
    const promtool = await promtoolCheckMetrics(EVERY_RULE);
    expect(promtool.code).toBe(3);
    const theirs = [...new Set(promtool.stderr.trim().split('\n'))];
    expect(ours(EVERY_RULE)).toEqual(theirs);
    expect(ours(EVERY_RULE)).toEqual([
      "camelCase label names should be written in 'snake_case' not 'camelCase'",
      "camelCase metric names should be written in 'snake_case' not 'camelCase'",
      'depth_count non-histogram and non-summary metrics should not have "_count" suffix',
      'depth_sum non-histogram and non-summary metrics should not have "_sum" suffix',
      'duration_ms metric names should not contain abbreviated units',
      'latency_milliseconds use base unit "seconds" instead of "milliseconds"',
      'no_help_total no help text',
      'queue_bucket non-histogram metrics should not have "_bucket" suffix',
      'requests counter metrics should have "_total" suffix',
      "some_counter_thing metric name should not include type 'counter'",
      'temperature_total non-counter metrics should not have "_total" suffix',
      'transferred_kibibits use base unit "bytes" instead of "kibibits"',
      'with_reserved non-histogram metrics should not have "le" label',
      'with_reserved non-summary metrics should not have "quantile" label',
      "x:y metric names should not contain ':'",
    ]);
  });

  it('find nothing in an exposition promtool accepts', async () => {
    const clean = '# HELP up_seconds Fine.\n# TYPE up_seconds gauge\nup_seconds 1\n';
    expect((await promtoolCheckMetrics(clean)).code).toBe(0);
    expect(ours(clean)).toEqual([]);
  });
});
