/**
 * Every worked vector of the reference (prometheus-formats-and-promql.md §4.6), Prometheus 2.42 column,
 * asserted to the last bit (`toBe` is `Object.is`, so NaN equals NaN and 0 differs from -0).
 */
import { describe, expect, it } from 'vitest';
import { instant, newEngine, single } from './helpers/engine.js';
import { loadPoints, loadSeries } from './helpers/series-notation.js';

type Triple = readonly [number | undefined, number | undefined, number | undefined];

async function rateIncreaseDelta(
  setup: (s: ReturnType<typeof newEngine>['store']) => void,
  sel: string,
  t: number,
) {
  const { store, engine } = newEngine();
  setup(store);
  return [
    await single(engine, `rate(${sel})`, t),
    await single(engine, `increase(${sel})`, t),
    await single(engine, `delta(${sel})`, t),
  ];
}

describe('rate, increase and delta match Prometheus 2.42 bit for bit', () => {
  const cases: [string, (s: ReturnType<typeof newEngine>['store']) => void, string, number, Triple][] = [
    ['R1', (s) => loadSeries(s, 'x', '0+15x20', 15_000), 'x[1m]', 300, [1, 60, 60]],
    ['R2', (s) => loadSeries(s, 'x', '0+15x20', 15_000), 'x[1m]', 307, [0.9999999999999999, 60, 60]],
    [
      'R3',
      (s) =>
        loadPoints(s, 'x', [
          [10, 5],
          [20, 12],
          [30, 20],
          [40, 3],
          [50, 9],
          [60, 15],
        ]),
      'x[1m]',
      60,
      [0.5833333333333333, 34.99999999999999, 12],
    ],
    ['R4', (s) => loadSeries(s, 'x', '10+10x5', 60_000), 'x[10m]', 300, [0.1, 60, 55.00000000000001]],
    [
      'R4b',
      (s) => loadSeries(s, 'x', '2+10x5', 60_000),
      'x[10m]',
      300,
      [0.08666666666666667, 52, 55.00000000000001],
    ],
    ['R5', (s) => loadSeries(s, 'x', '0+15x10', 15_000), 'x[5m]', 300, [0.525, 157.5, 157.5]],
    [
      'R6',
      (s) =>
        loadPoints(s, 'x', [
          [0, 10],
          [30, 7],
          [60, 12],
          [90, 4],
        ]),
      'x[2m]',
      100,
      [0.17777777777777776, 21.333333333333332, -8],
    ],
    ['R7', (s) => loadSeries(s, 'x', '0+10x9 0 10', 300_000), 'x[5m]', 3000, [0, 0, -90]],
    ['R8', (s) => loadSeries(s, 'x', '240+240x10', 240_000), 'x[20m]', 600, [0.7000000000000001, 840, 720]],
    [
      'R9',
      (s) =>
        loadPoints(s, 'x', [
          [0, 1],
          [10, 4],
          [20, 'stale'],
          [40, 9],
          [50, 12],
        ]),
      'x[1m]',
      55,
      [0.21833333333333332, 13.1, 13.2],
    ],
  ];
  for (const [id, setup, sel, t, expected] of cases) {
    it(`${id}: ${sel} at T=${t} gives ${expected.join(' / ')}`, async () => {
      expect(await rateIncreaseDelta(setup, sel, t)).toEqual(expected);
    });
  }
});

describe('irate and idelta match Prometheus 2.42', () => {
  const cases: [
    string,
    readonly (readonly [number, number])[],
    string,
    number,
    number | undefined,
    number | undefined,
  ][] = [
    [
      'I1',
      [
        [0, 0],
        [15, 10],
        [30, 25],
        [45, 45],
      ],
      '1m',
      45,
      1.3333333333333333,
      20,
    ],
    [
      'I2',
      [
        [0, 100],
        [15, 120],
        [30, 5],
      ],
      '1m',
      30,
      0.3333333333333333,
      -115,
    ],
    [
      'I3',
      [
        [0, 10],
        [30, 7],
        [60, 12],
        [90, 4],
      ],
      '2m',
      90,
      0.13333333333333333,
      -8,
    ],
    [
      'I4',
      [
        [0, 3],
        [5, 9],
        [25, 30],
      ],
      '1m',
      30,
      1.05,
      21,
    ],
    [
      'I5',
      [
        [0, 0],
        [60, 60],
        [120, 120],
      ],
      '1m',
      120,
      1,
      60,
    ],
  ];
  for (const [id, points, range, t, irate, idelta] of cases) {
    it(`${id}: irate ${irate}, idelta ${idelta}`, async () => {
      const { store, engine } = newEngine();
      loadPoints(store, 'x', points);
      expect(await single(engine, `irate(x[${range}])`, t)).toBe(irate);
      expect(await single(engine, `idelta(x[${range}])`, t)).toBe(idelta);
    });
  }
});

