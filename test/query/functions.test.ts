/** Every supported function and operator on small hand-checked inputs, including the error cases. */
import { describe, expect, it } from 'vitest';
import { EvaluationError } from '../../src/query/errors.js';
import { instant, newEngine, single } from './helpers/engine.js';
import { loadPoints, loadSeries } from './helpers/series-notation.js';

function setup() {
  const env = newEngine();
  loadSeries(env.store, 'g{job="a",i="1"}', '1 -2 3 Inf NaN -5', 60_000);
  loadSeries(env.store, 'g{job="a",i="2"}', '10 20 30 40 50 60', 60_000);
  loadSeries(env.store, 'g{job="b",i="3"}', '100 100 100 100 100 100', 60_000);
  loadSeries(env.store, 'w{job="a"}', '2 2 2 2 2 2', 60_000);
  loadSeries(env.store, 'w{job="b"}', '3 3 3 3 3 3', 60_000);
  loadSeries(env.store, 'v{job="a"}', '7', 60_000);
  return env;
}

const at = (minute: number) => minute * 60;

describe('instant-vector functions', () => {
  it('abs, clamp_min and clamp_max drop the name and follow Go math (Inf beats NaN in clamps)', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'abs(g{i="1"})', at(1))).toEqual([
      { labels: { i: '1', job: 'a' }, value: 2 },
    ]);
    expect(await single(engine, 'clamp_min(g{i="1"}, 0)', at(1))).toBe(0);
    expect(await single(engine, 'clamp_max(g{i="1"}, 0)', at(2))).toBe(0);
    expect(await single(engine, 'clamp_max(g{i="1"}, 10)', at(3))).toBe(10);
    expect(await single(engine, 'clamp_min(g{i="1"}, Inf)', at(4))).toBe(Number.POSITIVE_INFINITY);
    expect(await single(engine, 'clamp_max(g{i="1"}, 1)', at(4))).toBeNaN();
  });

  it('vector, scalar and time convert between scalars and vectors', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'vector(time())', 120)).toEqual([{ labels: {}, value: 120 }]);
    expect(await instant(engine, 'scalar(w{job="b"})', 0)).toEqual([{ labels: {}, value: 3 }]);
    expect((await instant(engine, 'scalar(w)', 0))[0].value).toBeNaN();
    expect((await instant(engine, 'scalar(nothing)', 0))[0].value).toBeNaN();
  });
});

describe('range-vector functions', () => {
  it('the *_over_time family over a closed window', async () => {
    const { engine } = setup();
    const over = (f: string) => single(engine, `${f}(g{i="2"}[2m])`, at(3));
    expect(await over('avg_over_time')).toBe(30);
    expect(await over('sum_over_time')).toBe(90);
    expect(await over('min_over_time')).toBe(20);
    expect(await over('max_over_time')).toBe(40);
    expect(await over('count_over_time')).toBe(3);
    expect(await instant(engine, 'last_over_time(g{i="2"}[2m])', at(3))).toEqual([
      { labels: { __name__: 'g', i: '2', job: 'a' }, value: 40 },
    ]);
  });

  it('min and max over time skip NaN unless it comes first; sums propagate it', async () => {
    const { engine } = setup();
    expect(await single(engine, 'max_over_time(g{i="1"}[5m])', at(5))).toBe(Number.POSITIVE_INFINITY);
    expect(await single(engine, 'min_over_time(g{i="1"}[1m])', at(5))).toBe(-5);
    expect(await single(engine, 'sum_over_time(g{i="1"}[1m])', at(5))).toBeNaN();
  });

  it('uses compensated summation in sum_over_time and avg_over_time (2.42 values from promtool)', async () => {
    const { store, engine } = newEngine();
    loadSeries(store, 's', '1e100 1 -1e100', 60_000);
    loadSeries(store, 'a', '0.1 0.2 0.3', 60_000);
    expect(await single(engine, 'sum_over_time(s[5m])', 120)).toBe(1);
    expect(await single(engine, 'avg_over_time(s[5m])', 120)).toBe(0);
    expect(await single(engine, 'sum_over_time(a[5m])', 120)).toBe(0.6);
  });

  it('rate needs two samples and refuses identical timestamps in irate', async () => {
    const { store, engine } = newEngine();
    loadPoints(store, 'one', [[0, 1]]);
    expect(await single(engine, 'rate(one[5m])', 60)).toBeUndefined();
    expect(await single(engine, 'irate(one[5m])', 60)).toBeUndefined();
  });
});

