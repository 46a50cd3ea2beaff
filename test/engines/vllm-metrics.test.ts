import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  build125Buckets,
  VLLM_REQUEST_LATENCY_BUCKETS,
  VLLM_TPOT_BUCKETS,
  VLLM_TTFT_BUCKETS,
  VllmMetrics,
} from '../../src/engines/vllm-metrics.js';
import { collect, failureOf, MOCK_LABELS, readMetrics, request, virtualEngine } from './helpers.js';

const FOX = 'The quick brown fox jumps over the lazy dog.'; // 10 tokens
const words = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

const scalar = (m: ReturnType<typeof readMetrics>, name: string, extra = ''): number | undefined =>
  m.scalars.get(`${name}{${extra}${MOCK_LABELS}}`);

describe('the vLLM metrics of the mock engine', () => {
  it('has every family under its vLLM name, type and HELP, each series at zero from the start', async () => {
    const { engine } = virtualEngine();
    const m = readMetrics(await engine.metricsSource.metrics());
    expect(m.families.map((f) => [f.name, f.type])).toEqual([
      ['vllm:num_requests_running', 'gauge'],
      ['vllm:num_requests_waiting', 'gauge'],
      ['vllm:gpu_cache_usage_perc', 'gauge'],
      ['vllm:kv_cache_usage_perc', 'gauge'],
      ['vllm:prefix_cache_queries_total', 'counter'],
      ['vllm:prefix_cache_hits_total', 'counter'],
      ['vllm:prompt_tokens_total', 'counter'],
      ['vllm:generation_tokens_total', 'counter'],
      ['vllm:request_success_total', 'counter'],
      ['vllm:request_prompt_tokens', 'histogram'],
      ['vllm:request_generation_tokens', 'histogram'],
      ['vllm:time_to_first_token_seconds', 'histogram'],
      ['vllm:time_per_output_token_seconds', 'histogram'],
      ['vllm:e2e_request_latency_seconds', 'histogram'],
    ]);
    expect(m.families.find((f) => f.name === 'vllm:time_to_first_token_seconds')!.help).toBe(
      'Histogram of time to first token in seconds.',
    );
    expect([...m.scalars.values()].every((v) => v === 0)).toBe(true);
    expect([...m.histograms.values()].every((h) => h.count === 0)).toBe(true);
    expect(
      [...m.scalars.keys()]
        .filter((k) => k.startsWith('vllm:request_success_total'))
        .map((k) => /reason="(\w+)"/.exec(k)![1]),
    ).toEqual(['stop', 'length', 'abort', 'error']);
  });

  it('uses vLLM buckets: fixed ones for times, 1-2-5 up to the context length for token counts', async () => {
    expect(build125Buckets(100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(build125Buckets(8192).at(-1)).toBe(5000);
    const { engine } = virtualEngine({ contextLength: 1000 });
    const m = readMetrics(await engine.metricsSource.metrics());
    const bounds = (name: string) => [...m.histograms.get(`${name}{${MOCK_LABELS}}`)!.buckets.keys()];
    expect(bounds('vllm:time_to_first_token_seconds')).toEqual([
      ...VLLM_TTFT_BUCKETS,
      Number.POSITIVE_INFINITY,
    ]);
    expect(bounds('vllm:time_per_output_token_seconds')).toEqual([
      ...VLLM_TPOT_BUCKETS,
      Number.POSITIVE_INFINITY,
    ]);
    expect(bounds('vllm:e2e_request_latency_seconds')).toEqual([
      ...VLLM_REQUEST_LATENCY_BUCKETS,
      Number.POSITIVE_INFINITY,
    ]);
    expect(bounds('vllm:request_prompt_tokens')).toEqual([
      1,
      2,
      5,
      10,
      20,
      50,
      100,
      200,
      500,
      1000,
      Infinity,
    ]);
  });

  it('counts exactly what a scripted sequence of finished, cached, capped, cancelled and failed requests did', async () => {
    const { engine } = virtualEngine();
    // A: 10 prompt tokens, 5 generated, first token at 70 ms, done at 110 ms.
    const running: number[] = [];
    for await (const _ of engine.generate(request(FOX), new AbortController().signal)) {
      const m = readMetrics(await engine.metricsSource.metrics());
      running.push(scalar(m, 'vllm:num_requests_running')!);
      if (running.length === 1) expect(scalar(m, 'vllm:gpu_cache_usage_perc')).toBe(3 / 64);
    }
    expect(running).toEqual([1, 1, 1, 1, 0]);
    // B: same prompt, 8 tokens cached: first token at 54 ms, done at 94 ms.
    await collect(engine, request(FOX));
    // C: 6 prompt tokens, capped at 3: first token at 62 ms, done at 82 ms.
    await collect(engine, request(words('c', 6), { maxTokens: 3 }));
    // D: 5 prompt tokens, cancelled after 2 tokens, at 70 ms.
    const controller = new AbortController();
    let n = 0;
    for await (const _ of engine.generate(request(words('d', 5)), controller.signal))
      if (++n === 2) controller.abort();
    // E: 4 prompt tokens, fails where its first token would have come, at 58 ms.
    engine.setFaults({ errorRate: 1, errorAt: 'before-first-token' });
    await failureOf(engine.generate(request(words('e', 4)), new AbortController().signal));

    const m = readMetrics(await engine.metricsSource.metrics());
    expect(scalar(m, 'vllm:prompt_tokens_total')).toBe(10 + 10 + 6 + 5);
    expect(scalar(m, 'vllm:generation_tokens_total')).toBe(5 + 5 + 3 + 2);
    expect(scalar(m, 'vllm:prefix_cache_queries_total')).toBe(10 + 10 + 6 + 5 + 4);
    expect(scalar(m, 'vllm:prefix_cache_hits_total')).toBe(8);
    for (const [reason, count] of [
      ['stop', 2],
      ['length', 1],
      ['abort', 1],
      ['error', 1],
    ] as const) {
      expect(
        m.scalars.get(
          `vllm:request_success_total{engine="0",finished_reason="${reason}",model_name="mock-model"}`,
        ),
      ).toBe(count);
    }
    for (const gauge of [
      'num_requests_running',
      'num_requests_waiting',
      'gpu_cache_usage_perc',
      'kv_cache_usage_perc',
    ])
      expect(scalar(m, `vllm:${gauge}`)).toBe(0);

    const h = (name: string) => m.histograms.get(`vllm:${name}{${MOCK_LABELS}}`)!;
    const ttft = h('time_to_first_token_seconds');
    expect(ttft.count).toBe(4);
    expect(ttft.sum).toBeCloseTo(0.07 + 0.054 + 0.062 + 0.06, 12);
    expect([ttft.buckets.get(0.04), ttft.buckets.get(0.06), ttft.buckets.get(0.08)]).toEqual([0, 2, 4]);
    const tpot = h('time_per_output_token_seconds');
    expect(tpot.count).toBe(15 - 4);
    expect(tpot.sum).toBeCloseTo(0.11, 12);
    expect(tpot.buckets.get(0.01)).toBe(11);
    const e2e = h('e2e_request_latency_seconds');
    expect(e2e.count).toBe(5);
    expect(e2e.sum).toBeCloseTo(0.11 + 0.094 + 0.082 + 0.07 + 0.058, 12);
    const prompt = h('request_prompt_tokens');
    expect([prompt.count, prompt.sum, prompt.buckets.get(5), prompt.buckets.get(10)]).toEqual([5, 35, 2, 5]);
    const generation = h('request_generation_tokens');
    expect([generation.count, generation.sum]).toEqual([5, 15]);
    expect([generation.buckets.get(1), generation.buckets.get(2), generation.buckets.get(5)]).toEqual([
      1, 2, 5,
    ]);
  });

  it('registers in a registry it is given, labelled with the served model name and engine index', async () => {
    const registry = new Registry();
    new VllmMetrics({ modelName: 'llama', engine: '3', maxModelLen: 10, registry });
    const text = await registry.metrics();
    expect(text).toContain('vllm:num_requests_running{model_name="llama",engine="3"} 0');
  });
});
