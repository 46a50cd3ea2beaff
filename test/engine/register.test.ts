import { describe, expect, it } from 'vitest';
import { EngineOptionsError, registerEngineMetricsCallback } from '../../src/engine/index.js';
import { OPENMETRICS_FORMAT, parseExposition, writeExposition } from '../../src/expfmt/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';

function setup() {
  const logger = new MemoryLogger();
  const drt = new DistributedRuntime({
    instanceId: 0xabcn,
    systemServer: false,
    env: {},
    logger,
    scrape: { callbackTimeoutMs: 100 },
  });
  const ep = drt.namespace('dynamo').component('vllm-worker').endpoint('generate');
  ep.metrics.createIntCounter('requests_total', 'Requests.').inc(9);
  return { drt, ep, logger };
}

const VLLM =
  '# HELP vllm:num_requests_running Running.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="m"} 3.0\n' +
  '# HELP vllm:prompt_tokens_total Prompt tokens.\n# TYPE vllm:prompt_tokens_total counter\nvllm:prompt_tokens_total{model_name="m"} 1234.0\n' +
  '# HELP python_gc_collections_total GC.\n# TYPE python_gc_collections_total counter\npython_gc_collections_total{generation="0"} 5.0\n';

function line(text: string, prefix: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(prefix));
}

describe('registerEngineMetricsCallback', () => {
  it("merges the engine's families into the worker's scrape with the endpoint's labels (sanitized like native ones)", async () => {
    const { drt, ep } = setup();
    registerEngineMetricsCallback(ep, () => VLLM, { metricPrefixFilters: ['vllm:'], modelName: 'Llama-3' });
    const text = await drt.metrics.prometheusExpfmt();
    expect(line(text, 'vllm:num_requests_running')).toBe(
      'vllm:num_requests_running{dynamo_component="vllm_worker",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="Llama-3",model_name="m",worker_id="abc"} 3',
    );
    expect(text).not.toContain('python_gc');
    expect(line(text, 'dynamo_component_requests_total')).toContain('} 9');
  });

  it('keeps OpenMetrics output valid when the engine speaks the text format', async () => {
    const { drt, ep } = setup();
    registerEngineMetricsCallback(ep, () => VLLM);
    const om = writeExposition(await drt.scrapeFamilies(), OPENMETRICS_FORMAT);
    const families = parseExposition(om, { syntax: 'openmetrics' });
    expect(families.find((f) => f.name === 'vllm:prompt_tokens_total')?.type).toBe('counter');
    expect(om).toContain('# TYPE vllm:prompt_tokens counter\n');
  });

  it('fails at registration, not at scrape time, for labels that cannot be injected', () => {
    const { ep } = setup();
    expect(() => registerEngineMetricsCallback(ep, () => VLLM, { customLabels: { le: '1' } })).toThrow(
      EngineOptionsError,
    );
    expect(() => registerEngineMetricsCallback(ep, 'not a url' as never)).toThrow(
      'a string engine source must be an http(s) URL',
    );
    expect(ep.metricsRegistry.familiesCallbacks).toHaveLength(0);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
      'error',
    ],
    ['hangs', () => new Promise<string>(() => {}), 'timeout'],
    ['returns malformed text', () => 'vllm:x{ 1\n', 'parse_error'],
    ['returns a number', () => 3 as unknown as string, 'not_text'],
  ] as [string, () => string | Promise<string>, string][])(
    'serves the rest of /metrics when the source %s, counts the cause, logs once, and tries again next scrape',
    async (_, failing, cause) => {
      const { drt, ep, logger } = setup();
      let broken = true;
      registerEngineMetricsCallback(ep, () => (broken ? failing() : VLLM), {
        metricPrefixFilters: ['vllm:'],
      });
      for (let i = 0; i < 3; i++) {
        const text = await drt.metrics.prometheusExpfmt();
        expect(line(text, 'dynamo_component_requests_total')).toContain('} 9');
        expect(text).not.toContain('vllm:num_requests_running');
      }
      const text = await drt.metrics.prometheusExpfmt();
      expect(
        line(text, `dynamo_component_metrics_callback_failures_total{callback="engine",cause="${cause}"`),
      ).toMatch(/ 4$/);
      expect(
        logger.entries.filter((e) => e.message === 'Error executing metrics engine callback'),
      ).toHaveLength(1);
      broken = false;
      expect(await drt.metrics.prometheusExpfmt()).toContain('vllm:num_requests_running{');
    },
  );

  it("merges two workers' engines exposing the same family into one family", async () => {
    const { drt } = setup();
    const comp = drt.namespace('dynamo').component('vllm-worker');
    registerEngineMetricsCallback(comp.endpoint('generate'), () => VLLM, { metricPrefixFilters: ['vllm:'] });
    registerEngineMetricsCallback(comp.endpoint('prefill'), () => VLLM, { metricPrefixFilters: ['vllm:'] });
    const text = await drt.metrics.prometheusExpfmt();
    expect(text.match(/# TYPE vllm:num_requests_running gauge/g)).toHaveLength(1);
    expect(text.match(/^vllm:num_requests_running\{/gm)).toHaveLength(2);
  });

  it('drops an engine family that conflicts with a native one, alone', async () => {
    const { drt, ep } = setup();
    registerEngineMetricsCallback(
      ep,
      () =>
        '# HELP dynamo_component_requests_total Other help.\n# TYPE dynamo_component_requests_total counter\ndynamo_component_requests_total 1\nengine_up 1\n',
    );
    const text = await drt.metrics.prometheusExpfmt();
    expect(text).not.toContain('Other help.');
    expect(text).toContain('engine_up{');
    expect(line(text, 'dynamo_component_metrics_dropped_families_total')).toMatch(/ 1$/);
  });
});
