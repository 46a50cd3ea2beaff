/**
 * The frontend's HTTP surface besides completions: `/v1/models`, `/health` (healthy, not_ready,
 * shutting_down), `/live`, `/metrics` negotiation and compression, unknown paths and wrong methods.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Frontend } from '../../src/frontend/frontend.js';
import { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import type { Discovery } from '../../src/serving/discovery/types.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { httpRequest } from '../helpers/http.js';
import { waitFor } from '../helpers/tools.js';
import { MODEL } from './assertions.js';
import { closeDeployments, startDeployment } from './deployment.js';

afterEach(closeDeployments);

describe('frontend service routes', () => {
  it('lists the served models and reports health', async () => {
    const d = await startDeployment({ engines: [{ model: MODEL }, { model: 'other' }] });
    const models = (await (await fetch(`${d.url}/v1/models`)).json()) as {
      object: string;
      data: { id: string }[];
    };
    expect(models.object).toBe('list');
    expect(models.data.map((m) => m.id).sort()).toEqual([MODEL, 'other']);
    const health = await fetch(`${d.url}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      status: string;
      instances: { model: string; inflight: number }[];
    };
    expect(body.status).toBe('healthy');
    expect(body.instances.map((i) => [i.model, i.inflight]).sort()).toEqual([
      [MODEL, 0],
      ['other', 0],
    ]);
    expect((await fetch(`${d.url}/live`)).status).toBe(200);
  });

  it('is not_ready while discovery fails', async () => {
    let fail = true;
    const discovery: Discovery = {
      async register() {
        return async () => {};
      },
      async list() {
        if (fail) throw new Error('discovery store unreachable');
        return [];
      },
    };
    const runtime = new DistributedRuntime({
      systemServer: false,
      env: {},
      logger: new MemoryLogger(),
      discovery,
    });
    const frontend = await Frontend.start({ runtime, port: 0, host: '127.0.0.1', env: {}, refreshMs: 20 });
    try {
      const notReady = await fetch(`${frontend.url}/health`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { status: string }).status).toBe('not_ready');
      fail = false;
      await frontend.models.refresh();
      expect(((await (await fetch(`${frontend.url}/health`)).json()) as { status: string }).status).toBe(
        'healthy',
      );
    } finally {
      await frontend.close(0).catch(() => {});
      await runtime.shutdown();
    }
  });

  it('while shutting down: refuses new requests and reports shutting_down, letting running ones finish', async () => {
    const d = await startDeployment({ engines: [{ model: MODEL, faults: { neverYieldRate: 1 } }] });
    const running = d.post('/v1/completions', { model: MODEL, prompt: 'x' }).catch((e: Error) => e);
    await waitFor('the request to be running', 5000, async () =>
      d.engines[0].runningRequests === 1 ? true : undefined,
    );
    const closing = d.frontend.close(60_000);
    const health = await httpRequest(`${d.url}/health`);
    expect([health.status, JSON.parse(health.text).status]).toEqual([503, 'shutting_down']);
    expect((await httpRequest(`${d.url}/live`)).status).toBe(503);
    const refused = await httpRequest(`${d.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: MODEL, prompt: 'x' }),
    });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.text).error.message).toBe('The frontend is shutting down.');
    // The running request holds the close until it ends.
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    await d.engines[0].close();
    await closing;
    await running;
  });

  it('serves /metrics in both formats, gzipped on request, and refuses unknown paths and methods', async () => {
    const d = await startDeployment({
      engines: [{ model: MODEL, outputLength: { kind: 'fixed', value: 1 } }],
    });
    await d.post('/v1/completions', { model: MODEL, prompt: 'x' });
    const om = await httpRequest(`${d.url}/metrics`, {
      headers: {
        accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
        'accept-encoding': 'gzip',
      },
    });
    expect(om.status).toBe(200);
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(om.raw).toString()).toBe(om.text);
    const text = om.text;
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE dynamo_frontend_requests counter\n');
    expect(text).toContain('dynamo_component_requests_total{');
    const plain = await httpRequest(`${d.url}/metrics`);
    expect(plain.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await httpRequest(`${d.url}/nope`)).status).toBe(404);
    const wrong = await httpRequest(`${d.url}/v1/completions`, { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('with recordMetrics off serves the same responses and records nothing', async () => {
    const d = await startDeployment({
      engines: [{ model: MODEL, outputLength: { kind: 'fixed', value: 3 } }],
      frontend: { recordMetrics: false },
    });
    const res = await d.post('/v1/completions', { model: MODEL, prompt: 'a b c d', max_tokens: 3 });
    expect(res.status).toBe(200);
    expect((res.body as { usage: { prompt_tokens: number; completion_tokens: number } }).usage).toMatchObject(
      {
        prompt_tokens: 4,
        completion_tokens: 3,
      },
    );
    const s = await d.samples();
    // Only what does not come from requests: the configuration gauges (from discovery) and the unlabelled
    // disconnect gauge, still 0.
    expect(
      [...s.keys()].filter(
        (k) => k.startsWith('dynamo_frontend_') && !k.startsWith('dynamo_frontend_model_'),
      ),
    ).toEqual(['dynamo_frontend_disconnected_clients']);
    expect(s.get('dynamo_frontend_disconnected_clients')).toBe(0);
    expect(s.get(`dynamo_frontend_model_context_length{model="${MODEL}"}`)).toBe(8192);
  });
});
