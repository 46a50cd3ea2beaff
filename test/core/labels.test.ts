import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Counter,
  CounterVec,
  GaugeVec,
  InvalidMetricOptionsError,
  InvalidNameError,
  InvalidValueError,
  LabelCardinalityError,
  OVERFLOW_LABEL_VALUE,
} from '../../src/core/index.js';
import { text } from '../helpers/expose.js';

const requests = () =>
  new CounterVec({ name: 'requests_total', help: 'Requests.', labelNames: ['method', 'code'] as const });

describe('resolving label values', () => {
  it('returns the same stable child handle for positional and named values', () => {
    const v = requests();
    const a = v.labels('GET', '200');
    const b = v.labels({ code: '200', method: 'GET' });
    expect(b).toBe(a);
    a.inc();
    b.inc();
    expect(v.labels('GET', '200').value).toBe(2);
    expect(v.seriesCount).toBe(1);
  });

  it('copies the values: changing the caller object afterwards changes nothing', () => {
    const v = requests();
    const given = { method: 'GET', code: '200' };
    v.labels(given).inc();
    given.method = 'CHANGED';
    expect(text(v)).toContain('requests_total{code="200",method="GET"} 1\n');
    expect(text(v)).not.toContain('CHANGED');
    expect(v.labels('GET', '200').labelValues).toEqual(['GET', '200']);
  });

  it.each([
    [['GET'], 'expected 2 label value(s) for ["method","code"], got 1: ["GET"]'],
    [['GET', '200', 'x'], 'expected 2 label value(s) for ["method","code"], got 3: ["GET","200","x"]'],
    [[], 'expected 2 label value(s) for ["method","code"], got 0: []'],
  ])('rejects %j: wrong number of positional values', (values, message) => {
    const v = requests();
    expect(() => (v.labels as unknown as (...a: string[]) => unknown)(...values)).toThrow(
      LabelCardinalityError,
    );
    expect(() => (v.labels as unknown as (...a: string[]) => unknown)(...values)).toThrow(
      `metric "requests_total": ${message}`,
    );
    expect(v.seriesCount).toBe(0);
  });

  it('rejects a named label set with a missing, unknown or extra label, even for an existing series', () => {
    const v = requests();
    v.labels('GET', '200').inc();
    const bad = (o: object) => () => v.labels(o as { method: string; code: string });
    expect(bad({ method: 'GET' })).toThrow('missing label "code"; label names are ["method","code"]');
    expect(bad({ method: 'GET', status: '200' })).toThrow('unknown label "status"');
    expect(bad({ method: 'GET', code: '200', extra: 'x' })).toThrow(LabelCardinalityError);
    expect(v.seriesCount).toBe(1);
  });

  it('rejects values that are not strings or not well-formed UTF-16', () => {
    const v = requests();
    expect(() => v.labels('GET', 200 as unknown as string)).toThrow(
      'metric "requests_total": value of label "code" must be a string, got 200',
    );
    expect(() => v.labels({ method: undefined as unknown as string, code: '1' })).toThrow(
      'value of label "method" must be a string, got undefined',
    );
    expect(() => v.labels('GET', 'bad\ud800')).toThrow(InvalidValueError);
    expect(() => v.labels('GET', 'bad\ud800')).toThrow('contains a lone UTF-16 surrogate');
    expect(v.seriesCount).toBe(0);
  });

  it('never lets two different label sets share a series, whatever the values hold', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string(), fc.string(), fc.string()), {
          selector: (t) => JSON.stringify(t),
          minLength: 1,
          maxLength: 40,
        }),
        (sets) => {
          const v = new CounterVec({ name: 'c_total', help: 'C.', labelNames: ['a', 'b', 'c'] });
          sets.forEach(([a, b, c], i) => {
            v.labels(a, b, c).inc(i + 1);
          });
          expect(v.seriesCount).toBe(sets.length);
          sets.forEach(([a, b, c], i) => {
            expect(v.labels({ a, b, c }).value).toBe(i + 1);
            expect(v.labels(a, b, c).labelValues).toEqual([a, b, c]);
          });
        },
      ),
    );
  });

  it('keeps label sets apart that collide in prom-client and rust-prometheus', () => {
    const v = new CounterVec({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] });
    v.labels('x,b:y', '').inc();
    v.labels('x', 'y').inc();
    v.labels('x|', '').inc();
    v.labels('x', '|').inc();
    v.labels('ab', 'c').inc();
    v.labels('a', 'bc').inc();
    expect(v.seriesCount).toBe(6);
  });

  it('accepts label names that are JavaScript property names of objects', () => {
    const v = new CounterVec({ name: 'c_total', help: 'C.', labelNames: ['constructor', 'toString'] });
    v.labels({ constructor: 'a', toString: 'b' }).inc();
    expect(() => v.labels({ toString: 'b' } as never)).toThrow('missing label "constructor"');
    expect(text(v)).toContain('c_total{constructor="a",toString="b"} 1\n');
  });
});