describe('aggregations', () => {
  it('sum, avg, min, max and count by and without labels', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'sum by (job) (g)', 0)).toEqual([
      { labels: { job: 'a' }, value: 11 },
      { labels: { job: 'b' }, value: 100 },
    ]);
    expect(await instant(engine, 'avg without (i) (g)', 0)).toEqual([
      { labels: { job: 'a' }, value: 5.5 },
      { labels: { job: 'b' }, value: 100 },
    ]);
    expect(await single(engine, 'min(g)', 0)).toBe(1);
    expect(await single(engine, 'max(g)', 0)).toBe(100);
    expect(await single(engine, 'count(g)', 0)).toBe(3);
    expect(await single(engine, 'avg(g)', at(3))).toBe(Number.POSITIVE_INFINITY);
  });

  it('topk and bottomk keep the original series, by group', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'topk(1, g)', 0)).toEqual([
      { labels: { __name__: 'g', i: '3', job: 'b' }, value: 100 },
    ]);
    expect(await instant(engine, 'bottomk by (job) (1, g)', 0)).toEqual([
      { labels: { __name__: 'g', i: '1', job: 'a' }, value: 1 },
      { labels: { __name__: 'g', i: '3', job: 'b' }, value: 100 },
    ]);
    expect(await instant(engine, 'topk(0, g)', 0)).toEqual([]);
    await expect(instant(engine, 'topk(1e300, g)', 0)).rejects.toThrow('Scalar value 1e+300 overflows int64');
  });
});

describe('binary operators', () => {
  it('arithmetic with scalars drops the name; comparisons filter or return bool', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'g{i="2"} * 2', 0)).toEqual([{ labels: { i: '2', job: 'a' }, value: 20 }]);
    expect(await instant(engine, '2 ^ g{i="1"}', 0)).toEqual([{ labels: { i: '1', job: 'a' }, value: 2 }]);
    expect(await instant(engine, 'g{i="2"} % 3', 0)).toEqual([{ labels: { i: '2', job: 'a' }, value: 1 }]);
    expect(await instant(engine, 'g > 5', 0)).toEqual([
      { labels: { __name__: 'g', i: '2', job: 'a' }, value: 10 },
      { labels: { __name__: 'g', i: '3', job: 'b' }, value: 100 },
    ]);
    expect(await instant(engine, '5 < g', 0)).toHaveLength(2);
    expect(await instant(engine, 'g >= bool 10', 0)).toEqual([
      { labels: { i: '1', job: 'a' }, value: 0 },
      { labels: { i: '2', job: 'a' }, value: 1 },
      { labels: { i: '3', job: 'b' }, value: 1 },
    ]);
    expect(await single(engine, '1 == bool 1', 0)).toBe(1);
    expect(await single(engine, '-(2 ^ 2)', 0)).toBe(-4);
  });

  it('matches vectors with on, ignoring, group_left and group_right', async () => {
    const { engine } = setup();
    expect(await instant(engine, 'g * on(job) group_left w', 0)).toEqual([
      { labels: { i: '1', job: 'a' }, value: 2 },
      { labels: { i: '2', job: 'a' }, value: 20 },
      { labels: { i: '3', job: 'b' }, value: 300 },
    ]);
    expect(await instant(engine, 'w * on(job) group_right g', 0)).toHaveLength(3);
    expect(await instant(engine, 'sum by (job) (g) / ignoring(i) w', 0)).toEqual([
      { labels: { job: 'a' }, value: 5.5 },
      { labels: { job: 'b' }, value: 33.333333333333336 },
    ]);
    expect(await instant(engine, 'g > on(job) group_left w', 0)).toHaveLength(2);
  });

  it('and, or and unless compare label signatures', async () => {
    const { engine } = setup();
    expect((await instant(engine, 'g and on(job) w{job="b"}', 0)).map((r) => r.labels.i)).toEqual(['3']);
    expect((await instant(engine, 'g unless on(job) w{job="b"}', 0)).map((r) => r.labels.i)).toEqual([
      '1',
      '2',
    ]);
    expect(await instant(engine, 'w{job="a"} or on(job) g', 0)).toEqual([
      { labels: { __name__: 'w', job: 'a' }, value: 2 },
      { labels: { __name__: 'g', i: '3', job: 'b' }, value: 100 },
    ]);
  });

  it('fails like Prometheus on ambiguous matches and duplicate label sets', async () => {
    const { engine } = setup();
    await expect(instant(engine, 'w * on(job) g', 0)).rejects.toThrow(EvaluationError);
    await expect(instant(engine, 'w * on(job) g', 0)).rejects.toThrow(
      'found duplicate series for the match group {job="a"} on the right hand-side of the operation: [{__name__="g", i="2", job="a"}, {__name__="g", i="1", job="a"}];many-to-many matching not allowed: matching labels must be unique on one side',
    );
    await expect(instant(engine, 'sum by (job, i) (g) + on(job) w', 0)).rejects.toThrow(
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
    // group_left(i) copies i from the "one" side, which has none: both job="a" results collide.
    await expect(instant(engine, 'g * on(job) group_left(i) w', 0)).rejects.toThrow(
      'multiple matches for labels: grouping labels must ensure unique matches',
    );
    await expect(instant(engine, '-{__name__=~"w|x"}', 0)).resolves.toHaveLength(2);
    await expect(instant(engine, 'abs({__name__=~"v|w"})', 0)).rejects.toThrow(
      'vector cannot contain metrics with the same labelset',
    );
    await expect(instant(engine, 'rate({__name__=~"v|w"}[5m])', 0)).resolves.toEqual([]);
  });
});
