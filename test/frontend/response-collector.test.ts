/**
 * The response collector's token accounting on synthetic chunks (the mock engine sends one token per
 * chunk; real engines batch several): a gap of N tokens gives N ITL observations of gap / N, chunks without
 * tokens change nothing, cached tokens are observed once, OSL only when positive.
 */
import { describe, expect, it } from 'vitest';
import type { GenerateChunk } from '../../src/engines/types.js';
import { frontendConfigFromEnv } from '../../src/frontend/config.js';
import { FrontendMetrics } from '../../src/frontend/metrics.js';
import { RequestGuard } from '../../src/frontend/request-guard.js';
import { ResponseCollector } from '../../src/frontend/response-collector.js';
import { text } from '../helpers/expose.js';
import { sampleMap } from './deployment.js';

function setup() {
  const metrics = new FrontendMetrics(frontendConfigFromEnv({}));
  let now = 1000;
  const guard = new RequestGuard(metrics, 'm', 'completions', 'stream', () => now);
  const collector = new ResponseCollector(metrics, guard, { workerId: 'ab', dpRank: '0' });
  const at = (ms: number, chunk: Partial<GenerateChunk>) => {
    now = 1000 + ms;
    collector.observe({ text: '', tokens: 0, outputTokens: 0, inputTokens: 12, ...chunk });
  };
  return { metrics, guard, collector, at, samples: () => sampleMap(text(metrics.registry)) };
}

describe('response collector', () => {
  it('spreads a multi-token gap over its tokens', () => {
    const { at, collector, guard, samples } = setup();
    at(5, { tokens: 0 }); // a role chunk: no tokens, no TTFT
    at(40, { tokens: 2, outputTokens: 2, cachedTokens: 8 });
    at(40, { tokens: 0, outputTokens: 2 });
    at(100, { tokens: 3, outputTokens: 5, cachedTokens: 4 }); // 60 ms over 3 tokens
    at(110, { tokens: 1, outputTokens: 6, finishReason: 'stop' });
    guard.markOk();
    collector.end();
    guard.end();
    const s = samples();
    expect(s.get('dynamo_frontend_time_to_first_token_seconds_sum{model="m"}')).toBe(0.04);
    expect(s.get('dynamo_frontend_time_to_first_token_seconds_count{model="m"}')).toBe(1);
    expect(s.get('dynamo_frontend_inter_token_latency_seconds_count{model="m"}')).toBe(4);
    expect(s.get('dynamo_frontend_inter_token_latency_seconds_sum{model="m"}')).toBeCloseTo(0.07, 15);
    expect(s.get('dynamo_frontend_inter_token_latency_seconds_bucket{model="m",le="0.013"}')).toBe(1);
    expect(s.get('dynamo_frontend_inter_token_latency_seconds_bucket{model="m",le="0.024"}')).toBe(4);
    expect(s.get('dynamo_frontend_input_sequence_tokens_sum{model="m"}')).toBe(12);
    expect(s.get('dynamo_frontend_cached_tokens_sum{model="m"}')).toBe(8);
    expect(s.get('dynamo_frontend_cached_tokens_count{model="m"}')).toBe(1);
    expect(s.get('dynamo_frontend_output_tokens_total{model="m"}')).toBe(6);
    expect(s.get('dynamo_frontend_output_sequence_tokens_sum{model="m"}')).toBe(6);
    expect(s.get('dynamo_frontend_request_duration_seconds_sum{model="m"}')).toBe(0.11);
    expect(
      s.get(
        'dynamo_frontend_worker_last_inter_token_latency_seconds{dp_rank="0",worker_id="ab",worker_type="decode"}',
      ),
    ).toBe(0.01);
    expect(s.get('dynamo_frontend_queued_requests{model="m"}')).toBe(0);
  });

  it('records no OSL, TTFT or ISL for a response without tokens, and ends only once', () => {
    const { at, collector, guard, samples } = setup();
    at(10, { tokens: 0, finishReason: 'cancelled' });
    guard.markError('cancelled');
    collector.end();
    collector.end();
    guard.end();
    guard.end();
    const s = samples();
    expect(s.get('dynamo_frontend_output_sequence_tokens_count{model="m"}')).toBeUndefined();
    expect(s.get('dynamo_frontend_time_to_first_token_seconds_count{model="m"}')).toBeUndefined();
    expect(s.get('dynamo_frontend_input_sequence_tokens_count{model="m"}')).toBeUndefined();
    expect(
      s.get(
        'dynamo_frontend_requests_total{endpoint="completions",error_type="cancelled",model="m",request_type="stream",status="error"}',
      ),
    ).toBe(1);
    expect(s.get('dynamo_frontend_inflight_requests{model="m"}')).toBe(0);
    expect(s.get('dynamo_frontend_queued_requests{model="m"}')).toBe(0);
  });

  it('counts an unmarked request as an internal error, as upstream', () => {
    const { guard, samples } = setup();
    guard.end();
    expect(
      samples().get(
        'dynamo_frontend_requests_total{endpoint="completions",error_type="internal",model="m",request_type="stream",status="error"}',
      ),
    ).toBe(1);
  });
});
