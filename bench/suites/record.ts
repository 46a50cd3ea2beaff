/**
 * Record paths: the reference's prom-client cases (a, b, b2, b3, c, c2, g0, g, d1, d2, d3) against the
 * dynametrics equivalent, plus the plain-JS floors r1–r4 where they apply. dynametrics resolves label
 * values to a child with `labels(...)` (by position or by name) and records on the child; "per call" cases
 * resolve again on every operation, "cached" ones resolve once.
 */
import promClient from 'prom-client';
import {
  Counter,
  CounterVec,
  DEFAULT_BUCKETS,
  Gauge,
  GaugeVec,
  Histogram,
  HistogramVec,
  Registry,
} from '../../src/index.js';
import { observations } from '../fixtures.js';
import { compareOps, type Loop, type OpOptions } from '../harness.js';
import { atLeast, type ResultRow, row, type Side, type Suite, type Target } from '../suite.js';

const LABELS = ['a', 'b'] as const;

interface Case {
  readonly id: string;
  readonly title: string;
  readonly code: Partial<Record<Side, string>>;
  readonly target?: Target;
  readonly sides: Partial<Record<Side, Loop>>;
}

function promCounter(labelled: boolean) {
  return new promClient.Counter({
    name: 'bench_prom_total',
    help: 'prom-client counter.',
    labelNames: labelled ? [...LABELS] : [],
    registers: [],
  });
}

function dynCounterVec() {
  return new Registry().register(
    new CounterVec({ name: 'bench_dyn_total', help: 'dynametrics counter.', labelNames: LABELS }),
  );
}

/** 100 label sets as prom-client callers pass them: one object per set. */
function labelObjects(): { a: string; b: string }[] {
  const out: { a: string; b: string }[] = [];
  for (let j = 0; j < 100; j++) out.push({ a: `a${j % 10}`, b: `b${Math.floor(j / 10)}` });
  return out;
}

