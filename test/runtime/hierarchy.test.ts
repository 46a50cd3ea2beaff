import { describe, expect, it } from 'vitest';
import { AlreadyRegisteredError, InvalidNameError } from '../../src/core/index.js';
import { SanitizeError } from '../../src/names/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';

const WORKER = '694d9d78249cbd10';

function runtime(): DistributedRuntime {
  return new DistributedRuntime({
    instanceId: 0x694d9d78249cbd10n,
    systemServer: false,
    logger: new MemoryLogger(),
    env: {},
  });
}

/** The families of a scrape without the runtime's own metrics, which every runtime scrape includes. */
function withoutSelfMetrics(text: string): string {
  return text
    .split(/(?=^# HELP )/m)
    .filter((block) => !/^# HELP dynamo_component_(metrics_|uptime_seconds)/.test(block))
    .join('');
}

describe('the hierarchy', () => {
  it('returns the same object when a level is asked for twice', () => {
    const drt = runtime();
    expect(drt.namespace('ns')).toBe(drt.namespace('ns'));
    expect(drt.namespace('ns').component('c')).toBe(drt.namespace('ns').component('c'));
    expect(drt.namespace('ns').component('c').endpoint('e')).toBe(
      drt.namespace('ns').component('c').endpoint('e'),
    );
    expect(drt.namespace('ns').namespace('inner')).toBe(drt.namespace('ns').namespace('inner'));
  });

  it("knows each level's parents, root first", () => {
    const drt = runtime();
    const ns = drt.namespace('ns');
    const comp = ns.component('comp');
    const ep = comp.endpoint('ep');
    expect(drt.basename).toBe('');
    expect(drt.parentHierarchies).toEqual([]);
    expect(ns.parentHierarchies).toEqual([drt]);
    expect(comp.parentHierarchies).toEqual([drt, ns]);
    expect(ep.parentHierarchies).toEqual([drt, ns, comp]);
    const inner = ns.namespace('inner').namespace('deepest');
    expect(inner.parentHierarchies.map((l) => l.basename)).toEqual(['', 'ns', 'inner']);
    expect(inner.name).toBe('ns.inner.deepest');
    expect(inner.component('c').parentHierarchies.map((l) => l.basename)).toEqual([
      '',
      'ns',
      'inner',
      'deepest',
    ]);
  });

  it('labels metrics by level, not by position, under nested namespaces', () => {
    const drt = runtime();
    const comp = drt.namespace('outer').namespace('inner').component('backend');
    expect(comp.autoLabels).toEqual({
      dynamo_namespace: 'outer_inner',
      dynamo_component: 'backend',
      worker_id: WORKER,
    });
    expect(comp.endpoint('generate').autoLabels).toEqual({
      dynamo_namespace: 'outer_inner',
      dynamo_component: 'backend',
      dynamo_endpoint: 'generate',
      worker_id: WORKER,
    });
  });

  it('sanitizes level names with the label rules of the reference', () => {
    const drt = runtime();
    expect(drt.namespace('@@123').autoLabels.dynamo_namespace).toBe('_123');
    expect(drt.namespace('ns').component('vllm-worker').autoLabels.dynamo_component).toBe('vllm_worker');
  });

  it('rejects level names that sanitize to nothing, saying which level and why', () => {
    const drt = runtime();
    expect(() => drt.namespace('@#$%')).toThrow(SanitizeError);
    expect(() => drt.namespace('@#$%')).toThrow(
      'namespace name "@#$%" cannot be used: Input \'@#$%\' contains only invalid characters and cannot be sanitized into a valid Prometheus label',
    );
    expect(() => drt.namespace('ns').component('')).toThrow('component name must be a non-empty string');
    expect(() => drt.namespace('ns').component('c').endpoint('____')).toThrow(SanitizeError);
  });

  it('uses the lower-case hex of the instance id as worker_id, random unless configured', () => {
    expect(runtime().workerId).toBe(WORKER);
    expect(new DistributedRuntime({ instanceId: 'ABC', systemServer: false, env: {} }).workerId).toBe('abc');
    const a = new DistributedRuntime({ systemServer: false, env: {} });
    const b = new DistributedRuntime({ systemServer: false, env: {} });
    expect(a.workerId).toMatch(/^[0-9a-f]{1,16}$/);
    expect(a.workerId).not.toBe(b.workerId);
    expect(() => new DistributedRuntime({ instanceId: -1, systemServer: false, env: {} })).toThrow(
      'unsigned 64-bit',
    );
    expect(() => new DistributedRuntime({ instanceId: 2n ** 64n, systemServer: false, env: {} })).toThrow(
      'unsigned 64-bit',
    );
  });
});

describe('creating metrics', () => {
  it('prefixes names with dynamo_component_ at every level', () => {
    const drt = runtime();
    const ep = drt.namespace('ns').component('c').endpoint('e');
    expect(ep.metrics.createCounter('requests', 'R.').descriptor.name).toBe('dynamo_component_requests');
    expect(drt.metrics.createGauge('test.metric', 'T.').descriptor.name).toBe('dynamo_component_test_metric');
    expect(drt.metrics.createGauge('123metric', 'T.').descriptor.name).toBe('dynamo_component__123metric');
    expect(() => drt.metrics.createGauge('@#$%', 'T.')).toThrow('metric name should be valid or sanitizable');
  });

  it('refuses auto labels set by hand, as const or variable labels', () => {
    const ep = runtime().namespace('ns').component('c').endpoint('e');
    for (const key of ['dynamo_namespace', 'dynamo_component', 'dynamo_endpoint', 'worker_id']) {
      expect(() => ep.metrics.createCounter('x_total', 'X.', { constLabels: { [key]: 'v' } })).toThrow(
        `Label '${key}' is automatically added by auto-label injection and cannot be manually set`,
      );
      expect(() => ep.metrics.createCounterVec('x_total', 'X.', [key])).toThrow(InvalidNameError);
    }
  });

  it('refuses a repeated const label key', () => {
    const ep = runtime().namespace('ns').component('c').endpoint('e');
    expect(() =>
      ep.metrics.createCounter('x_total', 'X.', {
        constLabels: [
          ['a', '1'],
          ['a', '2'],
        ],
      }),
    ).toThrow("Duplicate label key 'a' found in labels");
    expect(
      ep.metrics.createCounter('x_total', 'X.', { constLabels: [['a', '1']] }).descriptor.constLabels,
    ).toContainEqual({
      name: 'a',
      value: '1',
    });
  });

  it('returns the registered metric for an identical creation on the same level, and refuses a different one', () => {
    const ep = runtime().namespace('ns').component('c').endpoint('e');
    const a = ep.metrics.createIntCounterVec('requests_total', 'Requests.', ['model']);
    expect(ep.metrics.createIntCounterVec('requests_total', 'Requests.', ['model'])).toBe(a);
    expect(() => ep.metrics.createIntCounterVec('requests_total', 'Other.', ['model'])).toThrow(
      AlreadyRegisteredError,
    );
  });

  it('creates every type', () => {
    const m = runtime().namespace('ns').metrics;
    expect(m.createCounter('a_total', 'A.').descriptor.kind).toBe('Counter');
    expect(m.createCounterVec('b_total', 'B.', ['x']).descriptor.kind).toBe('CounterVec');
    expect(m.createIntCounter('c_total', 'C.').descriptor.kind).toBe('IntCounter');
    expect(m.createIntCounterVec('d_total', 'D.', ['x']).descriptor.kind).toBe('IntCounterVec');
    expect(m.createGauge('e', 'E.').descriptor.kind).toBe('Gauge');
    expect(m.createGaugeVec('f', 'F.', ['x']).descriptor.kind).toBe('GaugeVec');
    expect(m.createIntGauge('g', 'G.').descriptor.kind).toBe('IntGauge');
    expect(m.createIntGaugeVec('h', 'H.', ['x']).descriptor.kind).toBe('IntGaugeVec');
    expect(m.createHistogram('i_seconds', 'I.', { buckets: [1, 2] }).descriptor.buckets).toEqual([1, 2]);
    expect(m.createHistogramVec('j_seconds', 'J.', ['x']).descriptor.kind).toBe('HistogramVec');
  });
});

describe('the exposition of each level', () => {
  function build() {
    const drt = runtime();
    const ns = drt.namespace('ns345');
    const comp = ns.component('comp345');
    const ep = comp.endpoint('ep345');
    ep.metrics
      .createCounterVec('testcountervec', 'A test counter vec', ['method', 'status'], {
        constLabels: { service: 'api' },
      })
      .labels('GET', '200')
      .inc(10);
    comp.metrics.createGauge('testgauge', 'A gauge').set(50000);
    ns.metrics.createIntCounter('testintcounter', 'An int counter').inc(123);
    const h = drt.metrics.createHistogram('testhistogram', 'A histogram');
    for (const v of [1.0, 2.5, 4.0]) h.observe(v);
    return { drt, ns, comp, ep };
  }

  const counterBlock =
    '# HELP dynamo_component_testcountervec A test counter vec\n' +
    '# TYPE dynamo_component_testcountervec counter\n' +
    `dynamo_component_testcountervec{dynamo_component="comp345",dynamo_endpoint="ep345",dynamo_namespace="ns345",method="GET",service="api",status="200",worker_id="${WORKER}"} 10\n`;
  const gaugeBlock =
    '# HELP dynamo_component_testgauge A gauge\n# TYPE dynamo_component_testgauge gauge\n' +
    `dynamo_component_testgauge{dynamo_component="comp345",dynamo_namespace="ns345",worker_id="${WORKER}"} 50000\n`;
  const intCounterBlock =
    '# HELP dynamo_component_testintcounter An int counter\n# TYPE dynamo_component_testintcounter counter\n' +
    `dynamo_component_testintcounter{dynamo_namespace="ns345",worker_id="${WORKER}"} 123\n`;

  it("shows only the endpoint's metrics at the endpoint", async () => {
    expect(await build().ep.metrics.prometheusExpfmt()).toBe(counterBlock);
  });

  it("adds the component's own metrics at the component", async () => {
    expect(await build().comp.metrics.prometheusExpfmt()).toBe(counterBlock + gaugeBlock);
  });

  it("adds the namespace's own metrics at the namespace", async () => {
    expect(await build().ns.metrics.prometheusExpfmt()).toBe(counterBlock + gaugeBlock + intCounterBlock);
  });

  it('shows everything at the runtime, families sorted by name, with uptime and self-metrics', async () => {
    const { drt } = build();
    const text = await drt.metrics.prometheusExpfmt();
    const histogram = [
      '# HELP dynamo_component_testhistogram A histogram',
      '# TYPE dynamo_component_testhistogram histogram',
      ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5'].map(
        (le) => `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="${le}"} 0`,
      ),
      `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="1"} 1`,
      `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="2.5"} 2`,
      `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="5"} 3`,
      `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="10"} 3`,
      `dynamo_component_testhistogram_bucket{worker_id="${WORKER}",le="+Inf"} 3`,
      `dynamo_component_testhistogram_sum{worker_id="${WORKER}"} 7.5`,
      `dynamo_component_testhistogram_count{worker_id="${WORKER}"} 3`,
      '',
    ].join('\n');
    expect(withoutSelfMetrics(text)).toBe(counterBlock + gaugeBlock + histogram + intCounterBlock);
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('dynamo_component_uptime_seconds');
  });

  it('refreshes uptime on every scrape', async () => {
    const { drt } = build();
    const uptime = async () =>
      Number(
        /dynamo_component_uptime_seconds\{worker_id="\w+"\} (\S+)/.exec(
          await drt.metrics.prometheusExpfmt(),
        )?.[1],
      );
    const first = await uptime();
    await new Promise((r) => setTimeout(r, 15));
    const second = await uptime();
    expect(first).toBeGreaterThan(0);
    expect(second - first).toBeGreaterThanOrEqual(0.01);
  });
});
