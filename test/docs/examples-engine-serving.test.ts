import { describe, expect, it } from 'vitest';
import { readmeBlockOf, runExample as run } from '../helpers/readme-examples.js';

const EXAMPLES = ['engine-metrics', 'engine-sources', 'serving'] as const;

const ENDPOINT_LABELS = 'dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo"';

describe('the README examples of engine pass-through and serving', () => {
  it.each(EXAMPLES)('appear in the README exactly as in examples/%s.ts', async (name) => {
    const { readme, block } = await readmeBlockOf(name);
    expect(readme).toContain(block);
  });

  it('engine-metrics keeps vllm: families but the excluded one, labelled, the engine’s own label winning', async () => {
    const worker = 'worker_id="694d9d78249cbd10"';
    expect(await run('engine-metrics')).toBe(
      '# HELP vllm:num_requests_running Running requests.\n' +
        '# TYPE vllm:num_requests_running gauge\n' +
        `vllm:num_requests_running{cluster="eu-1",${ENDPOINT_LABELS},model="llama-3-8b",model_name="llama-3-8b",${worker}} 3\n` +
        '# HELP vllm:prompt_tokens_total Prefill tokens.\n' +
        '# TYPE vllm:prompt_tokens_total counter\n' +
        `vllm:prompt_tokens_total{cluster="eu-1",${ENDPOINT_LABELS},model="llama-3-8b",model_name="llama-3-8b-instruct",${worker}} 512\n`,
    );
  });

  it('engine-sources renames, refuses a bucket label at registration, and counts failing sources by cause', async () => {
    expect((await run('engine-sources')).split('\n')).toEqual([
      '# TYPE engine_num_running_reqs gauge',
      'engine_num_running_reqs{tp_rank="0"} 7',
      '',
      'EngineOptionsError: custom label name "le" cannot be injected: it belongs to histogram buckets and summary quantiles',
      'dynamo_component_metrics_callback_failures_total{callback="engine",cause="error",worker_id="1"} 1',
      'dynamo_component_metrics_callback_failures_total{callback="engine",cause="parse_error",worker_id="1"} 1',
      `sglang:num_running_reqs{${ENDPOINT_LABELS},tp_rank="0",worker_id="1"} 7`,
    ]);
  });

  it('serving streams the chunks, reports the handler error, and accounts for both requests', async () => {
    const labels = `${ENDPOINT_LABELS},model="shout-1",model_name="shout-1",worker_id="694d9d78249cbd10"`;
    expect((await run('serving')).split('\n')).toEqual([
      'HELLO DYNAMO WORLD',
      'remote generate',
      `dynamo_component_errors_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",error_type="generate",model="shout-1",model_name="shout-1",worker_id="694d9d78249cbd10"} 1`,
      `dynamo_component_inflight_requests{${labels}} 0`,
      `dynamo_component_requests_total{${labels}} 2`,
    ]);
  });
});
