import { afterEach, describe, expect, it } from 'vitest';
import { DistributedRuntime } from '../../src/runtime/index.js';
import {
  encodeRequest,
  type RequestContext,
  RequestPlaneError,
  StaticDiscovery,
} from '../../src/serving/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { httpRequest } from '../helpers/http.js';

const runtimes: DistributedRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.shutdown()));
});

function runtime(discovery: StaticDiscovery, instanceId: bigint): DistributedRuntime {
  const drt = new DistributedRuntime({
    instanceId,
    systemServer: false,
    env: {},
    logger: new MemoryLogger(),
    discovery,
  });
  runtimes.push(drt);
  return drt;
}

/** The work-handler metrics of an endpoint as name -> value (histograms as count and sum). */
async function workMetrics(drt: DistributedRuntime): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const f of await drt.scrapeFamilies()) {
    if (!f.name.startsWith('dynamo_component_') || f.name.includes('metrics_') || f.name.includes('uptime'))
      continue;
    for (const s of f.series) {
      const extra = s.labels.find((l) => l.name === 'error_type');
      const key = f.name.replace('dynamo_component_', '') + (extra ? `{${extra.value}}` : '');
      if ('value' in s) out[key] = s.value;
      else if ('count' in s && s.count !== undefined) out[`${key}_count`] = s.count;
    }
  }
  return out;
}

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

async function* echo(request: { n: number }): AsyncGenerator<{ i: number }> {
  for (let i = 0; i < request.n; i++) yield { i };
}

function setup() {
  const discovery = new StaticDiscovery();
  const worker = runtime(discovery, 0xaaan);
  const caller = runtime(discovery, 0xbbbn);
  const ep = worker.namespace('dynamo').component('backend').endpoint('generate');
  return {
    discovery,
    worker,
    caller,
    ep,
    client: caller.namespace('dynamo').component('backend').endpoint('generate').client(),
  };
}

const ZERO_ERRORS = {
  'errors_total{deserialization}': 0,
  'errors_total{generate}': 0,
  'errors_total{invalid_message}': 0,
  'errors_total{publish_final}': 0,
  'errors_total{publish_response}': 0,
  'errors_total{response_stream}': 0,
  'errors_total{serialization}': 0,
};