function cases(): Case[] {
  const values = observations();
  const objs = labelObjects();
  const out: Case[] = [];

  {
    const dyn = new Registry().register(new Counter({ name: 'bench_a_total', help: 'a' }));
    const prom = promCounter(false);
    out.push({
      id: 'a',
      title: 'counter inc(), no labels',
      code: { dynametrics: 'counter.inc()', promClient: 'counter.inc()' },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.inc();
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.inc();
          return prom;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    // r3: nested Maps, no key string; the closest a keyed lookup gets.
    const root = new Map<string, Map<string, { value: number }>>([['x', new Map([['y', { value: 0 }]])]]);
    out.push({
      id: 'b',
      title: 'resolve by name + inc, fresh object each call, 1 series',
      code: {
        dynametrics: "vec.labels({ a: 'x', b: 'y' }).inc()",
        promClient: "counter.inc({ a: 'x', b: 'y' })",
        floor: "r3 nested Map: m.get('x').get('y').value += 1",
      },
      target: atLeast(3),
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels({ a: 'x', b: 'y' }).inc();
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.inc({ a: 'x', b: 'y' });
          return prom;
        },
        floor: (n) => {
          for (let i = 0; i < n; i++) root.get('x')!.get('y')!.value += 1;
          return root;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    out.push({
      id: 'b-pos',
      title: 'resolve by position + inc, 1 series (vs prom inc({a, b}))',
      code: { dynametrics: "vec.labels('x', 'y').inc()", promClient: "counter.inc({ a: 'x', b: 'y' })" },
      target: atLeast(3),
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels('x', 'y').inc();
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.inc({ a: 'x', b: 'y' });
          return prom;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    // r2: a joined-string key built on every call, the way prom-client keys its series.
    const flat = new Map<string, number>();
    for (const o of objs) flat.set(`${o.a}\u0001${o.b}`, 0);
    out.push({
      id: 'b2',
      title: 'resolve by name + inc, rotating over 100 label objects',
      code: {
        dynametrics: 'vec.labels(objs[j]).inc()',
        promClient: 'counter.inc(objs[j])',
        floor: "r2 Map keyed by a + '\\u0001' + b, built each call",
      },
      sides: {
        dynametrics: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            dyn.labels(objs[j]).inc();
            j = j === 99 ? 0 : j + 1;
          }
          return dyn;
        },
        promClient: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            prom.inc(objs[j]);
            j = j === 99 ? 0 : j + 1;
          }
          return prom;
        },
        floor: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            const o = objs[j];
            const key = `${o.a}\u0001${o.b}`;
            flat.set(key, flat.get(key)! + 1);
            j = j === 99 ? 0 : j + 1;
          }
          return flat;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    const root = new Map<string, Map<string, { value: number }>>();
    for (const o of objs) {
      let m = root.get(o.a);
      if (m === undefined) {
        m = new Map();
        root.set(o.a, m);
      }
      m.set(o.b, { value: 0 });
    }
    out.push({
      id: 'b2-pos',
      title: 'resolve by position + inc, rotating over 100 label sets',
      code: {
        dynametrics: 'vec.labels(objs[j].a, objs[j].b).inc()',
        promClient: 'counter.inc(objs[j])',
        floor: 'r3 nested Map: m.get(a).get(b).value += 1',
      },
      sides: {
        dynametrics: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            const o = objs[j];
            dyn.labels(o.a, o.b).inc();
            j = j === 99 ? 0 : j + 1;
          }
          return dyn;
        },
        promClient: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            prom.inc(objs[j]);
            j = j === 99 ? 0 : j + 1;
          }
          return prom;
        },
        floor: (n) => {
          let j = 0;
          for (let i = 0; i < n; i++) {
            const o = objs[j];
            root.get(o.a)!.get(o.b)!.value += 1;
            j = j === 99 ? 0 : j + 1;
          }
          return root;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    out.push({
      id: 'b3',
      title: 'resolve by name + inc(5), fresh object each call',
      code: {
        dynametrics: "vec.labels({ a: 'x', b: 'y' }).inc(5)",
        promClient: "counter.inc({ a: 'x', b: 'y' }, 5)",
      },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels({ a: 'x', b: 'y' }).inc(5);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.inc({ a: 'x', b: 'y' }, 5);
          return prom;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec();
    const prom = promCounter(true);
    out.push({
      id: 'c',
      title: "labels('x', 'y').inc() on every call",
      code: { dynametrics: "vec.labels('x', 'y').inc()", promClient: "counter.labels('x', 'y').inc()" },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels('x', 'y').inc();
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.labels('x', 'y').inc();
          return prom;
        },
      },
    });
  }
  {
    const dyn = dynCounterVec().labels('x', 'y');
    const prom = promCounter(true).labels('x', 'y');
    const r1 = { value: 0 };
    out.push({
      id: 'c2',
      title: 'cached child inc(), 2-label counter',
      code: {
        dynametrics: "child = vec.labels('x', 'y'); child.inc()",
        promClient: "child = counter.labels('x', 'y'); child.inc()",
        floor: 'r1 child.value += 1',
      },
      target: atLeast(20),
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.inc();
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.inc();
          return prom;
        },
        floor: (n) => {
          for (let i = 0; i < n; i++) r1.value += 1;
          return r1;
        },
      },
    });
  }
  {
    const dyn = new Registry().register(new Gauge({ name: 'bench_g0', help: 'g0' }));
    const prom = new promClient.Gauge({ name: 'bench_prom_g0', help: 'g0', registers: [] });
    out.push({
      id: 'g0',
      title: 'gauge set(v), no labels',
      code: { dynametrics: 'gauge.set(v)', promClient: 'gauge.set(v)' },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.set(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.set(values[i & 1023]);
          return prom;
        },
      },
    });
  }
  {
    const dyn = new Registry().register(new GaugeVec({ name: 'bench_g', help: 'g', labelNames: LABELS }));
    const prom = new promClient.Gauge({
      name: 'bench_prom_g',
      help: 'g',
      labelNames: [...LABELS],
      registers: [],
    });
    out.push({
      id: 'g',
      title: 'gauge resolve by name + set(v)',
      code: {
        dynametrics: "vec.labels({ a: 'x', b: 'y' }).set(v)",
        promClient: "gauge.set({ a: 'x', b: 'y' }, v)",
      },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels({ a: 'x', b: 'y' }).set(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.set({ a: 'x', b: 'y' }, values[i & 1023]);
          return prom;
        },
      },
    });
  }
  {
    const dyn = new Registry()
      .register(new GaugeVec({ name: 'bench_g2', help: 'g', labelNames: LABELS }))
      .labels('x', 'y');
    const prom = new promClient.Gauge({
      name: 'bench_prom_g2',
      help: 'g',
      labelNames: [...LABELS],
      registers: [],
    }).labels('x', 'y');
    out.push({
      id: 'g2',
      title: 'cached gauge child set(v)',
      code: {
        dynametrics: "child = vec.labels('x', 'y'); child.set(v)",
        promClient: "child = gauge.labels('x', 'y'); child.set(v)",
      },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.set(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.set(values[i & 1023]);
          return prom;
        },
      },
    });
  }
  {
    const dyn = new Registry().register(new Histogram({ name: 'bench_d1', help: 'd1' }));
    const prom = new promClient.Histogram({ name: 'bench_prom_d1', help: 'd1', registers: [] });
    out.push({
      id: 'd1',
      title: 'histogram observe(v), default buckets, no labels',
      code: { dynametrics: 'histogram.observe(v)', promClient: 'histogram.observe(v)' },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.observe(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.observe(values[i & 1023]);
          return prom;
        },
      },
    });
  }
  {
    const dyn = new Registry().register(
      new HistogramVec({ name: 'bench_d2', help: 'd2', labelNames: LABELS }),
    );
    const prom = new promClient.Histogram({
      name: 'bench_prom_d2',
      help: 'd2',
      labelNames: [...LABELS],
      registers: [],
    });
    out.push({
      id: 'd2',
      title: 'histogram resolve by name + observe(v), default buckets',
      code: {
        dynametrics: "vec.labels({ a: 'x', b: 'y' }).observe(v)",
        promClient: "histogram.observe({ a: 'x', b: 'y' }, v)",
      },
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.labels({ a: 'x', b: 'y' }).observe(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.observe({ a: 'x', b: 'y' }, values[i & 1023]);
          return prom;
        },
      },
    });
  }
  {
    const dyn = new Registry()
      .register(new HistogramVec({ name: 'bench_d3', help: 'd3', labelNames: LABELS }))
      .labels('x', 'y');
    const prom = new promClient.Histogram({
      name: 'bench_prom_d3',
      help: 'd3',
      labelNames: [...LABELS],
      registers: [],
    }).labels('x', 'y');
    // r4: a pre-resolved child with a linear bucket search over the 11 default bounds.
    const bounds = Float64Array.from(DEFAULT_BUCKETS);
    const r4 = { counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 };
    out.push({
      id: 'd3',
      title: 'cached histogram child observe(v), default buckets',
      code: {
        dynametrics: "child = vec.labels('x', 'y'); child.observe(v)",
        promClient: "child = histogram.labels('x', 'y'); child.observe(v)",
        floor: 'r4 Float64Array counts, linear bucket search',
      },
      target: atLeast(8),
      sides: {
        dynametrics: (n) => {
          for (let i = 0; i < n; i++) dyn.observe(values[i & 1023]);
          return dyn;
        },
        promClient: (n) => {
          for (let i = 0; i < n; i++) prom.observe(values[i & 1023]);
          return prom;
        },
        floor: (n) => {
          for (let i = 0; i < n; i++) {
            const v = values[i & 1023];
            let b = 0;
            while (b < 11 && v > bounds[b]) b++;
            r4.counts[b]++;
            r4.sum += v;
            r4.count++;
          }
          return r4;
        },
      },
    });
  }
  return out;
}

export const recordSuite: Suite = {
  name: 'record',
  title: 'Record paths (ns/op)',
  async run(context) {
    const options: OpOptions = {
      repetitions: context.repetitions,
      sampleMs: context.quick ? 5 : 40,
      warmupRounds: context.quick ? 1 : 2,
    };
    const rows: ResultRow[] = [];
    for (const c of cases()) {
      context.log(`record: (${c.id}) ${c.title}`);
      const stats = compareOps(c.sides as Record<Side, Loop>, options);
      rows.push(
        row({
          id: c.id,
          title: c.title,
          unit: 'ns/op',
          code: c.code,
          dynametrics: stats.dynametrics,
          promClient: stats.promClient,
          floor: stats.floor,
          target: c.target,
        }),
      );
    }
    return {
      suite: 'record',
      title: this.title,
      rows,
      notes: [
        `Each sample is one timed loop of about ${options.sampleMs} ms after calibration and warm-up; ${options.repetitions} samples per side, sides rotated every round.`,
        'Observed and set values cycle through 1024 log-uniform values between 1 ms and 20 s (all buckets hit).',
        'floor: plain-JS references r1-r4 of peers-and-baselines.md §4, not a library.',
      ],
    };
  },
};
