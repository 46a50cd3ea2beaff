import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEngineMetricsCallback } from '../../src/engine/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { Prometheus, renderConfig } from '../helpers/prometheus.js';
import { promtoolCheckMetrics } from '../helpers/tools.js';

const VLLM = fileURLToPath(new URL('../fixtures/engines/vllm.txt', import.meta.url));

async function worker(options: Parameters<typeof registerEngineMetricsCallback>[2], server = false) {
  const drt = await DistributedRuntime.create({
    instanceId: 0x694d9d78249cbd10n,
    env: {},
    logger: new MemoryLogger(),
    systemServer: server ? { port: 0, host: '127.0.0.1' } : false,
  });
  const ep = drt.namespace('dynamo').component('backend').endpoint('generate');
  ep.metrics
    .createIntCounterVec('requests_total', 'Total number of requests processed by work handler', ['model'])
    .labels('llama')
    .inc(4);
  registerEngineMetricsCallback(ep, { file: VLLM }, options);
  return drt;
}

/** promtool's findings, one per line, without the metric names' repetition counts. */
function findings(stderr: string): string[] {
  return [
    ...new Set(
      stderr
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.replace(/^\S+ /, '')),
    ),
  ].sort();
}

describe('promtool on a worker exposition that includes the vLLM fixture', () => {
  it("finds only what is inherent to vLLM's own metric names, and no parse error", async () => {
    const drt = await worker({ metricPrefixFilters: ['vllm:'], modelName: 'llama' });
    const result = await promtoolCheckMetrics(await drt.metrics.prometheusExpfmt());
    expect(result.stderr).not.toContain('error while linting');
    expect(findings(result.stderr)).toEqual([
      "metric names should not contain ':'",
      'non-counter metrics should not have "_total" suffix',
    ]);
    expect(result.code).toBe(3);
  });

  it('passes cleanly when the names are re-prefixed without colons', async () => {
    const drt = await worker({
      metricPrefixFilters: ['vllm:'],
      excludePrefixes: ['vllm:iteration_tokens_total'],
      addPrefix: 'vllm_',
      modelName: 'llama',
    });
    const text = await drt.metrics.prometheusExpfmt();
    expect(text).toContain('# TYPE vllm_num_requests_running gauge');
    const result = await promtoolCheckMetrics(text);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('a real Prometheus scraping a worker with engine metrics', () => {
  let drt: DistributedRuntime;
  let prom: Prometheus;

  beforeAll(async () => {
    drt = await worker(
      { metricPrefixFilters: ['vllm:'], modelName: 'llama', customLabels: { cluster: 'test' } },
      true,
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

  it('stores the engine series with the injected labels, over OpenMetrics', async () => {
    const running = await prom.query('vllm:num_requests_running');
    expect(running.length).toBeGreaterThan(0);
    for (const s of running) {
      expect(s.metric).toMatchObject({
        dynamo_namespace: 'dynamo',
        dynamo_component: 'backend',
        dynamo_endpoint: 'generate',
        worker_id: '694d9d78249cbd10',
        model: 'llama',
        cluster: 'test',
        job: 'worker',
      });
      expect(s.metric.model_name).toBeDefined();
    }
    const buckets = await prom.query('vllm:time_to_first_token_seconds_bucket{le="1.0"}');
    expect(buckets.length).toBeGreaterThan(0);
    const [target] = await prom.targets();
    expect(target.health).toBe('up');
    expect(target.lastError).toBe('');
  });

  it("keeps the native metrics beside the engine's", async () => {
    const [requests] = await prom.query('dynamo_component_requests_total');
    expect(requests.value[1]).toBe('4');
  });
});