describe('histogram_quantile matches Prometheus 2.42 on classic buckets', () => {
  const sets: [string, readonly (readonly [string, number])[], readonly (readonly [number, number])[]][] = [
    [
      'H1',
      [
        ['0.1', 10],
        ['0.5', 30],
        ['1', 45],
        ['+Inf', 50],
      ],
      [
        [0, 0],
        [0.05, 0.025],
        [0.5, 0.4],
        [0.6, 0.5],
        [0.9, 1],
        [0.95, 1],
        [1, 1],
        [-0.1, -Infinity],
        [1.1, Infinity],
        [Number.NaN, Number.NaN],
      ],
    ],
    [
      'H2',
      [
        ['1', 5],
        ['2', 3],
        ['4', 8],
        ['+Inf', 10],
      ],
      [
        [0.5, 1],
        [0.6, 2.6666666666666665],
        [0.9, 4],
      ],
    ],
    [
      'H3',
      [
        ['1', 5],
        ['2', 10],
      ],
      [
        [0.5, Number.NaN],
        [1.5, Infinity],
      ],
    ],
    [
      'H4',
      [
        ['1', 0],
        ['2', 0],
        ['+Inf', 0],
      ],
      [[0.5, Number.NaN]],
    ],
    [
      'H5',
      [
        ['-1', 2],
        ['0', 5],
        ['1', 8],
        ['+Inf', 10],
      ],
      [
        [0.1, -1],
        [0.3, -0.6666666666666667],
        [0.75, 0.8333333333333334],
      ],
    ],
    ['H6', [['+Inf', 7]], [[0.5, Number.NaN]]],
    [
      'H7',
      [
        ['0.1', 0],
        ['1', 4],
        ['+Inf', 4],
      ],
      [
        [0, Number.NaN],
        [0.25, 0.325],
        [1, 1],
      ],
    ],
    [
      'H8',
      [
        ['0.1', 0],
        ['0.2', 0],
        ['0.5', 4],
        ['+Inf', 4],
      ],
      [[0.5, 0.35]],
    ],
    [
      'H9',
      [
        ['0.25', 3],
        ['0.5', 7],
        ['1', 9],
        ['2.5', 10],
        ['+Inf', 12],
      ],
      [
        [0.5, 0.4375],
        [0.8, 1.9000000000000021],
        [0.99, 2.5],
      ],
    ],
  ];
  for (const [id, buckets, qs] of sets) {
    it(`${id}: ${qs.map(([q, r]) => `${q}→${r}`).join(', ')}`, async () => {
      const { store, engine } = newEngine();
      for (const [le, count] of buckets)
        loadSeries(store, `h_bucket{job="x",le="${le}"}`, `${count}`, 15_000);
      for (const [q, expected] of qs) {
        const rows = await instant(engine, `histogram_quantile(${q}, h_bucket)`, 0);
        expect(rows).toEqual([{ labels: { job: 'x' }, value: expected }]);
      }
    });
  }

  it('H10: le="1" and le="1.0" coalesce into one bucket and the result has no labels', async () => {
    const { store, engine } = newEngine();
    loadSeries(store, 'h_bucket{le="1"}', '3', 15_000);
    loadSeries(store, 'h_bucket{le="1.0"}', '2', 15_000);
    loadSeries(store, 'h_bucket{le="+Inf"}', '10', 15_000);
    expect(await instant(engine, 'histogram_quantile(0.5, h_bucket)', 0)).toEqual([{ labels: {}, value: 1 }]);
    expect(await instant(engine, 'histogram_quantile(0.25, h_bucket)', 0)).toEqual([
      { labels: {}, value: 0.5 },
    ]);
  });
});

describe('pipeline P1 matches Prometheus 2.42', () => {
  function load() {
    const env = newEngine();
    loadSeries(env.store, 'h_bucket{instance="a",le="0.1"}', '0+1x8', 15_000);
    loadSeries(env.store, 'h_bucket{instance="a",le="0.5"}', '0+3x8', 15_000);
    loadSeries(env.store, 'h_bucket{instance="a",le="+Inf"}', '0+4x8', 15_000);
    loadSeries(env.store, 'h_bucket{instance="b",le="0.1"}', '10+2x8', 15_000);
    loadSeries(env.store, 'h_bucket{instance="b",le="0.5"}', '20+2x8', 15_000);
    loadSeries(env.store, 'h_bucket{instance="b",le="+Inf"}', '30+6x8', 15_000);
    return env;
  }

  it('rate of every bucket', async () => {
    const { engine } = load();
    expect(await instant(engine, 'rate(h_bucket[1m])', 120)).toEqual([
      { labels: { instance: 'a', le: '+Inf' }, value: 0.26666666666666666 },
      { labels: { instance: 'a', le: '0.1' }, value: 0.06666666666666667 },
      { labels: { instance: 'a', le: '0.5' }, value: 0.2 },
      { labels: { instance: 'b', le: '+Inf' }, value: 0.4 },
      { labels: { instance: 'b', le: '0.1' }, value: 0.13333333333333333 },
      { labels: { instance: 'b', le: '0.5' }, value: 0.13333333333333333 },
    ]);
  });

  it('quantiles of rates and sums of rates', async () => {
    const { engine } = load();
    expect(await instant(engine, 'histogram_quantile(0.5, rate(h_bucket{instance="a"}[1m]))', 120)).toEqual([
      { labels: { instance: 'a' }, value: 0.29999999999999993 },
    ]);
    expect(await instant(engine, 'sum by (le) (rate(h_bucket[1m]))', 120)).toEqual([
      { labels: { le: '+Inf' }, value: 0.6666666666666667 },
      { labels: { le: '0.1' }, value: 0.2 },
      { labels: { le: '0.5' }, value: 0.33333333333333337 },
    ]);
    expect(await instant(engine, 'histogram_quantile(0.9, sum by (le)(rate(h_bucket[1m])))', 120)).toEqual([
      { labels: {}, value: 0.5 },
    ]);
    expect(await instant(engine, 'histogram_quantile(0.5, h_bucket)', 120)).toEqual([
      { labels: { instance: 'a' }, value: 0.30000000000000004 },
      { labels: { instance: 'b' }, value: 0.5 },
    ]);
  });
});

