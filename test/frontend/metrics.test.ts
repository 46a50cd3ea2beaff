/**
 * Every frontend metric of reference spec §6.2, asserted exactly over scripted request sequences. The mock
 * engine and the frontend share a virtual clock, so a TTFT of 30 ms is observed as exactly 0.03 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/metric.js';
import { expectHistogram, LABEL, MODEL, raisedGauges, requestsTotal } from './assertions.js';
import { closeDeployments, startDeployment } from './deployment.js';

afterEach(closeDeployments);

const timing = {
  model: MODEL,
  ttftBaseMs: 30,
  ttftPerUncachedTokenMs: 0,
  interTokenLatencyMs: 10,
  kvCacheBlockSize: 4,
  outputLength: { kind: 'fixed', value: 64 },
} as const;

describe('token timing and lengths', () => {
  it('records TTFT, ITL, ISL, OSL, cached tokens, durations and output tokens exactly', async () => {
    const d = await startDeployment({ engines: [timing] });
    const m = d.frontend.metrics;
    // 1. Unary completion, 8 prompt tokens, 4 output tokens: TTFT 30 ms, then 3 gaps of 10 ms.
    const unary = await d.post('/v1/completions', { model: MODEL, prompt: 'a b c d e f g h', max_tokens: 4 });
    expect(unary.status).toBe(200);
    expect((unary.body as { usage: unknown }).usage).toEqual({
      prompt_tokens: 8,
      completion_tokens: 4,
      total_tokens: 12,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    // 2. Streaming completion sharing the first 8 tokens (two 4-token blocks come from the prefix cache),
    //    7 output tokens, usage in a final chunk.
    const streamed = await d.post('/v1/completions', {
      model: MODEL,
      prompt: 'a b c d e f g h i',
      max_tokens: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.status).toBe(200);
    const events = streamed.text.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const usageChunk = JSON.parse(events.at(-2)!.slice(6)) as { choices: unknown[]; usage: unknown };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 7,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 8 },
    });
    // 3. Streaming chat without usage: the chat template's tokens count as input.
    const chat = await d.post('/v1/chat/completions', {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 2,
      stream: true,
    });
    expect(chat.status).toBe(200);
    expect(chat.text).not.toContain('"usage"');

    const s = await d.samples();
    const chatInput = s.get(
      `dynamo_frontend_worker_last_input_sequence_tokens{dp_rank="none",worker_id="fe01",worker_type="prefill"}`,
    )!;
    expect(chatInput).toBeGreaterThan(1);
    expectHistogram(s, m.timeToFirstToken as unknown as Metric, [0.03, 0.03, 0.03]);
    expectHistogram(s, m.interTokenLatency as unknown as Metric, Array(3 + 6 + 1).fill(0.01));
    expectHistogram(s, m.inputSequenceTokens as unknown as Metric, [8, 9, chatInput]);
    expectHistogram(s, m.outputSequenceTokens as unknown as Metric, [4, 7, 2]);
    expectHistogram(s, m.cachedTokens as unknown as Metric, [0, 8, 0]);
    expectHistogram(s, m.requestDuration as unknown as Metric, [0.06, 0.09, 0.04]);
    expect(s.get(`dynamo_frontend_output_tokens_total{model="${LABEL}"}`)).toBe(13);
    expect(requestsTotal(s, LABEL, 'completions', 'unary', '')).toBe(1);
    expect(requestsTotal(s, LABEL, 'completions', 'stream', '')).toBe(1);
    expect(requestsTotal(s, LABEL, 'chat_completions', 'stream', '')).toBe(1);
    expect(
      s.get(
        `dynamo_frontend_requests_started_total{endpoint="completions",model="${LABEL}",request_type="stream"}`,
      ),
    ).toBe(1);
    // The per-worker gauges hold the last request's values; worker_id is the same hex as component metrics.
    expect(
      s.get(
        `dynamo_frontend_worker_last_time_to_first_token_seconds{dp_rank="none",worker_id="fe01",worker_type="prefill"}`,
      ),
    ).toBe(0.03);
    expect(
      s.get(
        `dynamo_frontend_worker_last_inter_token_latency_seconds{dp_rank="none",worker_id="fe01",worker_type="decode"}`,
      ),
    ).toBe(0.01);
    expect(
      s.get(
        `dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="${LABEL}",model_name="${MODEL}",worker_id="fe01"}`,
      ),
    ).toBe(3);
    expect(raisedGauges(s)).toEqual([]);
    expect(s.get('dynamo_frontend_disconnected_clients')).toBe(0);
  });

  it('publishes the model configuration gauges under the card name', async () => {
    const d = await startDeployment({
      engines: [
        {
          ...timing,
          contextLength: 4096,
          totalKvBlocks: 1000,
          maxNumSeqs: 8,
          maxNumBatchedTokens: 2048,
          migrationLimit: 3,
        },
      ],
    });
    const s = await d.samples();
    expect(
      [...s].filter(([k]) => k.startsWith('dynamo_frontend_model_')).map(([k, v]) => `${k} ${v}`),
    ).toEqual([
      `dynamo_frontend_model_context_length{model="${MODEL}"} 4096`,
      `dynamo_frontend_model_kv_cache_block_size{model="${MODEL}"} 4`,
      `dynamo_frontend_model_max_num_batched_tokens{model="${MODEL}"} 2048`,
      `dynamo_frontend_model_max_num_seqs{model="${MODEL}"} 8`,
      `dynamo_frontend_model_migration_limit{model="${MODEL}"} 3`,
      `dynamo_frontend_model_total_kv_blocks{model="${MODEL}"} 1000`,
    ]);
  });
});
