import { describe, expect, it } from 'vitest';
import { expandQuery, legendOf, modelRegex, PANELS, ROWS } from '../../src/dashboard/browser/panels.js';
import { parsePromQL } from '../../src/query/index.js';

const VARS = { model: '.*', rangeMs: 900_000, rateIntervalMs: 20_000 };

describe('the panel table', () => {
  it('has every panel of the reference dashboard and the engine panels, each in a row', () => {
    expect(PANELS.map((p) => p.id)).toEqual([
      'success-rate',
      'total-requests',
      'input-tokens',
      'output-tokens',
      'avg-ttft',
      'avg-itl',
      'avg-e2e',
      'frontend-rps',
      'e2e-latency',
      'outcomes',
      'inflight-queued',
      'ttft',
      'itl',
      'isl',
      'osl',
      'cached-tokens',
      'worker-requests',
      'worker-errors',
      'worker-duration',
      'component-bytes',
      'kv-cache-usage',
      'engine-requests',
    ]);
    for (const p of PANELS) expect(ROWS).toContain(p.row);
  });

  it('has only queries the embedded engine parses and supports', () => {
    for (const panel of PANELS) {
      for (const q of panel.queries)
        expect(() => parsePromQL(expandQuery(q.expr, VARS)), panel.id).not.toThrow();
    }
  });

  it('writes the reference queries with the variables expanded', () => {
    const byId = (id: string) =>
      PANELS.find((p) => p.id === id)!.queries.map((q) => expandQuery(q.expr, VARS));
    expect(byId('frontend-rps')).toEqual([
      'sum by (model) (rate(dynamo_frontend_requests_total{model=~".*"}[20000ms]))',
    ]);
    expect(byId('total-requests')).toEqual([
      'sum(increase(dynamo_frontend_requests_total{model=~".*"}[900000ms]))',
    ]);
    expect(byId('ttft')).toEqual([
      '(histogram_quantile(0.5, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~".*"}[20000ms])))) * 1000',
      '(histogram_quantile(0.9, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~".*"}[20000ms])))) * 1000',
      '(histogram_quantile(0.99, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~".*"}[20000ms])))) * 1000',
      '(histogram_quantile(1, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket{model=~".*"}[20000ms])))) * 1000',
      '(sum (rate(dynamo_frontend_time_to_first_token_seconds_sum{model=~".*"}[20000ms])) / sum (rate(dynamo_frontend_time_to_first_token_seconds_count{model=~".*"}[20000ms]))) * 1000',
    ]);
    expect(byId('engine-requests')[1]).toBe(
      'sum by (instance) (vllm:num_requests_waiting{model=~".*"}) or sum by (instance) (sglang:num_queue_reqs{model=~".*"}) or sum by (instance) (trtllm_num_requests_waiting{model=~".*"})',
    );
  });

  it('puts a model into queries as an exact, escaped regex', () => {
    const model = modelRegex('llama-3.1 "8b"');
    expect(model).toBe('llama-3\\.1 "8b"');
    expect(expandQuery('x{model=~"$model"}', { ...VARS, model })).toBe('x{model=~"llama-3\\\\.1 \\"8b\\""}');
    expect(() => parsePromQL(expandQuery('x{model=~"$model"}', { ...VARS, model }))).not.toThrow();
  });

  it('names series from legend templates', () => {
    expect(legendOf('{{instance}} {{ error_type }}', { instance: 'w1', error_type: 'generate' })).toBe(
      'w1 generate',
    );
    expect(legendOf('{{missing}} p50', {})).toBe(' p50');
  });
});