describe('removing series', () => {
  it('removes one series by values, and a removed handle is no longer exposed', () => {
    const v = requests();
    const gone = v.labels('GET', '200');
    v.labels('GET', '500').inc();
    gone.inc();
    expect(v.remove('GET', '200')).toBe(true);
    expect(v.remove({ method: 'GET', code: '200' })).toBe(false);
    expect(v.remove('PUT', '200')).toBe(false);
    gone.inc();
    expect(text(v)).toBe(
      '# HELP requests_total Requests.\n# TYPE requests_total counter\nrequests_total{code="500",method="GET"} 1\n',
    );
    expect(v.labels('GET', '200').value).toBe(0);
  });

  it('clears every series of a vector and resets an unlabelled metric', () => {
    const v = requests();
    v.labels('GET', '200').inc();
    v.labels('POST', '200').inc();
    v.clear();
    expect(v.seriesCount).toBe(0);
    expect(text(v)).toBe('');
    const c = new Counter({ name: 'c_total', help: 'C.' });
    c.inc(3);
    c.clear();
    expect(c.value).toBe(0);
    expect(text(c)).toBe('# HELP c_total C.\n# TYPE c_total counter\nc_total 0\n');
  });
});

describe('series limits', () => {
  it('records label sets past maxSeries into one overflow series and counts them', () => {
    const v = new GaugeVec({
      name: 'by_user',
      help: 'Per user.',
      labelNames: ['user', 'region'],
      maxSeries: 2,
    });
    v.labels('alice', 'eu').set(1);
    v.labels('bob', 'us').set(2);
    v.labels('carol', 'eu').set(3);
    v.labels('dave', 'us').inc(4);
    v.labels('alice', 'eu').set(10);
    expect(v.refusedSeries).toBe(2);
    expect(v.seriesCount).toBe(3);
    expect(text(v)).toBe(
      '# HELP by_user Per user.\n# TYPE by_user gauge\n' +
        `by_user{region="${OVERFLOW_LABEL_VALUE}",user="${OVERFLOW_LABEL_VALUE}"} 7\n` +
        'by_user{region="eu",user="alice"} 10\n' +
        'by_user{region="us",user="bob"} 2\n',
    );
  });

  it('frees room when series are removed', () => {
    const v = new GaugeVec({ name: 'g', help: 'G.', labelNames: ['k'], maxSeries: 1 });
    v.labels('a').set(1);
    v.remove('a');
    v.labels('b').set(2);
    expect(v.refusedSeries).toBe(0);
    expect(text(v)).toContain('g{k="b"} 2\n');
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxSeries %s', (maxSeries) => {
    expect(() => new GaugeVec({ name: 'g', help: 'G.', labelNames: ['k'], maxSeries })).toThrow(
      InvalidMetricOptionsError,
    );
  });
});

