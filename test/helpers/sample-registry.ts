/** A registry with every metric type and awkward label values, shared by the integration tests. */
import {
  Counter,
  CounterVec,
  Gauge,
  GaugeVec,
  Histogram,
  HistogramVec,
  IntCounter,
  IntCounterVec,
  IntGauge,
  IntGaugeVec,
  Registry,
} from '../../src/core/index.js';

/** A label value with a quote, a backslash, a newline, a tab and non-ASCII text, astral plane included. */
export const AWKWARD = 'say "hi" \\ back\\slash\nnew line\ttab ünïcødé 模型 😀';

/** The const labels of the sample metrics that carry the four hierarchy labels. */
export const HIERARCHY_LABELS: Readonly<Record<string, string>> = Object.freeze({
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  worker_id: '694d9d78249cbd10',
});

export function sampleRegistry(): Registry {
  const r = new Registry();
  const consts = HIERARCHY_LABELS;
  r.register(
    new Counter({
      name: 'sample_jobs_total',
      help: 'Jobs done, with "quotes" and a \\ backslash.\nSecond line.',
    }),
  ).inc(3);
  r.register(new IntCounter({ name: 'sample_bytes_total', help: 'Bytes moved.', constLabels: consts })).inc(
    1_234_567_890_123,
  );
  const requests = r.register(
    new CounterVec({
      name: 'sample_requests_total',
      help: 'Requests.',
      labelNames: ['model', 'status'],
      constLabels: consts,
    }),
  );
  requests.labels('llama', 'success').inc(41.5);
  requests.labels(AWKWARD, 'error').inc(2);
  r.register(new IntCounterVec({ name: 'sample_errors_total', help: 'Errors.', labelNames: ['error_type'] }))
    .labels('generate')
    .inc(7);
  r.register(new Gauge({ name: 'sample_temperature_celsius', help: 'Temperature.', unit: 'celsius' })).set(
    -12.25,
  );
  r.register(new IntGauge({ name: 'sample_inflight_requests', help: 'In flight.', constLabels: consts })).set(
    5,
  );
  r.register(new GaugeVec({ name: 'sample_cache_usage_ratio', help: 'Cache usage.', labelNames: ['worker'] }))
    .labels('w1')
    .set(0.875);
  r.register(new IntGaugeVec({ name: 'sample_kv_blocks', help: 'KV blocks.', labelNames: ['state'] }))
    .labels('free')
    .set(8192);
  const latency = r.register(
    new Histogram({ name: 'sample_latency_seconds', help: 'Latency.', unit: 'seconds' }),
  );
  for (const v of [0.003, 0.04, 0.04, 0.7, 3, 12]) latency.observe(v);
  const ttft = r.register(
    new HistogramVec({
      name: 'sample_ttft_seconds',
      help: 'TTFT.',
      labelNames: ['model'],
      buckets: [0.01, 0.1, 1],
      constLabels: consts,
    }),
  );
  ttft.labels('llama').observe(0.05);
  ttft.labels('llama').observe(0.5);
  ttft.labels(AWKWARD).observe(2);
  return r;
}