describe('sum by and without match Prometheus 2.42', () => {
  function load() {
    const env = newEngine();
    loadSeries(env.store, 'x{job="a",instance="1"}', '1', 15_000);
    loadSeries(env.store, 'x{job="a",instance="2"}', '2', 15_000);
    loadSeries(env.store, 'x{job="b",instance="3"}', '4', 15_000);
    loadSeries(env.store, 'y{job="a"}', '8', 15_000);
    return env;
  }
  const cases: [string, { labels: Record<string, string>; value: number }[]][] = [
    [
      'sum by (job) (x)',
      [
        { labels: { job: 'a' }, value: 3 },
        { labels: { job: 'b' }, value: 4 },
      ],
    ],
    [
      'sum without (instance) (x)',
      [
        { labels: { job: 'a' }, value: 3 },
        { labels: { job: 'b' }, value: 4 },
      ],
    ],
    ['sum by (nonexistent) (x)', [{ labels: {}, value: 7 }]],
    [
      'sum by (__name__) ({job="a"})',
      [
        { labels: { __name__: 'x' }, value: 3 },
        { labels: { __name__: 'y' }, value: 8 },
      ],
    ],
    [
      'sum without (job) ({__name__=~"x|y"})',
      [
        { labels: { instance: '1' }, value: 1 },
        { labels: { instance: '2' }, value: 2 },
        { labels: { instance: '3' }, value: 4 },
        { labels: {}, value: 8 },
      ],
    ],
    ['sum(nonexistent)', []],
  ];
  for (const [query, expected] of cases) {
    it(query, async () => {
      const { engine } = load();
      expect(await instant(engine, query, 0)).toEqual(expected);
    });
  }

  it('sum without () drops the names, so x and y merge', async () => {
    const { store, engine } = newEngine();
    loadSeries(store, 'x{job="a"}', '1', 15_000);
    loadSeries(store, 'y{job="a"}', '2', 15_000);
    expect(await instant(engine, 'sum without () ({job="a"})', 0)).toEqual([
      { labels: { job: 'a' }, value: 3 },
    ]);
  });

  const precision: [string, string[], number][] = [
    ['0.1, 0.2, 0.3', ['0.1', '0.2', '0.3'], 0.6000000000000001],
    ['1e100, 1, -1e100', ['1e100', '1', '-1e100'], 0],
    ['1, NaN', ['1', 'NaN'], Number.NaN],
    ['+Inf, -Inf', ['Inf', '-Inf'], Number.NaN],
  ];
  for (const [name, values, expected] of precision) {
    it(`adds ${name} left to right in label order: ${expected}`, async () => {
      const { store, engine } = newEngine();
      for (const [i, v] of values.entries()) loadSeries(store, `s{i="${i + 1}"}`, v, 15_000);
      expect(await single(engine, 'sum(s)', 0)).toBe(expected);
    });
  }
});

describe('lookback and staleness match Prometheus 2.42', () => {
  it('L1: a sample stays visible for exactly 5 minutes, closed at both ends', async () => {
    const { store, engine } = newEngine();
    loadPoints(store, 'l1', [[0, 1]]);
    expect(await single(engine, 'l1', 299.999)).toBe(1);
    expect(await single(engine, 'l1', 300)).toBe(1);
    expect(await single(engine, 'l1', 300.001)).toBeUndefined();
    expect(await single(engine, 'count_over_time(l1[5m])', 300)).toBe(1);
  });

  it('L2: a staleness marker hides the series at once, and range functions skip it', async () => {
    const { store, engine } = newEngine();
    loadPoints(store, 'l2', [
      [0, 1],
      [15, 2],
      [30, 'stale'],
    ]);
    expect(await single(engine, 'l2', 29)).toBe(2);
    expect(await single(engine, 'l2', 30)).toBeUndefined();
    expect(await single(engine, 'l2', 45)).toBeUndefined();
    expect(await single(engine, 'count_over_time(l2[1m])', 45)).toBe(2);
  });
});
