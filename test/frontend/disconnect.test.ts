/**
 * Clients that go away (reference spec §6.2, issue: disconnects): the worker's generation is cancelled
 * across the request plane, `disconnected_clients` rises by one, the request is counted as
 * `status="error", error_type="cancelled"` and in `model_cancellation_total`, and in-flight and queued
 * return to their prior values. Time moves only when the test advances the virtual clock, so the client
 * can leave at an exact point of the response.
 */
import { type ClientRequest, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockEngine } from '../../src/engines/mock-engine.js';
import { waitFor } from '../helpers/tools.js';
import { LABEL, MODEL, raisedGauges, requestsTotal } from './assertions.js';
import { closeDeployments, type Deployment, startDeployment } from './deployment.js';

afterEach(closeDeployments);

interface OpenStream {
  readonly req: ClientRequest;
  /** Resolves with the response status once headers arrive. */
  readonly status: Promise<number>;
  /** Everything received so far. */
  received(): string;
}

function openStream(d: Deployment, body: unknown): OpenStream {
  let text = '';
  const req = request(`${d.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('error', () => {});
      resolve(res.statusCode ?? 0);
    });
  });
  req.on('error', () => {});
  req.end(JSON.stringify(body));
  return { req, status, received: () => text };
}

/** Waits until the engine runs exactly `n` requests. */
async function running(engine: MockEngine, n: number, what: string): Promise<void> {
  await waitFor(what, 5000, async () => (engine.runningRequests === n ? true : undefined));
}

/** The client left: waits for the engine to drop the request and the frontend to count it; returns /metrics. */
async function afterDisconnect(d: Deployment, stream: OpenStream): Promise<Map<string, number>> {
  stream.req.destroy();
  await running(d.engines[0], 0, 'the engine to drop the request');
  const s = await waitFor('the frontend to count the request', 5000, async () => {
    const now = await d.samples();
    return gauge(now, 'inflight_requests') === 0 ? now : undefined;
  });
  expect(requestsTotal(s, LABEL, 'chat_completions', 'stream', 'cancelled')).toBe(1);
  expect(s.get('dynamo_frontend_disconnected_clients')).toBe(1);
  expect(raisedGauges(s)).toEqual([]);
  return s;
}

const gauge = (s: Map<string, number>, name: string) => s.get(`dynamo_frontend_${name}{model="${LABEL}"}`);

async function deployment(): Promise<Deployment> {
  return startDeployment({
    engines: [
      {
        model: MODEL,
        ttftBaseMs: 30,
        ttftPerUncachedTokenMs: 0,
        interTokenLatencyMs: 10,
        outputLength: { kind: 'fixed', value: 100 },
      },
    ],
    autoAdvance: false,
  });
}

const chat = { model: MODEL, messages: [{ role: 'user', content: 'tell me a story' }], stream: true };

describe('client disconnects', () => {
  it('mid-stream: cancels the generation and counts a cancelled request', async () => {
    const d = await deployment();
    const engine = d.engines[0];
    const stream = openStream(d, chat);
    await running(engine, 1, 'the engine to start the request');
    const during = await d.samples();
    expect([gauge(during, 'inflight_requests'), gauge(during, 'queued_requests')]).toEqual([1, 1]);
    // TTFT is 30 ms, then a token every 10 ms: after 50 ms three tokens are out.
    await d.clock.advance(50);
    expect(await stream.status).toBe(200);
    await waitFor('three tokens to reach the client', 5000, async () =>
      (stream.received().match(/"content":/g) ?? []).length >= 3 ? true : undefined,
    );
    const streaming = await d.samples();
    expect([gauge(streaming, 'inflight_requests'), gauge(streaming, 'queued_requests')]).toEqual([1, 0]);
    const s = await afterDisconnect(d, stream);
    expect(
      s.get(
        `dynamo_frontend_model_cancellation_total{endpoint="chat_completions",model="${LABEL}",request_type="stream"}`,
      ),
    ).toBe(1);
    expect(s.get(`dynamo_frontend_output_tokens_total{model="${LABEL}"}`)).toBe(3);
    expect(s.get(`dynamo_frontend_output_sequence_tokens_sum{model="${LABEL}"}`)).toBe(3);
    expect(s.get(`dynamo_frontend_time_to_first_token_seconds_sum{model="${LABEL}"}`)).toBe(0.03);
    // The worker saw the cancellation arrive over the request plane.
    const cancelled = [...s].filter(
      ([k, v]) => k.startsWith('dynamo_component_cancellation_total{') && v > 0,
    );
    expect(cancelled.map(([, v]) => v)).toEqual([1]);
  });

  it('before the first byte: still cancelled, nothing generated, gauges back to zero', async () => {
    const d = await deployment();
    const engine = d.engines[0];
    const stream = openStream(d, chat);
    await running(engine, 1, 'the engine to start the request');
    const s = await afterDisconnect(d, stream);
    expect(s.get(`dynamo_frontend_output_tokens_total{model="${LABEL}"}`)).toBeUndefined();
    expect(s.get(`dynamo_frontend_output_sequence_tokens_count{model="${LABEL}"}`)).toBeUndefined();
    expect(s.get(`dynamo_frontend_time_to_first_token_seconds_count{model="${LABEL}"}`)).toBeUndefined();
    // A request afterwards is served normally.
    const next = openStream(d, { ...chat, max_tokens: 2 });
    await running(engine, 1, 'the engine to start the next request');
    await d.clock.advance(40);
    expect(await next.status).toBe(200);
    await waitFor('the next request to finish', 5000, async () =>
      next.received().includes('[DONE]') ? true : undefined,
    );
  });
});
