import { describe, expect, it } from 'vitest';
import { alignSeries, seriesName } from '../../src/dashboard/browser/series-data.js';

describe('aligning range query results for a chart', () => {
  it('puts each series on the step axis, with null where it has no finite value', () => {
    const data = alignSeries(
      [
        {
          legend: '{{instance}}',
          series: [
            {
              metric: { instance: 'a' },
              values: [
                [10, '1'],
                [30, '3'],
              ],
            },
            {
              metric: { instance: 'b' },
              values: [
                [20, 'NaN'],
                [30, '+Inf'],
                [40, '4'],
              ],
            },
          ],
        },
        { legend: 'avg', series: [{ metric: {}, values: [[20, '2.5']] }] },
      ],
      10,
      40,
      10,
    );
    expect(data).toEqual({
      xs: [10, 20, 30, 40],
      ys: [
        [1, null, 3, null],
        [null, null, null, 4],
        [null, 2.5, null, null],
      ],
      labels: ['a', 'b', 'avg'],
      dropped: 0,
      points: 4,
    });
  });

  it('draws at most the cap of series and counts the rest', () => {
    const series = Array.from({ length: 5 }, (_, i) => ({
      metric: { i: String(i) },
      values: [[0, '1']] as [number, string][],
    }));
    const data = alignSeries([{ legend: '{{i}}', series }], 0, 0, 1, 3);
    expect(data.labels).toEqual(['0', '1', '2']);
    expect(data.dropped).toBe(2);
  });

  it('names a series without a legend as Prometheus shows it', () => {
    expect(seriesName({ __name__: 'up', job: 'dynamo', instance: 'a:1' })).toBe(
      'up{job="dynamo", instance="a:1"}',
    );
    expect(seriesName({})).toBe('{}');
    const data = alignSeries([{ legend: '', series: [{ metric: { job: 'x' }, values: [] }] }], 0, 0, 1);
    expect(data.labels).toEqual(['{job="x"}']);
  });
});
