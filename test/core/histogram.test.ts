import { describe, expect, it } from 'vitest';
import {
  Histogram,
  HistogramVec,
  InvalidMetricOptionsError,
  InvalidNameError,
  InvalidValueError,
} from '../../src/core/index.js';
import { openMetrics, text } from '../helpers/expose.js';

describe('Histogram', () => {
  it('uses the Prometheus default buckets and writes cumulative counts, +Inf, sum and count', () => {
    const h = new Histogram({ name: 'latency_seconds', help: 'Latency.' });
    for (const v of [1.0, 2.5, 4.0]) h.observe(v);
    expect(text(h)).toBe(
      [
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.005"} 0',
        'latency_seconds_bucket{le="0.01"} 0',
        'latency_seconds_bucket{le="0.025"} 0',
        'latency_seconds_bucket{le="0.05"} 0',
        'latency_seconds_bucket{le="0.1"} 0',
        'latency_seconds_bucket{le="0.25"} 0',
        'latency_seconds_bucket{le="0.5"} 0',
        'latency_seconds_bucket{le="1"} 1',
        'latency_seconds_bucket{le="2.5"} 2',
        'latency_seconds_bucket{le="5"} 3',
        'latency_seconds_bucket{le="10"} 3',
        'latency_seconds_bucket{le="+Inf"} 3',
        'latency_seconds_sum 7.5',
        'latency_seconds_count 3',
        '',
      ].join('\n'),
    );
  });

  it("counts a value equal to a bound in that bound's bucket, and values above the last bound in +Inf", () => {
    const h = new Histogram({ name: 'x', help: 'X.', buckets: [1, 2] });
    h.observe(1);
    h.observe(2);
    h.observe(2.000001);
    h.observe(-5);
    expect(text(h)).toBe(
      '# HELP x X.\n# TYPE x histogram\nx_bucket{le="1"} 2\nx_bucket{le="2"} 3\nx_bucket{le="+Inf"} 4\nx_sum 1.000000000139778e-06\nx_count 4\n',
    );
  });

  it('finds buckets by binary search when there are many, with the same result', () => {
    const bounds = Array.from({ length: 100 }, (_, i) => i + 1);
    const h = new Histogram({ name: 'many', help: 'Many.', buckets: bounds });
    for (let v = 0; v <= 101; v += 0.5) h.observe(v);
    const counts = h.child.counts;
    for (let i = 0; i < bounds.length; i++) {
      const expected = Array.from({ length: 203 }, (_, k) => k * 0.5).filter((v) => v <= bounds[i]).length;
      expect(counts[i]).toBe(expected);
    }
    expect(counts[100]).toBe(203);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects the observation %s and leaves sum and count untouched',
    (v) => {
      const h = new Histogram({ name: 'latency_seconds', help: 'Latency.' });
      h.observe(0.3);
      expect(() => h.observe(v)).toThrow(InvalidValueError);
      expect(() => h.observe(v)).toThrow('histogram observations must be finite numbers');
      expect(h.child.sum).toBe(0.3);
      expect(h.child.count).toBe(1);
    },
  );

  it('times a section into the histogram', async () => {
    const h = new Histogram({ name: 'work_seconds', help: 'Work.', buckets: [0.001, 10] });
    const end = h.startTimer();
    await new Promise((r) => setTimeout(r, 5));
    const seconds = end();
    expect(h.child.count).toBe(1);
    expect(h.child.sum).toBe(seconds);
    expect(Array.from(h.child.counts)).toEqual([0, 1, 1]);
  });

  it('writes OpenMetrics with canonical le values, integer counts and the unit', () => {
    const h = new Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      unit: 'seconds',
      buckets: [0.5, 1, 1e6],
    });
    h.observe(0.75);
    h.observe(3);
    expect(openMetrics(h)).toBe(
      [
        '# HELP latency_seconds Latency.',
        '# TYPE latency_seconds histogram',
        '# UNIT latency_seconds seconds',
        'latency_seconds_bucket{le="0.5"} 0',
        'latency_seconds_bucket{le="1.0"} 1',
        'latency_seconds_bucket{le="1e+06"} 2',
        'latency_seconds_bucket{le="+Inf"} 2',
        'latency_seconds_sum 3.75',
        'latency_seconds_count 2',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [[], 'buckets must hold at least one finite bound'],
    [[1, 1], 'buckets must be strictly increasing, but 1 at index 1 follows 1'],
    [[2, 1], 'buckets must be strictly increasing, but 1 at index 1 follows 2'],
    [[1, Number.NaN], 'bucket bound NaN at index 1 is not a finite number'],
  ])('rejects the bucket list %j', (buckets, message) => {
    expect(() => new Histogram({ name: 'h', help: 'H.', buckets })).toThrow(InvalidMetricOptionsError);
    expect(() => new Histogram({ name: 'h', help: 'H.', buckets })).toThrow(`histogram "h": ${message}`);
  });

  it('accepts an explicit trailing +Inf bound and still writes it once', () => {
    const h = new Histogram({ name: 'h', help: 'H.', buckets: [1, Number.POSITIVE_INFINITY] });
    h.observe(5);
    expect(text(h)).toBe(
      '# HELP h H.\n# TYPE h histogram\nh_bucket{le="1"} 0\nh_bucket{le="+Inf"} 1\nh_sum 5\nh_count 1\n',
    );
  });

  it('reserves the le label', () => {
    expect(() => new HistogramVec({ name: 'h', help: 'H.', labelNames: ['le'] })).toThrow(InvalidNameError);
    expect(() => new Histogram({ name: 'h', help: 'H.', constLabels: { le: '1' } })).toThrow(
      'Histogram "h": label name "le" is reserved for histogram buckets',
    );
  });
});

describe('HistogramVec', () => {
  it('keeps buckets per label set and writes le last among the labels', () => {
    const v = new HistogramVec({
      name: 'ttft_seconds',
      help: 'TTFT.',
      labelNames: ['model'],
      buckets: [0.1],
      constLabels: { zone: 'a' },
    });
    v.labels('m2').observe(0.05);
    v.labels('m1').observe(0.2);
    expect(text(v)).toBe(
      [
        '# HELP ttft_seconds TTFT.',
        '# TYPE ttft_seconds histogram',
        'ttft_seconds_bucket{model="m1",zone="a",le="0.1"} 0',
        'ttft_seconds_bucket{model="m1",zone="a",le="+Inf"} 1',
        'ttft_seconds_sum{model="m1",zone="a"} 0.2',
        'ttft_seconds_count{model="m1",zone="a"} 1',
        'ttft_seconds_bucket{model="m2",zone="a",le="0.1"} 1',
        'ttft_seconds_bucket{model="m2",zone="a",le="+Inf"} 1',
        'ttft_seconds_sum{model="m2",zone="a"} 0.05',
        'ttft_seconds_count{model="m2",zone="a"} 1',
        '',
      ].join('\n'),
    );
  });
});
