import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateChunk, GenerateRequest } from '../../src/engines/index.js';
import { parseExposition } from '../../src/expfmt/index.js';
import type { DistributedRuntime } from '../../src/runtime/index.js';
import {
  encodeFrame,
  encodeRequest,
  RequestPlaneError,
  type WorkerInstance,
} from '../../src/serving/index.js';
import { callerRuntime, reapAll, type Spawned, spawnWorker, type WorkerReady } from '../helpers/processes.js';

let dir: string;
let caller: DistributedRuntime;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-mp-'));
  caller = callerRuntime(dir);
});

afterAll(async () => {
  await reapAll();
  await caller.shutdown();
  await rm(dir, { recursive: true, force: true });
});

const workers: Spawned<WorkerReady>[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

async function startWorker(endpoint: string, ...extra: string[]): Promise<Spawned<WorkerReady>> {
  const w = await spawnWorker(dir, ['--endpoint', endpoint, '--itl-ms', '5', '--ttft-ms', '10', ...extra]);
  workers.push(w);
  return w;
}

function instanceOf(w: Spawned<WorkerReady>, endpoint: string): WorkerInstance {
  return {
    namespace: 'dynamo',
    component: 'backend',
    endpoint,
    instanceId: w.ready.instanceId,
    address: w.ready.requestPlane,
  };
}

const request = (prompt: string, maxTokens = 8): GenerateRequest => ({
  model: 'mock-model',
  prompt,
  maxTokens,
});

/** The work-handler metrics a worker exposes, by short name (errors by type). */
async function workMetrics(w: Spawned<WorkerReady>): Promise<Record<string, number>> {
  const text = await (await fetch(`${w.ready.systemStatus}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const f of parseExposition(text)) {
    if (!f.name.startsWith('dynamo_component_') || f.name.includes('metrics_') || f.name.includes('uptime'))
      continue;
    for (const s of f.series) {
      const t = s.labels.find((l) => l.name === 'error_type');
      const key = f.name.slice('dynamo_component_'.length) + (t ? `{${t.value}}` : '');
      if ('value' in s) out[key] = s.value;
      else if ('count' in s && s.count !== undefined) out[`${key}_count`] = s.count;
    }
  }
  return out;
}

const NO_ERRORS = {
  'errors_total{deserialization}': 0,
  'errors_total{generate}': 0,
  'errors_total{invalid_message}': 0,
  'errors_total{publish_final}': 0,
  'errors_total{publish_response}': 0,
  'errors_total{response_stream}': 0,
  'errors_total{serialization}': 0,
};

describe('workers in their own processes', () => {
  it('serve requests and account for each one exactly, bytes included', async () => {
    const w = await startWorker('generate', '--seed', '3');
    const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
    let requestBytes = 0;
    let responseBytes = 0;
    for (let i = 0; i < 3; i++) {
      const requestId = `req-${i}`;
      const payload = request(`hello world number ${i}`);
      const before = Date.now();
      const chunks: GenerateChunk[] = [];
      for await (const c of client.generate(payload, { instance: instanceOf(w, 'generate'), requestId }))
        chunks.push(c as GenerateChunk);
      expect(chunks.at(-1)?.finishReason).toBeDefined();
      requestBytes += encodeRequest({ id: requestId, sentAtMs: before }, payload).byteLength;
      responseBytes +=
        chunks.reduce((n, c) => n + encodeFrame({ data: c }).byteLength, 0) +
        encodeFrame({ complete: true }).byteLength;
    }
    expect(await workMetrics(w)).toMatchObject({
      requests_total: 3,
      inflight_requests: 0,
      request_duration_seconds_count: 3,
      request_bytes_total: requestBytes,
      response_bytes_total: responseBytes,
      cancellation_total: 0,
      ...NO_ERRORS,
    });
  });

  it('count a handler error as generate and tell the caller', async () => {
    const w = await startWorker('generate', '--error-rate', '1', '--error-at', 'mid-stream');
    const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
    let error: unknown;
    try {
      for await (const _ of client.generate(request('boom', 32), { instance: instanceOf(w, 'generate') })) {
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestPlaneError);
    expect((error as RequestPlaneError).kind).toBe('remote');
    expect(await workMetrics(w)).toMatchObject({
      requests_total: 1,
      inflight_requests: 0,
      request_duration_seconds_count: 1,
      'errors_total{generate}': 1,
      'errors_total{publish_response}': 0,
      cancellation_total: 0,
    });
  });

  it('cancel the generation when the caller aborts, across the wire', async () => {
    const w = await startWorker('generate', '--output-tokens', '500', '--itl-ms', '10');
    const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
    const controller = new AbortController();
    let received = 0;
    await expect(async () => {
      for await (const _ of client.generate(request('a long one', 500), {
        instance: instanceOf(w, 'generate'),
        signal: controller.signal,
      })) {
        if (++received === 5) controller.abort();
      }
    }).rejects.toThrow();
    await expect.poll(async () => (await workMetrics(w)).inflight_requests, { timeout: 5000 }).toBe(0);
    expect(await workMetrics(w)).toMatchObject({ requests_total: 1, cancellation_total: 1, ...NO_ERRORS });
    const engine = await (await fetch(`${w.ready.systemStatus}/metrics`)).text();
    expect(engine).toMatch(/^vllm:num_requests_running\{.*\} 0$/m);
  });

  it('report a worker killed mid-stream as a truncated stream, and discovery forgets it', async () => {
    const doomed = await startWorker('generate', '--output-tokens', '500', '--itl-ms', '10');
    const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
    let received = 0;
    let error: unknown;
    try {
      for await (const _ of client.generate(request('a long one', 500), {
        instance: instanceOf(doomed, 'generate'),
      })) {
        if (++received === 3) await doomed.kill();
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestPlaneError);
    expect((error as RequestPlaneError).kind).toBe('truncated');
    expect((await client.instances()).map((i) => i.instanceId)).not.toContain(doomed.ready.instanceId);
  });

  it('give the same token stream for the same seed, in separate processes', async () => {
    const streams: string[] = [];
    for (let run = 0; run < 2; run++) {
      const w = await startWorker('generate', '--seed', '42');
      const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
      let text = '';
      for await (const c of client.generate(request('the same prompt', 24), {
        instance: instanceOf(w, 'generate'),
      }))
        text += (c as GenerateChunk).text;
      streams.push(text);
      await w.stop();
    }
    expect(streams[0].length).toBeGreaterThan(10);
    expect(streams[1]).toBe(streams[0]);
  });

  it('stop cleanly on SIGTERM, withdrawing from discovery', async () => {
    const w = await startWorker('generate');
    const client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
    expect((await client.instances()).map((i) => i.instanceId)).toContain(w.ready.instanceId);
    expect(await w.stop()).toBe(0);
    expect((await client.instances()).map((i) => i.instanceId)).not.toContain(w.ready.instanceId);
  });
});
