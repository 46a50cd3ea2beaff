import { describe, expect, it } from 'vitest';
import { lintFamilies, parseForLint, problemSubject } from '../../src/lint/index.js';

function structure(text: string, later?: string): string[] {
  const { families, duplicates } = parseForLint(text, 'text');
  const after = later === undefined ? undefined : parseForLint(later, 'text').families;
  return lintFamilies(families, { dynamo: false, duplicates, later: after })
    .problems.filter((p) => p.group === 'structure')
    .map((p) => `${problemSubject(p)} ${p.message}`);
}

const histogram = (lines: string) =>
  `# HELP dynamo_component_x_seconds X.\n# TYPE dynamo_component_x_seconds histogram\n${lines}`;

describe('structure checks', () => {
  it('report a series that appears twice, once', () => {
    expect(
      structure(
        '# HELP a_total A.\n# TYPE a_total counter\na_total{m="x"} 1\na_total{m="x"} 2\na_total{m="y"} 1\n',
      ),
    ).toEqual(['a_total{m="x"} duplicate series: Prometheus keeps the first sample and drops this one']);
  });

  it('report a histogram without a +Inf bucket', () => {
    expect(
      structure(
        histogram(
          'dynamo_component_x_seconds_bucket{le="1"} 1\ndynamo_component_x_seconds_sum 1\ndynamo_component_x_seconds_count 1\n',
        ),
      ),
    ).toEqual(['dynamo_component_x_seconds has no le="+Inf" bucket']);
  });

  it('report buckets that are not cumulative', () => {
    expect(
      structure(
        histogram(
          'dynamo_component_x_seconds_bucket{le="0.5"} 4\ndynamo_component_x_seconds_bucket{le="1"} 3\ndynamo_component_x_seconds_bucket{le="+Inf"} 4\ndynamo_component_x_seconds_sum 1\ndynamo_component_x_seconds_count 4\n',
        ),
      ),
    ).toEqual([
      'dynamo_component_x_seconds bucket le="1" (3) is below bucket le="0.5" (4): buckets must be cumulative',
    ]);
  });

  it('report a _count different from the +Inf bucket, and a missing _sum', () => {
    expect(
      structure(
        histogram(
          'dynamo_component_x_seconds_bucket{model="m",le="+Inf"} 7\ndynamo_component_x_seconds_count{model="m"} 9\n',
        ),
      ),
    ).toEqual([
      'dynamo_component_x_seconds{model="m"} _count (9) differs from the le="+Inf" bucket (7)',
      'dynamo_component_x_seconds{model="m"} has no _sum',
    ]);
  });

  it('report a missing _count', () => {
    expect(
      structure(
        histogram('dynamo_component_x_seconds_bucket{le="+Inf"} 7\ndynamo_component_x_seconds_sum 2\n'),
      ),
    ).toEqual(['dynamo_component_x_seconds has no _count']);
  });

  it('report counters, buckets and counts that went down between two scrapes, and nothing that went up', () => {
    const scrape = (requests: number, bucket: number, count: number, gauge: number) =>
      `# HELP r_total R.\n# TYPE r_total counter\nr_total{m="a"} ${requests}\nr_total{m="b"} 5\n` +
      `# HELP g G.\n# TYPE g gauge\ng ${gauge}\n` +
      histogram(
        `dynamo_component_x_seconds_bucket{le="1"} ${bucket}\ndynamo_component_x_seconds_bucket{le="+Inf"} ${count}\ndynamo_component_x_seconds_sum 1\ndynamo_component_x_seconds_count ${count}\n`,
      );
    expect(structure(scrape(10, 3, 8, 5), scrape(7, 2, 8, 1))).toEqual([
      'dynamo_component_x_seconds dynamo_component_x_seconds_bucket{le="1"} went down from 3 to 2 between two scrapes',
      'r_total{m="a"} r_total went down from 10 to 7 between two scrapes',
    ]);
    expect(structure(scrape(10, 3, 8, 5), scrape(11, 3, 9, 1))).toEqual([]);
  });

  it('accept a well-formed histogram', () => {
    expect(
      structure(
        histogram(
          'dynamo_component_x_seconds_bucket{le="1"} 1\ndynamo_component_x_seconds_bucket{le="+Inf"} 2\ndynamo_component_x_seconds_sum 3\ndynamo_component_x_seconds_count 2\n',
        ),
      ),
    ).toEqual([]);
  });
});
