import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGoFloat } from '../../src/expfmt/index.js';
import { type ExpositionServer, serveExpositions } from '../helpers/exposition-server.js';
import { Prometheus, type PromSample, renderConfig } from '../helpers/prometheus.js';
import { AWKWARD, sampleRegistry } from '../helpers/sample-registry.js';

/**
 * A real Prometheus 2.42 scrapes one test server three ways: negotiated (it asks for OpenMetrics and gzip),
 * forced text 0.0.4 with gzip, and plain text without compression. Every value must come back exactly.
 */
describe('a real Prometheus scraping our expositions', () => {
  const registry = sampleRegistry();
  let server: ExpositionServer;
  let prom: Prometheus;

  beforeAll(async () => {
    server = await serveExpositions({ gather: () => registry.gather() });
    prom = await Prometheus.start(
      renderConfig([
        { job: 'negotiated', targets: [server.host], metricsPath: '/metrics' },
        { job: 'text', targets: [server.host], metricsPath: '/text' },
        { job: 'plain', targets: [server.host], metricsPath: '/plain' },
      ]),
    );
    await Promise.all(['negotiated', 'text', 'plain'].map((job) => prom.waitForUp(job)));
  });

  afterAll(async () => {
    await prom?.stop();
    await server?.close();
  });

  const jobs = ['negotiated', 'text', 'plain'] as const;

  function value(samples: PromSample[]): number {
    expect(samples).toHaveLength(1);
    return Number(samples[0].value[1]);
  }

  it('negotiated OpenMetrics with gzip, and the other jobs got gzipped and plain text', () => {
    const negotiated = server.requests.find((r) => r.path === '/metrics');
    expect(negotiated?.headers.accept).toContain('application/openmetrics-text;version=1.0.0');
    expect(negotiated?.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(negotiated?.gzip).toBe(true);
    expect(server.requests.find((r) => r.path === '/text')?.gzip).toBe(true);
    expect(server.requests.find((r) => r.path === '/text')?.contentType).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    expect(server.requests.find((r) => r.path === '/plain')?.gzip).toBe(false);
  });

  it.each(jobs)('every target is healthy (%s)', async (job) => {
    const target = (await prom.targets()).find((t) => t.labels.job === job);
    expect(target?.health).toBe('up');
    expect(target?.lastError).toBe('');
  });

  it.each(jobs)('reads back counters and gauges exactly (%s)', async (job) => {
    const j = `job="${job}"`;
    expect(value(await prom.query(`sample_jobs_total{${j}}`))).toBe(3);
    expect(value(await prom.query(`sample_bytes_total{${j}}`))).toBe(1_234_567_890_123);
    expect(value(await prom.query(`sample_requests_total{${j},model="llama"}`))).toBe(41.5);
    expect(value(await prom.query(`sample_errors_total{${j},error_type="generate"}`))).toBe(7);
    expect(value(await prom.query(`sample_temperature_celsius{${j}}`))).toBe(-12.25);
    expect(value(await prom.query(`sample_inflight_requests{${j}}`))).toBe(5);
    expect(value(await prom.query(`sample_cache_usage_ratio{${j}}`))).toBe(0.875);
    expect(value(await prom.query(`sample_kv_blocks{${j}}`))).toBe(8192);
  });

  it.each(jobs)('keeps the const labels of every series (%s)', async (job) => {
    const [s] = await prom.query(`sample_inflight_requests{job="${job}"}`);
    expect(s.metric).toEqual({
      __name__: 'sample_inflight_requests',
      dynamo_component: 'backend',
      dynamo_endpoint: 'generate',
      dynamo_namespace: 'dynamo',
      instance: server.host,
      job,
      worker_id: '694d9d78249cbd10',
    });
  });

  it.each(jobs)(
    'round-trips a label value with a quote, backslash, newline, tab and non-ASCII text (%s)',
    async (job) => {
      const samples = await prom.query(`sample_requests_total{job="${job}",status="error"}`);
      expect(samples.map((s) => s.metric.model)).toEqual([AWKWARD]);
      expect(value(samples)).toBe(2);
      const ttft = await prom.query(
        `sample_ttft_seconds_count{job="${job}",model=${JSON.stringify(AWKWARD)}}`,
      );
      expect(value(ttft)).toBe(1);
    },
  );

  it.each(jobs)('reads back histogram buckets, sum and count (%s)', async (job) => {
    const buckets = await prom.query(`sample_latency_seconds_bucket{job="${job}"}`);
    const byLe = Object.fromEntries(buckets.map((s) => [parseGoFloat(s.metric.le), Number(s.value[1])]));
    expect(byLe).toEqual({
      0.005: 1,
      0.01: 1,
      0.025: 1,
      0.05: 3,
      0.1: 3,
      0.25: 3,
      0.5: 3,
      1: 4,
      2.5: 4,
      5: 5,
      10: 5,
      [Number.POSITIVE_INFINITY]: 6,
    });
    expect(value(await prom.query(`sample_latency_seconds_sum{job="${job}"}`))).toBe(
      0.003 + 0.04 + 0.04 + 0.7 + 3 + 12,
    );
    expect(value(await prom.query(`sample_latency_seconds_count{job="${job}"}`))).toBe(6);
    const q = await prom.query(
      `histogram_quantile(0.5, sample_ttft_seconds_bucket{job="${job}",model="llama"})`,
    );
    expect(value(q)).toBe(0.1);
  });

  it('writes le as OpenMetrics canonical floats when negotiated and as Go floats in text', async () => {
    const le = async (job: string) =>
      (await prom.query(`sample_latency_seconds_bucket{job="${job}"}`)).map((s) => s.metric.le).sort();
    expect(await le('negotiated')).toContain('1.0');
    expect(await le('text')).toContain('1');
    expect(await le('text')).not.toContain('1.0');
  });
});