describe('metric options', () => {
  it.each([
    ['1abc', 'invalid metric name "1abc"'],
    ['a-b', 'invalid metric name "a-b"'],
    ['', 'invalid metric name ""'],
  ])('rejects the metric name %j', (name, message) => {
    expect(() => new Counter({ name, help: 'H.' })).toThrow(InvalidNameError);
    expect(() => new Counter({ name, help: 'H.' })).toThrow(message);
  });

  it('accepts colons in metric names, as engines use them', () => {
    expect(new Counter({ name: 'vllm:prompt_tokens_total', help: 'H.' }).descriptor.name).toBe(
      'vllm:prompt_tokens_total',
    );
  });

  it('rejects an empty or non-string HELP and HELP with a lone surrogate', () => {
    expect(() => new Counter({ name: 'c_total', help: '' })).toThrow(
      'metric "c_total": HELP must not be empty',
    );
    expect(() => new Counter({ name: 'c_total', help: 3 as unknown as string })).toThrow(InvalidValueError);
    expect(() => new Counter({ name: 'c_total', help: '\udc00' })).toThrow('lone UTF-16 surrogate');
  });

  it.each([
    [{ labelNames: ['a-b'] }, 'invalid label name "a-b"'],
    [{ labelNames: ['__x'] }, 'label name "__x" is reserved'],
    [{ labelNames: ['a', 'a'] }, 'duplicate label name "a"'],
    [{ labelNames: ['a'], constLabels: { a: '1' } }, 'duplicate label name "a"'],
    [{ labelNames: ['a'], constLabels: { 'b:c': '1' } }, 'invalid label name "b:c"'],
    [{ labelNames: ['a'], constLabels: { b: 1 } }, 'const label "b" value must be a string, got 1'],
  ])('rejects the labels %j', (labels, message) => {
    expect(
      () => new CounterVec({ name: 'c_total', help: 'C.', ...(labels as { labelNames: string[] }) }),
    ).toThrow(message);
  });

  it('requires label names on vectors and refuses them on single-series metrics', () => {
    expect(() => new CounterVec({ name: 'c_total', help: 'C.', labelNames: [] })).toThrow(
      'CounterVec "c_total" needs at least one label name',
    );
    expect(() => new Counter({ name: 'c_total', help: 'C.', labelNames: ['a'] } as never)).toThrow(
      'Counter "c_total" takes no label names',
    );
  });

  it('checks that a unit is the suffix of the name', () => {
    expect(() => new Counter({ name: 'size_total', help: 'S.', unit: 'bytes' })).toThrow(
      'OpenMetrics requires the name to end in "_bytes" for unit "bytes"',
    );
    expect(new Counter({ name: 'size_bytes_total', help: 'S.', unit: 'bytes' }).descriptor.unit).toBe(
      'bytes',
    );
  });

  it('sorts const and variable labels together by name', () => {
    const v = new CounterVec({
      name: 'c_total',
      help: 'C.',
      labelNames: ['zeta', 'alpha'],
      constLabels: { mid: 'm', worker_id: 'w' },
    });
    v.labels('z', 'a').inc();
    expect(text(v)).toContain('c_total{alpha="a",mid="m",worker_id="w",zeta="z"} 1\n');
    expect(v.labels('z', 'a').labels).toEqual([
      { name: 'alpha', value: 'a' },
      { name: 'mid', value: 'm' },
      { name: 'worker_id', value: 'w' },
      { name: 'zeta', value: 'z' },
    ]);
  });

  it('type-checks label names and the number of positional values', () => {
    const v = requests();
    // @ts-expect-error a label name that is not declared
    expect(() => v.labels({ method: 'GET', status: '200' })).toThrow();
    // @ts-expect-error too few positional values
    expect(() => v.labels('GET')).toThrow();
    expect(v.labels('GET', '200').value).toBe(0);
  });
});

describe('series order', () => {
  const sortedBy = (rows: string[][], order: number[]) =>
    [...rows].sort((x, y) => {
      for (const i of order) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    });

  it('exposes series sorted by label values in label-name order, whatever the creation and removal order', () => {
    const value = fc.constantFrom('', 'a', 'b', 'B', 'é', 'a"', 'z', '10', '9');
    const op = fc.record({ add: fc.boolean(), values: fc.tuple(value, value, value) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.boolean(), (ops, declaredSorted) => {
        // Declared as (z, a, m) unless sorted: series order is by a, then m, then z.
        const names = declaredSorted ? (['a', 'm', 'z'] as const) : (['z', 'a', 'm'] as const);
        const order = declaredSorted ? [0, 1, 2] : [1, 2, 0];
        const v = new GaugeVec({ name: 'g', help: 'g', labelNames: names });
        const live = new Map<string, string[]>();
        for (const { add, values } of ops) {
          const key = JSON.stringify(values);
          if (add) {
            v.labels(...values).set(1);
            live.set(key, values);
          } else {
            expect(v.remove(...values)).toBe(live.delete(key));
          }
          const got = (v.collect()?.series ?? []).map((s) => names.map((_, i) => s.labelValue!(i)));
          expect(got).toEqual(sortedBy([...live.values()], order));
        }
      }),
    );
  });

  it('keeps a collected family unchanged when series are added afterwards', () => {
    const v = requests();
    v.labels('PUT', '200').inc();
    const before = v.collect();
    v.labels('GET', '200').inc();
    expect(before?.series.length).toBe(1);
    expect(v.collect()?.series.map((s) => s.labelValue!(0))).toEqual(['GET', 'PUT']);
  });
});
