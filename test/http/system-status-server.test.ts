import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/expfmt/index.js';
import { ConfigError, DistributedRuntime, type DistributedRuntimeOptions } from '../../src/runtime/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { httpRequest, rawExchange } from '../helpers/http.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const started: DistributedRuntime[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((d) => d.shutdown()));
});

async function serve(env: Record<string, string> = {}, options: DistributedRuntimeOptions = {}) {
  const logger = new MemoryLogger();
  const drt = await DistributedRuntime.create({
    instanceId: 0xabcn,
    env: { DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1', ...env },
    logger,
    ...options,
  });
  started.push(drt);
  const url = drt.systemServer?.url ?? '';
  return { drt, url, logger };
}

describe('starting the system status server', () => {
  it('starts on an ephemeral port for DYN_SYSTEM_PORT=0 and reports it', async () => {
    const { drt, url } = await serve();
    expect(drt.systemServer?.port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${drt.systemServer?.port}`);
    expect((await httpRequest(`${url}/metrics`)).status).toBe(200);
  });

  it('does not start when DYN_SYSTEM_PORT is unset, empty or negative', async () => {
    for (const env of [{}, { DYN_SYSTEM_PORT: '' }, { DYN_SYSTEM_PORT: '-1' }]) {
      const drt = await DistributedRuntime.create({ env, logger: new MemoryLogger() });
      expect(drt.systemServer).toBeUndefined();
      await drt.shutdown();
    }
  });

  it('lets code decide over the environment', async () => {
    const off = await DistributedRuntime.create({ env: { DYN_SYSTEM_PORT: '0' }, systemServer: false });
    expect(off.systemServer).toBeUndefined();
    const on = await DistributedRuntime.create({ env: {}, systemServer: { port: 0, host: '127.0.0.1' } });
    started.push(on);
    expect(on.systemServer?.port).toBeGreaterThan(0);
  });

  it.each([
    ['70000', 'DYN_SYSTEM_PORT must be at most 65535, got "70000"'],
    ['80a', 'DYN_SYSTEM_PORT must be an integer port, got "80a"'],
    ['8.5', 'DYN_SYSTEM_PORT must be an integer port, got "8.5"'],
  ])('refuses DYN_SYSTEM_PORT=%s with a clear error', async (port, message) => {
    await expect(DistributedRuntime.create({ env: { DYN_SYSTEM_PORT: port } })).rejects.toThrow(ConfigError);
    await expect(DistributedRuntime.create({ env: { DYN_SYSTEM_PORT: port } })).rejects.toThrow(message);
  });

  it('accepts ports above 32767, which upstream cannot', async () => {
    const { parsePort } = await import('../../src/runtime/config.js');
    expect(parsePort('40000')).toBe(40000);
    expect(parsePort('65535')).toBe(65535);
  });

  it('warns that DYN_SYSTEM_ENABLED is deprecated', async () => {
    const { logger } = await serve({ DYN_SYSTEM_ENABLED: 'true' });
    expect(
      logger.entries.some(
        (e) => e.level === 'warn' && e.message.includes('DYN_SYSTEM_ENABLED is deprecated'),
      ),
    ).toBe(true);
  });
});

describe('health and liveness', () => {
  it('answers 503 notready by default, with uptime and endpoint statuses', async () => {
    const { url } = await serve();
    for (const path of ['/health', '/live']) {
      const res = await httpRequest(`${url}${path}`);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toBe('application/json');
      const body = JSON.parse(res.text);
      expect(body.status).toBe('notready');
      expect(body.endpoints).toEqual({});
      expect(Object.keys(body.uptime)).toEqual(['secs', 'nanos']);
    }
  });

  it('starts ready with DYN_SYSTEM_STARTING_HEALTH_STATUS=ready, and follows the API', async () => {
    const { drt, url } = await serve({ DYN_SYSTEM_STARTING_HEALTH_STATUS: 'ready' });
    expect((await httpRequest(`${url}/health`)).status).toBe(200);
    drt.health.setSystemStatus('notready');
    expect((await httpRequest(`${url}/health`)).status).toBe(503);
  });

  it('uses the endpoints listed in DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS', async () => {
    const { drt, url } = await serve({
      DYN_SYSTEM_STARTING_HEALTH_STATUS: 'ready',
      DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS: '["generate"]',
    });
    expect((await httpRequest(`${url}/health`)).status).toBe(503);
    const ep = drt.namespace('dynamo').component('backend').endpoint('generate');
    ep.setHealthStatus('ready');
    const res = await httpRequest(`${url}/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'ready', endpoints: { generate: 'ready' } });
  });

  it('uses registered health-check targets when no endpoint list is configured', async () => {
    const { drt, url } = await serve({ DYN_SYSTEM_STARTING_HEALTH_STATUS: 'ready' });
    const ep = drt.namespace('dynamo').component('backend').endpoint('generate');
    ep.setHealthStatus('notready', { healthCheckTarget: true });
    expect((await httpRequest(`${url}/health`)).status).toBe(503);
    ep.setHealthStatus('ready');
    expect((await httpRequest(`${url}/health`)).status).toBe(200);
  });

  it('serves custom paths instead of the defaults', async () => {
    const { url } = await serve({
      DYN_SYSTEM_HEALTH_PATH: '/custom/health',
      DYN_SYSTEM_LIVE_PATH: '/custom/live',
    });
    expect((await httpRequest(`${url}/custom/health`)).status).toBe(503);
    expect((await httpRequest(`${url}/custom/live`)).status).toBe(503);
    for (const path of ['/health', '/live']) {
      const res = await httpRequest(`${url}${path}`);
      expect(res.status).toBe(404);
      expect(res.text).toBe('Route not found');
    }
  });

  it('refuses a health path that does not start with a slash', async () => {
    await expect(
      DistributedRuntime.create({ env: { DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HEALTH_PATH: 'health' } }),
    ).rejects.toThrow('DYN_SYSTEM_HEALTH_PATH must start with "/"');
  });
});

