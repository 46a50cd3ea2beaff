import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { Prometheus, renderConfig } from '../helpers/prometheus.js';

/** A real Prometheus 2.42 scrapes a runtime's system status server (it negotiates OpenMetrics and gzip). */
describe('a real Prometheus scraping the system status server', () => {
  let drt: DistributedRuntime;
  let prom: Prometheus;

  beforeAll(async () => {
    drt = await DistributedRuntime.create({
      instanceId: 0x694d9d78249cbd10n,
      systemServer: { port: 0, host: '127.0.0.1' },
      logger: new MemoryLogger(),
      env: {},
    });
    const ns = drt.namespace('dynamo').namespace('team-a');
    const ep = ns.component('vllm-worker').endpoint('generate');
    ep.metrics.createIntCounterVec('requests_total', 'Requests.', ['model']).labels('llama').inc(42);
    ep.metrics.createHistogram('request_duration_seconds', 'Duration.', { buckets: [0.1, 1] }).observe(0.5);
    ns.component('vllm-worker').metrics.createIntGauge('kv_blocks', 'KV blocks.').set(1024);
    ep.metrics.registerExpfmtCallback(
      () => '# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 3\n',
    );
    prom = await Prometheus.start(
      renderConfig([{ job: 'worker', targets: [`127.0.0.1:${drt.systemServer!.port}`] }]),
    );
    await prom.waitForUp('worker');
  });

  afterAll(async () => {
    await prom?.stop();
    await drt?.shutdown();
  });

  it('stores the series with the auto labels of the level they were created on', async () => {
    const [requests] = await prom.query('dynamo_component_requests_total');
    expect(requests.metric).toEqual({
      __name__: 'dynamo_component_requests_total',
      dynamo_namespace: 'dynamo_team_a',
      dynamo_component: 'vllm_worker',
      dynamo_endpoint: 'generate',
      model: 'llama',
      worker_id: '694d9d78249cbd10',
      instance: `127.0.0.1:${drt.systemServer!.port}`,
      job: 'worker',
    });
    expect(requests.value[1]).toBe('42');
    const [blocks] = await prom.query('dynamo_component_kv_blocks');
    expect(blocks.metric.dynamo_endpoint).toBeUndefined();
    expect(blocks.metric.dynamo_component).toBe('vllm_worker');
    expect(blocks.value[1]).toBe('1024');
  });

  it("gets OpenMetrics (le written as 1.0), engine text and the runtime's own metrics", async () => {
    const buckets = await prom.query('dynamo_component_request_duration_seconds_bucket');
    expect(buckets.map((s) => s.metric.le).sort()).toEqual(['+Inf', '0.1', '1.0']);
    expect((await prom.query('vllm:num_requests_running'))[0].value[1]).toBe('3');
    const uptime = await prom.query('dynamo_component_uptime_seconds');
    expect(Number(uptime[0].value[1])).toBeGreaterThan(0);
    const scrapes = await prom.waitForQuery(
      'dynamo_component_metrics_scrapes_total{format="openmetrics",outcome="success"}',
      (r) => r.length === 1 && Number(r[0].value[1]) >= 1,
    );
    expect(scrapes[0].metric.worker_id).toBe('694d9d78249cbd10');
  });

  it('reports the target healthy', async () => {
    const [target] = await prom.targets();
    expect(target.health).toBe('up');
    expect(target.lastError).toBe('');
  });
});