describe('serving an endpoint over HTTP', () => {
  it('streams every chunk and accounts for the request exactly', async () => {
    const { worker, ep, client } = setup();
    await ep.serve(echo, { metricsLabels: { model: 'llama', model_name: 'llama' } });
    expect(await collect(client.generate({ n: 3 }))).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    const payload = encodeRequest({ id: 'x' }, { n: 3 });
    const m = await workMetrics(worker);
    expect(m).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      request_duration_seconds_count: 1,
      cancellation_total: 0,
      ...ZERO_ERRORS,
    });
    // control header differs in length by the request id: a UUID; the payload part is exact
    expect(m.request_bytes_total).toBe(
      payload.byteLength - 'x'.length + 36 + `,"sentAtMs":${Date.now()}`.length,
    );
    expect(m.response_bytes_total).toBe(3 * '{"data":{"i":0}}\n'.length + '{"complete":true}\n'.length);
  });

  it('labels the work-handler metrics with the endpoint and the extra labels', async () => {
    const { worker, ep } = setup();
    await ep.serve(echo, { metricsLabels: { model: 'llama' } });
    const text = await worker.metrics.prometheusExpfmt();
    expect(text).toContain(
      'dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="llama",worker_id="aaa"} 0\n',
    );
    expect(text).toContain(
      'dynamo_component_request_duration_seconds_bucket{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="llama",worker_id="aaa",le="600"} 0\n',
    );
  });

  it('counts a handler error as generate, and the caller gets a clear error', async () => {
    const { worker, ep, client } = setup();
    await ep.serve(async function* () {
      yield 'first';
      throw new Error('engine exploded');
    });
    const got: unknown[] = [];
    await expect(async () => {
      for await (const c of client.generate({})) got.push(c);
    }).rejects.toThrow("the worker's handler failed (generate): engine exploded");
    expect(got).toEqual(['first']);
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      'errors_total{generate}': 1,
      cancellation_total: 0,
    });
  });

  it('counts a client abort as a cancellation and releases the handler', async () => {
    const { worker, ep, client } = setup();
    let finished = false;
    let gotSignal: AbortSignal | undefined;
    await ep.serve(async function* (_: unknown, ctx: RequestContext) {
      gotSignal = ctx.signal;
      try {
        for (let i = 0; ; i++) {
          yield i;
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        finished = true;
      }
    });
    const controller = new AbortController();
    const got: unknown[] = [];
    await expect(async () => {
      for await (const c of client.generate({}, { signal: controller.signal })) {
        got.push(c);
        if (got.length === 3) controller.abort();
      }
    }).rejects.toThrow();
    await expect.poll(() => finished).toBe(true);
    expect(gotSignal?.aborted).toBe(true);
    // Under load the request can reach the worker after the caller gave up: wait for it to arrive and end.
    await expect
      .poll(async () => {
        const m = await workMetrics(worker);
        return [m.requests_total, m.inflight_requests];
      })
      .toEqual([1, 0]);
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 1,
      cancellation_total: 1,
      ...ZERO_ERRORS,
    });
  });

  it('cancels a handler that never yields when the caller stops waiting', async () => {
    const { worker, ep, client } = setup();
    await ep.serve(async function* () {
      await new Promise(() => {});
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(collect(client.generate({}, { signal: controller.signal }))).rejects.toThrow(
      'the caller cancelled the request',
    );
    // Under load the request can reach the worker after the caller gave up: wait for it to arrive and end.
    await expect
      .poll(async () => {
        const m = await workMetrics(worker);
        return [m.requests_total, m.inflight_requests];
      })
      .toEqual([1, 0]);
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 1,
      cancellation_total: 1,
      'errors_total{generate}': 0,
    });
  });

  it('counts malformed messages by their error type and answers 400', async () => {
    const { worker, ep } = setup();
    const { instance } = await ep.serve(echo);
    const url = `${instance.address}/v1/rpc/dynamo/backend/generate`;
    const noHeader = await httpRequest(url, { method: 'POST', body: '{"n":1}' });
    expect(noHeader.status).toBe(400);
    expect(JSON.parse(noHeader.text)).toEqual({
      error: { type: 'invalid_message', message: 'request message lacks a control header or data' },
    });
    const badHeader = await httpRequest(url, { method: 'POST', body: 'not json\n{"n":1}' });
    expect(badHeader.status).toBe(400);
    const badData = await httpRequest(url, { method: 'POST', body: '{"id":"1"}\n{"n":' });
    expect(JSON.parse(badData.text).error.type).toBe('deserialization');
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 3,
      inflight_requests: 0,
      'errors_total{invalid_message}': 1,
      'errors_total{deserialization}': 2,
    });
  });

  it('answers 404 for an endpoint that is not served, and the caller says so', async () => {
    const { ep, caller } = setup();
    const { instance } = await ep.serve(echo);
    const other = caller.namespace('dynamo').component('backend').endpoint('nope').client();
    await expect(
      collect(other.generate({}, { instance: { ...instance, endpoint: 'nope' } })),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses oversized messages with 413 and counts them', async () => {
    const discovery = new StaticDiscovery();
    const worker = new DistributedRuntime({
      instanceId: 1n,
      systemServer: false,
      env: {},
      discovery,
      requestPlane: { maxRequestBytes: 1024 },
    });
    runtimes.push(worker);
    const { instance } = await worker.namespace('ns').component('c').endpoint('e').serve(echo);
    const res = await httpRequest(`${instance.address}/v1/rpc/ns/c/e`, {
      method: 'POST',
      body: `{"id":"1"}\n"${'x'.repeat(5000)}"`,
    });
    expect(res.status).toBe(413);
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      'errors_total{invalid_message}': 1,
    });
  });

  it('tells callers when the worker shuts down mid-request, and leaves no request in flight', async () => {
    const { worker, ep, client } = setup();
    await ep.serve(async function* () {
      for (let i = 0; ; i++) {
        yield i;
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    const stream = client.generate({});
    await stream.next();
    expect((await workMetrics(worker)).inflight_requests).toBe(1);
    const shutdown = worker.shutdown();
    await expect(collect(stream)).rejects.toMatchObject({ kind: 'cancelled' });
    await shutdown;
    expect(await workMetrics(worker)).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      cancellation_total: 1,
      'errors_total{generate}': 0,
    });
  });

  it('fails with no_instances when nothing serves the endpoint', async () => {
    const { client } = setup();
    await expect(collect(client.generate({}))).rejects.toThrow(RequestPlaneError);
    await expect(collect(client.generate({}))).rejects.toThrow('no instance serves dynamo/backend/generate');
  });
});

describe('serving in process', () => {
  it('calls the handler directly with the same accounting', async () => {
    const discovery = new StaticDiscovery();
    const drt = runtime(discovery, 0x1n);
    const ep = drt.namespace('dynamo').component('backend').endpoint('generate');
    await ep.serve(echo);
    expect(await collect(ep.client().generate({ n: 2 }))).toEqual([{ i: 0 }, { i: 1 }]);
    const m = await workMetrics(drt);
    expect(m).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      cancellation_total: 0,
      ...ZERO_ERRORS,
    });
    expect(m.response_bytes_total).toBe(2 * '{"data":{"i":0}}\n'.length + '{"complete":true}\n'.length);
  });

  it('cancels when the caller stops reading early', async () => {
    const discovery = new StaticDiscovery();
    const drt = runtime(discovery, 0x1n);
    const ep = drt.namespace('dynamo').component('backend').endpoint('generate');
    let finished = false;
    await ep.serve(async function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finished = true;
      }
    });
    for await (const c of ep.client().generate({})) if (c === 5) break;
    expect(finished).toBe(true);
    expect(await workMetrics(drt)).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      cancellation_total: 1,
      'errors_total{publish_response}': 0,
    });
  });
});
