import { describe, expect, it } from 'vitest';
import { OPENMETRICS_FORMAT, parseExposition, writeExposition } from '../../src/expfmt/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';

function runtime(scrape = {}) {
  const logger = new MemoryLogger();
  const drt = new DistributedRuntime({ instanceId: 1n, systemServer: false, logger, env: {}, scrape });
  return { drt, logger };
}

/** The value of one sample line in a text exposition. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function failures(text: string, callback: string, cause: string): number | undefined {
  return sample(
    text,
    `dynamo_component_metrics_callback_failures_total{callback="${callback}",cause="${cause}",worker_id="1"}`,
  );
}

describe('update callbacks', () => {
  it('run before every scrape, in registration order, and can run again', async () => {
    const { drt } = runtime();
    const ep = drt.namespace('ns').component('c').endpoint('e');
    const g = ep.metrics.createGauge('acc', 'Accumulator.');
    const order: number[] = [];
    for (const n of [1, 10, 100]) {
      ep.metrics.registerUpdateCallback(() => {
        order.push(n);
        g.inc(n);
      });
    }
    await drt.metrics.prometheusExpfmt();
    expect(g.value).toBe(111);
    await drt.metrics.prometheusExpfmt();
    expect(g.value).toBe(222);
    expect(order).toEqual([1, 10, 100, 1, 10, 100]);
  });

  it('are isolated: a throwing, rejecting or hanging callback is counted and the others still run', async () => {
    const { drt, logger } = runtime({ callbackTimeoutMs: 50 });
    const m = drt.namespace('ns').metrics;
    const g = m.createGauge('acc', 'Accumulator.');
    m.registerUpdateCallback(() => g.inc(1));
    m.registerUpdateCallback(() => {
      throw new Error('Simulated error');
    });
    m.registerUpdateCallback(async () => {
      throw new Error('Simulated rejection');
    });
    m.registerUpdateCallback(() => new Promise<void>(() => {}));
    m.registerUpdateCallback(async () => {
      g.inc(100);
    });
    await drt.metrics.prometheusExpfmt();
    const text = await drt.metrics.prometheusExpfmt();
    expect(g.value).toBe(202);
    // Failures are counted as they happen, so a scrape already shows its own.
    expect(failures(text, 'update', 'error')).toBe(4);
    expect(failures(text, 'update', 'timeout')).toBe(2);
    const logged = logger.entries.filter((e) => e.message === 'Error executing metrics update callback');
    expect(logged.map((e) => e.fields.detail)).toEqual([
      'Simulated error',
      'Simulated rejection',
      'no result after 50 ms',
    ]);
  });
});

describe('exposition-text callbacks', () => {
  it('are merged once into the runtime scrape when registered on an endpoint', async () => {
    const { drt } = runtime();
    const ep = drt.namespace('ns').component('c').endpoint('e');
    ep.metrics.registerExpfmtCallback(
      () =>
        '# HELP engine_requests_total R.\n# TYPE engine_requests_total counter\nengine_requests_total 5\n',
    );
    const text = await drt.metrics.prometheusExpfmt();
    expect(text.match(/# TYPE engine_requests_total counter/g)).toHaveLength(1);
    expect(sample(text, 'engine_requests_total')).toBe(5);
    expect(sample(await ep.metrics.prometheusExpfmt(), 'engine_requests_total')).toBe(5);
    expect(await drt.namespace('ns').component('other').metrics.prometheusExpfmt()).toBe('');
  });

  it('merge with native families of the same name, so no family appears twice', async () => {
    const { drt } = runtime();
    const ep = drt.namespace('ns').component('c').endpoint('e');
    ep.metrics.createIntCounter('requests_total', 'Requests.').inc(2);
    ep.metrics.registerExpfmtCallback(
      () =>
        '# HELP dynamo_component_requests_total Requests.\n# TYPE dynamo_component_requests_total counter\n' +
        'dynamo_component_requests_total{source="engine"} 7\n',
    );
    const families = await drt.scrapeFamilies();
    const family = families.filter((f) => f.name === 'dynamo_component_requests_total');
    expect(family).toHaveLength(1);
    expect(family[0].series.map((s) => s.labels.map((l) => `${l.name}=${l.value}`).join(','))).toEqual([
      'dynamo_component=c,dynamo_endpoint=e,dynamo_namespace=ns,worker_id=1',
      'source=engine',
    ]);
    const om = writeExposition(families, OPENMETRICS_FORMAT);
    expect(() => parseExposition(om, { syntax: 'openmetrics' })).not.toThrow();
  });

  it('accept OpenMetrics text and expose it in either format', async () => {
    const { drt } = runtime();
    drt.metrics.registerExpfmtCallback(
      async () => '# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model="m"} 3\n# EOF\n',
    );
    expect(sample(await drt.metrics.prometheusExpfmt(), 'vllm:num_requests_running{model="m"}')).toBe(3);
  });

  it.each<readonly [string, () => unknown, string]>([
    [
      'throws',
      () => {
        throw new Error('engine exploded');
      },
      'error',
    ],
    ['rejects', () => Promise.reject(new Error('engine exploded')), 'error'],
    ['hangs', () => new Promise<string>(() => {}), 'timeout'],
    ['returns a number', () => 42 as unknown as string, 'not_text'],
    ['returns null', () => null as unknown as string, 'not_text'],
    ['returns malformed text', () => 'this is not {an exposition\n', 'parse_error'],
    ['returns 50 MB', () => `# HELP x X\n${'x 1\n'.repeat(13 * 1024 * 1024)}`, 'too_large'],
  ])('drop the callback that %s, count it, and serve everything else', async (_, fn, cause) => {
    const { drt } = runtime({ callbackTimeoutMs: 50 });
    const ep = drt.namespace('ns').component('c').endpoint('e');
    ep.metrics.createCounter('kept_total', 'Kept.').inc();
    ep.metrics.registerExpfmtCallback(fn as () => string);
    ep.metrics.registerExpfmtCallback(() => 'other_engine_up 1\n');
    const text = await drt.metrics.prometheusExpfmt();
    expect(text).toContain('dynamo_component_kept_total{');
    expect(sample(text, 'other_engine_up')).toBe(1);
    expect(failures(text, 'expfmt', cause)).toBe(1);
    expect(failures(await drt.metrics.prometheusExpfmt(), 'expfmt', cause)).toBe(2);
  });

  it('log a failing callback at most once per interval', async () => {
    const { drt, logger } = runtime();
    drt.metrics.registerExpfmtCallback(() => 'bad line {\n', 'engine');
    for (let i = 0; i < 5; i++) await drt.metrics.prometheusExpfmt();
    const logged = logger.entries.filter((e) => e.fields.callback === 'engine');
    expect(logged).toHaveLength(1);
    expect(logged[0].fields.detail).toContain('exposition line 1');
    expect(failures(await drt.metrics.prometheusExpfmt(), 'expfmt', 'parse_error')).toBe(6);
  });
});

describe('merging across registries', () => {
  it('gives one family with one series per endpoint for a metric created on two endpoints', async () => {
    const { drt } = runtime();
    const comp = drt.namespace('ns').component('c');
    comp.endpoint('ep1').metrics.createIntCounter('hits_total', 'Hits.').inc(1);
    comp.endpoint('ep2').metrics.createIntCounter('hits_total', 'Hits.').inc(2);
    expect(await comp.metrics.prometheusExpfmt()).toBe(
      '# HELP dynamo_component_hits_total Hits.\n# TYPE dynamo_component_hits_total counter\n' +
        'dynamo_component_hits_total{dynamo_component="c",dynamo_endpoint="ep1",dynamo_namespace="ns",worker_id="1"} 1\n' +
        'dynamo_component_hits_total{dynamo_component="c",dynamo_endpoint="ep2",dynamo_namespace="ns",worker_id="1"} 2\n',
    );
  });

  it('keeps the first of two identical series and counts the dropped one', async () => {
    const { drt, logger } = runtime();
    // "a.b" (nested) and "a_b" sanitize to the same dynamo_namespace label value.
    drt.namespace('a').namespace('b').component('c').metrics.createIntCounter('hits_total', 'Hits.').inc(50);
    drt.namespace('a_b').component('c').metrics.createIntCounter('hits_total', 'Hits.').inc(75);
    const text = await drt.metrics.prometheusExpfmt();
    expect(text).toContain(
      'dynamo_component_hits_total{dynamo_component="c",dynamo_namespace="a_b",worker_id="1"} 50\n',
    );
    expect(text).not.toContain(' 75\n');
    expect(
      sample(
        await drt.metrics.prometheusExpfmt(),
        'dynamo_component_metrics_dropped_series_total{worker_id="1"}',
      ),
    ).toBe(2);
    expect(logger.entries.filter((e) => e.message.startsWith('Duplicate Prometheus series'))).toHaveLength(1);
  });

  it('drops a family whose HELP or TYPE disagrees, alone, and serves the others', async () => {
    const { drt } = runtime();
    const comp = drt.namespace('ns').component('c');
    comp.endpoint('ep1').metrics.createIntCounter('hits_total', 'Hits.').inc(1);
    comp.endpoint('ep2').metrics.createIntCounter('hits_total', 'Different help.').inc(2);
    comp.endpoint('ep3').metrics.createGauge('hits_total', 'Hits.').set(3);
    comp.endpoint('ep3').metrics.createGauge('other', 'Other.').set(4);
    const text = await drt.metrics.prometheusExpfmt();
    expect(text).toContain('dynamo_endpoint="ep1",dynamo_namespace="ns",worker_id="1"} 1\n');
    expect(text).not.toContain('Different help.');
    expect(text).not.toContain('# TYPE dynamo_component_hits_total gauge');
    expect(text).toContain('dynamo_component_other{');
    expect(sample(text, 'dynamo_component_metrics_dropped_families_total{worker_id="1"}')).toBe(2);
    expect(
      sample(
        await drt.metrics.prometheusExpfmt(),
        'dynamo_component_metrics_dropped_families_total{worker_id="1"}',
      ),
    ).toBe(4);
  });

  it('counts label sets refused by series limits', async () => {
    const { drt } = runtime();
    const v = drt.namespace('ns').metrics.createGaugeVec('by_user', 'Per user.', ['user'], { maxSeries: 1 });
    v.labels('a').set(1);
    v.labels('b').set(1);
    v.labels('c').set(1);
    expect(
      sample(
        await drt.metrics.prometheusExpfmt(),
        'dynamo_component_metrics_refused_series_total{worker_id="1"}',
      ),
    ).toBe(2);
    v.labels('d').set(1);
    expect(
      sample(
        await drt.metrics.prometheusExpfmt(),
        'dynamo_component_metrics_refused_series_total{worker_id="1"}',
      ),
    ).toBe(3);
  });
});