describe('GET /metrics', () => {
  async function withMetrics(env: Record<string, string> = {}, options: DistributedRuntimeOptions = {}) {
    const s = await serve(env, options);
    const ep = s.drt.namespace('dynamo').component('backend').endpoint('generate');
    ep.metrics.createIntCounterVec('requests_total', 'Requests.', ['model']).labels('llama').inc(3);
    ep.metrics.createGauge('kv_usage_ratio', 'KV usage.').set(0.5);
    return { ...s, ep };
  }

  it('answers text 0.0.4 by default, uncompressed', async () => {
    const { url } = await withMetrics();
    const res = await httpRequest(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.text).toContain(
      'dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="llama",worker_id="abc"} 3\n',
    );
    expect(Number(res.headers['content-length'])).toBe(res.raw.length);
  });

  it('answers OpenMetrics, gzipped, to what Prometheus 2.42 sends', async () => {
    const { url } = await withMetrics();
    const res = await httpRequest(`${url}/metrics`, {
      headers: { accept: PROMETHEUS_ACCEPT, 'accept-encoding': 'gzip' },
    });
    expect(res.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept, Accept-Encoding');
    expect(res.raw.length).toBeLessThan(res.text.length);
    expect(res.text.endsWith('# EOF\n')).toBe(true);
    expect(
      parseExposition(res.text, { syntax: 'openmetrics' }).some(
        (f) => f.name === 'dynamo_component_requests_total',
      ),
    ).toBe(true);
  });

  it.each([
    ['gzip;q=0', false],
    ['identity', false],
    ['*', true],
    ['br, GZIP;q=0.5', true],
    ['gzip;q=0, *', false],
    [';;;,,,=q', false],
  ])('honours Accept-Encoding %j', async (encoding, gzipped) => {
    const { url } = await withMetrics();
    const res = await httpRequest(`${url}/metrics`, { headers: { 'accept-encoding': encoding } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding'] === 'gzip').toBe(gzipped);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'garbage'],
    ['malformed parameters', 'text/plain;q=abc,,,;;'],
    ['an unknown OpenMetrics version', 'application/openmetrics-text;version=9.9.9'],
    ['8 KB of media ranges', 'x/y,'.repeat(2000)],
  ])('falls back to text 0.0.4 for an Accept header that is %s', async (_, accept) => {
    const { url } = await withMetrics();
    const res = await httpRequest(`${url}/metrics`, { headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { url } = await withMetrics();
    const res = await httpRequest(`${url}/metrics`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(100);
    expect(res.raw.length).toBe(0);
  });

  it('filters families with name[] (text names or OpenMetrics family names)', async () => {
    const { url } = await withMetrics();
    const byText = await httpRequest(`${url}/metrics?name[]=dynamo_component_kv_usage_ratio`);
    expect(parseExposition(byText.text).map((f) => f.name)).toEqual(['dynamo_component_kv_usage_ratio']);
    const both = await httpRequest(
      `${url}/metrics?name%5B%5D=dynamo_component_requests&name[]=dynamo_component_kv_usage_ratio&name[]=nope`,
    );
    expect(parseExposition(both.text).map((f) => f.name)).toEqual([
      'dynamo_component_kv_usage_ratio',
      'dynamo_component_requests_total',
    ]);
  });

  it('ignores a request body on GET', async () => {
    const { url } = await withMetrics();
    const body = 'x'.repeat(100_000);
    const res = await httpRequest(`${url}/metrics`, {
      body,
      headers: { 'content-type': 'text/plain', 'content-length': String(body.length) },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('dynamo_component_requests_total');
  });

  it('shares one gather between concurrent scrapes', async () => {
    const { url, drt } = await withMetrics();
    let gathers = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    drt.metrics.registerUpdateCallback(async () => {
      gathers++;
      await gate;
    });
    const scrapes = Array.from({ length: 5 }, () => httpRequest(`${url}/metrics`));
    await new Promise((r) => setTimeout(r, 50));
    release();
    const results = await Promise.all(scrapes);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(gathers).toBe(1);
  });

  it('answers 503 past the in-flight limit and counts the rejection', async () => {
    const { url, drt } = await withMetrics({}, { metricsEndpoint: { maxInFlight: 2 } });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    drt.metrics.registerUpdateCallback(() => gate);
    const slow = [httpRequest(`${url}/metrics`), httpRequest(`${url}/metrics`)];
    await new Promise((r) => setTimeout(r, 50));
    const rejected = await httpRequest(`${url}/metrics`);
    expect(rejected.status).toBe(503);
    expect(rejected.text).toBe('Limit of concurrent requests reached (2), try again later.');
    release();
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    const after = await httpRequest(`${url}/metrics`);
    expect(after.text).toContain(
      'dynamo_component_metrics_scrapes_total{format="text",outcome="rejected",worker_id="abc"} 1\n',
    );
    expect(after.text).toContain(
      'dynamo_component_metrics_scrapes_total{format="text",outcome="success",worker_id="abc"} 2\n',
    );
  });

  it('answers 503 when a scrape runs past its timeout, and keeps serving', async () => {
    const { url, drt } = await withMetrics(
      {},
      { metricsEndpoint: { timeoutMs: 100 }, scrape: { callbackTimeoutMs: 10_000 } },
    );
    let slow = true;
    drt.metrics.registerUpdateCallback(() =>
      slow ? new Promise<void>((r) => setTimeout(r, 300)) : undefined,
    );
    const res = await httpRequest(`${url}/metrics`);
    expect(res.status).toBe(503);
    expect(res.text).toBe('scrape timed out after 100 ms');
    await new Promise((r) => setTimeout(r, 300));
    slow = false;
    const ok = await httpRequest(`${url}/metrics`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(
      'dynamo_component_metrics_scrapes_total{format="text",outcome="timeout",worker_id="abc"} 1\n',
    );
  });

  it('takes the shorter of its timeout and the one Prometheus announces', async () => {
    const { url, drt } = await withMetrics({}, { scrape: { callbackTimeoutMs: 10_000 } });
    drt.metrics.registerUpdateCallback(() => new Promise<void>((r) => setTimeout(r, 400)));
    const res = await httpRequest(`${url}/metrics`, {
      headers: { 'x-prometheus-scrape-timeout-seconds': '0.1' },
    });
    expect(res.status).toBe(503);
  });
});

describe('routing and hostile requests', () => {
  it.each([
    '/',
    '/nope',
    '/metrics/',
    '/metrics/../metrics',
    '/%6Detrics',
    '//metrics',
    '/METRICS',
    '/health/../metrics',
  ])('answers 404 Route not found for %s, sent as is', async (path) => {
    const { drt } = await serve();
    const { response } = await rawExchange(
      drt.systemServer!.port,
      `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 404 /);
    expect(response.endsWith('\r\n\r\nRoute not found')).toBe(true);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow', async (method) => {
    const { url } = await serve();
    for (const path of ['/metrics', '/health', '/live']) {
      const res = await httpRequest(`${url}${path}`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
  });

  it('answers 431 to huge headers and 400 to garbage, and keeps serving', async () => {
    const { drt, url } = await serve();
    const port = drt.systemServer!.port;
    const huge = await rawExchange(
      port,
      `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
    );
    expect(huge.response).toMatch(/^HTTP\/1\.1 431/);
    const garbage = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.response).toMatch(/^HTTP\/1\.1 400/);
    const smuggle = await rawExchange(
      port,
      'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    );
    expect(smuggle.response).toMatch(/^HTTP\/1\.1 400/);
    expect((await httpRequest(`${url}/metrics`)).status).toBe(200);
  });

  it('closes a connection that never finishes its headers, and serves others meanwhile', async () => {
    const { drt, url } = await serve(
      {},
      { connectionLimits: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 200 } },
    );
    const halfOpen = rawExchange(drt.systemServer!.port, 'GET /metrics HTTP/1.1\r\nHost: x\r\n', 5000);
    expect((await httpRequest(`${url}/metrics`)).status).toBe(200);
    const result = await halfOpen;
    expect(result.closed).toBe(true);
  });
});
