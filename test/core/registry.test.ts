import { describe, expect, it } from 'vitest';
import {
  AlreadyRegisteredError,
  Counter,
  CounterVec,
  Gauge,
  Histogram,
  HistogramVec,
  IntCounter,
  RegistrationConflictError,
  Registry,
} from '../../src/core/index.js';
import { text } from '../helpers/expose.js';

describe('Registry', () => {
  it('gathers families sorted by name, leaving out vectors without series', () => {
    const r = new Registry();
    r.register(new Gauge({ name: 'zeta', help: 'Z.' })).set(1);
    r.register(new Counter({ name: 'alpha_total', help: 'A.' })).inc(2);
    r.register(new CounterVec({ name: 'beta_total', help: 'B.', labelNames: ['x'] }));
    expect(r.gather().map((f) => f.name)).toEqual(['alpha_total', 'zeta']);
    expect(text(r)).toBe(
      '# HELP alpha_total A.\n# TYPE alpha_total counter\nalpha_total 2\n# HELP zeta Z.\n# TYPE zeta gauge\nzeta 1\n',
    );
  });

  it('rejects a second metric with the same name and const labels, carrying the registered one', () => {
    const r = new Registry();
    const first = r.register(new Counter({ name: 'jobs_total', help: 'Jobs.', constLabels: { zone: 'a' } }));
    let error: unknown;
    try {
      r.register(new Counter({ name: 'jobs_total', help: 'Other help.', constLabels: { zone: 'a' } }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlreadyRegisteredError);
    expect((error as AlreadyRegisteredError).existing).toBe(first);
    expect((error as Error).message).toBe(
      'metric "jobs_total" with const labels {zone="a"} is already registered (as Counter)',
    );
  });

  it('accepts registering the same metric object twice', () => {
    const r = new Registry();
    const c = new Counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(r.register(c)).toBe(c);
    expect(r.register(c)).toBe(c);
    expect(r.metrics()).toEqual([c]);
  });

  it('merges metrics of one name with different const label values into one family', () => {
    const r = new Registry();
    r.register(new Counter({ name: 'jobs_total', help: 'Jobs.', constLabels: { zone: 'b' } })).inc(2);
    r.register(new Counter({ name: 'jobs_total', help: 'Jobs.', constLabels: { zone: 'a' } })).inc(1);
    expect(text(r)).toBe(
      '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{zone="a"} 1\njobs_total{zone="b"} 2\n',
    );
  });

  it('merges metrics of one name when one of them holds 300k series', () => {
    const r = new Registry();
    const big = r.register(
      new CounterVec({ name: 'big_total', help: 'Big.', labelNames: ['i'], constLabels: { zone: 'a' } }),
    );
    r.register(
      new CounterVec({ name: 'big_total', help: 'Big.', labelNames: ['i'], constLabels: { zone: 'b' } }),
    )
      .labels('x')
      .inc();
    for (let i = 0; i < 300_000; i++) big.labels(String(i));
    const [family] = r.gather();
    expect(family.series).toHaveLength(300_001);
    expect(family.series.map((s) => s.labels[1].value).filter((zone) => zone === 'b')).toEqual(['b']);
  });

  it.each([
    ['a different help', { help: 'Other.' }, 'help "Other."'],
    ['a different type', { type: 'gauge' }, 'type gauge'],
    ['different label names', { constLabels: { region: 'a' } }, 'label names ["region"]'],
  ])('rejects a metric of the same name with %s, and registers nothing', (_, change, detail) => {
    const r = new Registry();
    r.register(new Counter({ name: 'jobs', help: 'Jobs.', constLabels: { zone: 'a' } }));
    const { type, ...options } = change as {
      type?: string;
      help?: string;
      constLabels?: Record<string, string>;
    };
    const metric =
      type === 'gauge'
        ? new Gauge({ name: 'jobs', help: 'Jobs.', constLabels: { zone: 'b' }, ...options })
        : new Counter({ name: 'jobs', help: 'Jobs.', constLabels: { zone: 'b' }, ...options });
    expect(() => r.register(metric)).toThrow(RegistrationConflictError);
    expect(() => r.register(metric)).toThrow(
      'metric "jobs": a metric of that name is already registered with type counter, help "Jobs.", label names ["zone"]; this one has',
    );
    expect(() => r.register(metric)).toThrow(detail);
    expect(r.metrics()).toHaveLength(1);
  });

  it('rejects names that collide with the samples of a histogram or an OpenMetrics counter family', () => {
    const r = new Registry();
    r.register(new Histogram({ name: 'latency_seconds', help: 'Latency.' }));
    r.register(new Counter({ name: 'jobs_total', help: 'Jobs.' }));
    expect(() => r.register(new Gauge({ name: 'latency_seconds_count', help: 'X.' }))).toThrow(
      'metric "latency_seconds_count" (gauge) would expose "latency_seconds_count", which collides with histogram "latency_seconds"',
    );
    expect(() => r.register(new Gauge({ name: 'jobs', help: 'X.' }))).toThrow(RegistrationConflictError);
    expect(() => r.register(new Gauge({ name: 'jobs_created', help: 'X.' }))).toThrow(
      RegistrationConflictError,
    );
    expect(() => r.register(new Histogram({ name: 'jobs_total_sum', help: 'X.' }))).not.toThrow();
    expect(() => r.register(new Counter({ name: 'latency_total', help: 'X.' }))).not.toThrow();
    expect(() => r.register(new Histogram({ name: 'latency', help: 'X.' }))).toThrow(
      RegistrationConflictError,
    );
  });

  it('unregisters a metric and frees its name', () => {
    const r = new Registry();
    const h = r.register(new Histogram({ name: 'latency_seconds', help: 'Latency.' }));
    expect(r.unregister(h)).toBe(true);
    expect(r.unregister(h)).toBe(false);
    expect(r.gather()).toEqual([]);
    r.register(new Gauge({ name: 'latency_seconds_count', help: 'Now allowed.' })).set(1);
    r.register(new Counter({ name: 'latency_seconds', help: 'A counter now.' })).inc();
    expect(r.gather().map((f) => [f.name, f.type])).toEqual([
      ['latency_seconds', 'counter'],
      ['latency_seconds_count', 'gauge'],
    ]);
  });

  it('does not unregister a different metric with the same identity', () => {
    const r = new Registry();
    r.register(new Counter({ name: 'jobs_total', help: 'Jobs.' }));
    expect(r.unregister(new Counter({ name: 'jobs_total', help: 'Jobs.' }))).toBe(false);
    expect(r.metrics()).toHaveLength(1);
  });

  it('finds a metric by name and const labels', () => {
    const r = new Registry();
    const c = r.register(new Counter({ name: 'jobs_total', help: 'Jobs.', constLabels: { b: '2', a: '1' } }));
    expect(r.get('jobs_total', { a: '1', b: '2' })).toBe(c);
    expect(r.get('jobs_total')).toBeUndefined();
  });

  it('clears everything', () => {
    const r = new Registry();
    r.register(new Counter({ name: 'jobs_total', help: 'Jobs.' }));
    r.clear();
    expect(r.metrics()).toEqual([]);
    expect(r.gather()).toEqual([]);
  });
});

describe('Registry.getOrCreate', () => {
  it('returns the registered metric for an identical descriptor', () => {
    const r = new Registry();
    const options = { name: 'ttft_seconds', help: 'TTFT.', labelNames: ['model'], buckets: [0.1, 1] };
    const a = r.getOrCreate(HistogramVec, options);
    const b = r.getOrCreate(HistogramVec, { ...options, labelNames: ['model'], buckets: [0.1, 1] });
    expect(b).toBe(a);
    a.labels('m').observe(0.5);
    expect(b.labels('m').count).toBe(1);
  });

  it.each([
    ['different buckets', { buckets: [0.2, 1] }],
    ['different help', { help: 'Other.' }],
    ['a different label name order', { labelNames: ['worker', 'model'] }],
  ])('refuses a descriptor with %s', (_, change) => {
    const r = new Registry();
    const base = { name: 'ttft_seconds', help: 'TTFT.', labelNames: ['model', 'worker'], buckets: [0.1, 1] };
    const first = r.getOrCreate(HistogramVec, base);
    let error: unknown;
    try {
      r.getOrCreate(HistogramVec, { ...base, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AlreadyRegisteredError);
    expect((error as AlreadyRegisteredError).existing).toBe(first);
    expect((error as Error).message).toBe(
      'metric "ttft_seconds" is already registered as HistogramVec with a different descriptor',
    );
  });

  it('refuses the same identity as a different class, even with an equal-looking descriptor', () => {
    const r = new Registry();
    r.getOrCreate(Counter, { name: 'jobs_total', help: 'Jobs.' });
    expect(() => r.getOrCreate(IntCounter, { name: 'jobs_total', help: 'Jobs.' })).toThrow(
      AlreadyRegisteredError,
    );
  });

  it('propagates validation errors without registering anything', () => {
    const r = new Registry();
    expect(() => r.getOrCreate(Counter, { name: 'bad name', help: 'X.' })).toThrow('invalid metric name');
    expect(r.metrics()).toEqual([]);
  });
});
