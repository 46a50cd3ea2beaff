import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engines/clock.js';
import { MockEngine } from '../../src/engines/mock-engine.js';
import type { MockEngineOptions } from '../../src/engines/mock-options.js';
import { MockEngineServer, type MockEngineServerOptions } from '../../src/engines/mock-server.js';
import { parseExposition } from '../../src/expfmt/parser.js';
import { renderChatPrompt } from '../../src/openai/protocol.js';
import { httpRequest as send } from '../helpers/http.js';
import { chunksOf, textOf } from './helpers.js';

const FOX = 'The quick brown fox jumps over the lazy dog.'; // 10 tokens

const servers: MockEngineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Fast, deterministic engine settings: a virtual clock that runs ahead whenever the engine waits. */
const FAST: MockEngineOptions = {
  seed: 5,
  kvCacheBlockSize: 4,
  totalKvBlocks: 256,
  outputLength: { kind: 'fixed', value: 6 },
};

async function start(options: MockEngineServerOptions = {}): Promise<MockEngineServer> {
  const server = await MockEngineServer.start({
    engineOptions: { ...FAST, clock: new VirtualClock({ autoAdvance: true }) },
    ...options,
  });
  servers.push(server);
  return server;
}

function post(server: MockEngineServer, path: string, body: unknown) {
  return send(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The JSON payloads of an SSE body, and whether it ended with `[DONE]`. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions check these payloads field by field
type Payload = Record<string, any>;
function events(text: string): { data: Payload[]; done: boolean } {
  const blocks = text.split('\n\n').filter((b) => b !== '');
  const done = blocks.at(-1) === 'data: [DONE]';
  for (const b of blocks) expect(b).toMatch(/^data: /);
  return { data: blocks.filter((b) => b !== 'data: [DONE]').map((b) => JSON.parse(b.slice(6))), done };
}

describe('the mock server: models, health and metrics', () => {
  it('lists its model with the context length', async () => {
    const server = await start({ engineOptions: { ...FAST, model: 'llama-mock', contextLength: 2048 } });
    const res = await send(`${server.url}/v1/models`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.text);
    expect(body.object).toBe('list');
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ id: 'llama-mock', object: 'model', max_model_len: 2048 });
  });

  it('answers /health with 200 and an empty body', async () => {
    const server = await start();
    const res = await send(`${server.url}/health`);
    expect([res.status, res.text]).toEqual([200, '']);
  });

  it('serves the vLLM metrics in the text format, which our parser reads', async () => {
    const server = await start();
    await post(server, '/v1/completions', { prompt: FOX, max_tokens: 10 });
    const res = await send(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(res.text);
    const counter = (name: string) =>
      (families.find((f) => f.name === name)!.series[0] as { value: number }).value;
    expect(counter('vllm:prompt_tokens_total')).toBe(10);
    expect(counter('vllm:generation_tokens_total')).toBe(6);
  });
});

describe('the mock server: completions', () => {
  it('answers a unary completion with the engine text and OpenAI usage, cached tokens included', async () => {
    const server = await start();
    const reference = new MockEngine({ ...FAST, clock: new VirtualClock({ autoAdvance: true }) });
    const expected = textOf(
      await chunksOf(reference, { model: 'mock-model', prompt: FOX, maxTokens: 10, kind: 'completions' }),
    );
    const res = await post(server, '/v1/completions', { model: 'mock-model', prompt: FOX, max_tokens: 10 });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ object: 'text_completion', model: 'mock-model' });
    expect(body.id).toMatch(/^cmpl-/);
    expect(body.choices).toEqual([
      { index: 0, text: expected, logprobs: null, finish_reason: 'stop', stop_reason: null },
    ]);
    expect(body.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 6,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    const again = JSON.parse((await post(server, '/v1/completions', { prompt: FOX, max_tokens: 10 })).text);
    expect(again.usage.prompt_tokens_details).toEqual({ cached_tokens: 8 });
  });

  it('uses 16 as the default max_tokens and reports length when it caps the output', async () => {
    const server = await start({ engineOptions: { ...FAST, outputLength: { kind: 'fixed', value: 40 } } });
    const body = JSON.parse((await post(server, '/v1/completions', { prompt: FOX })).text);
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(16);
  });

  it('streams one chunk per token, the finish reason on the last, then [DONE], without usage by default', async () => {
    const server = await start();
    const res = await post(server, '/v1/completions', { prompt: FOX, max_tokens: 4, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const { data, done } = events(res.text);
    expect(done).toBe(true);
    expect(data).toHaveLength(4);
    expect(data.map((d) => d.choices[0].finish_reason)).toEqual([null, null, null, 'length']);
    expect(data.every((d) => d.object === 'text_completion' && d.id === data[0]!.id && !('usage' in d))).toBe(
      true,
    );
  });

  it('ends a stream with a usage chunk without choices when include_usage is set', async () => {
    const server = await start();
    await post(server, '/v1/completions', { prompt: FOX, max_tokens: 10 });
    const res = await post(server, '/v1/completions', {
      prompt: FOX,
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { data, done } = events(res.text);
    expect(done).toBe(true);
    expect(data).toHaveLength(7);
    expect(data.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 6,
        total_tokens: 16,
        prompt_tokens_details: { cached_tokens: 8 },
      },
    });
    expect(data.slice(0, -1).every((d) => !('usage' in d))).toBe(true);
  });

  it('puts cumulative usage on every chunk with continuous_usage_stats', async () => {
    const server = await start();
    const res = await post(server, '/v1/completions', {
      prompt: FOX,
      max_tokens: 3,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
    const { data } = events(res.text);
    expect(data.map((d) => d.usage.completion_tokens)).toEqual([1, 2, 3, 3]);
  });
});

describe('the mock server: chat completions', () => {
  it('streams the assistant role first, then content deltas of the same text the engine generates', async () => {
    const server = await start();
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: FOX },
    ];
    const reference = new MockEngine({ ...FAST, clock: new VirtualClock({ autoAdvance: true }) });
    const expected = textOf(
      await chunksOf(reference, {
        model: 'mock-model',
        prompt: renderChatPrompt(messages),
        maxTokens: 50,
        kind: 'chat_completions',
      }),
    );
    const res = await post(server, '/v1/chat/completions', { messages, max_tokens: 50, stream: true });
    const { data, done } = events(res.text);
    expect(done).toBe(true);
    expect(data[0]!.choices[0]).toEqual({
      index: 0,
      delta: { role: 'assistant', content: '' },
      logprobs: null,
      finish_reason: null,
    });
    expect(data.every((d) => d.object === 'chat.completion.chunk' && d.id.startsWith('chatcmpl-'))).toBe(
      true,
    );
    expect(data.map((d) => d.choices[0].delta.content).join('')).toBe(expected);
    expect(data.at(-1)!.choices[0].finish_reason).toBe('stop');
  });

  it('answers a unary chat completion with a message and usage', async () => {
    const server = await start();
    const res = await post(server, '/v1/chat/completions', {
      model: 'mock-model',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_completion_tokens: 2,
    });
    const body = JSON.parse(res.text);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].finish_reason).toBe('length');
    // <|user|>\nHi\n<|assistant|>\n: 5 + 1 + 1 + 5 + 1 tokens
    expect(body.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 2, total_tokens: 15 });
  });
});

describe('the mock server: errors', () => {
  const error = (res: { text: string }) => JSON.parse(res.text).error;

  it('answers bad requests with 400 and an OpenAI error body naming the parameter', async () => {
    const server = await start();
    const invalid = await post(server, '/v1/completions', '{nope');
    expect(invalid.status).toBe(400);
    expect(error(invalid)).toMatchObject({ type: 'invalid_request_error', param: null, code: 400 });
    const n = await post(server, '/v1/completions', { prompt: FOX, n: 2 });
    expect([n.status, error(n)]).toEqual([
      501,
      { message: 'Only n=1 is supported.', type: 'server_error', param: 'n', code: 501 },
    ]);
    const options = await post(server, '/v1/completions', {
      prompt: FOX,
      stream_options: { include_usage: true },
    });
    expect(error(options).param).toBe('stream_options');
    const messages = await post(server, '/v1/chat/completions', { messages: [] });
    expect([messages.status, error(messages).param]).toEqual([400, 'messages']);
    const context = await post(server, '/v1/completions', { prompt: FOX, max_tokens: 9000 });
    expect(context.status).toBe(400);
    expect(error(context).message).toMatch(/maximum context length is 8192 tokens/);
  });

  it('answers an unknown model and an unknown route with 404, and a wrong method with 405', async () => {
    const server = await start();
    const model = await post(server, '/v1/completions', { model: 'gpt-4', prompt: FOX });
    expect([model.status, error(model)]).toEqual([
      404,
      {
        message: 'The model `gpt-4` does not exist.',
        type: 'not_found_error',
        param: 'model',
        code: 'model_not_found',
      },
    ]);
    const route = await send(`${server.url}/v2/anything`);
    expect([route.status, error(route).type]).toEqual([404, 'not_found_error']);
    const method = await send(`${server.url}/v1/completions`);
    expect([method.status, method.headers.allow]).toEqual([405, 'POST']);
  });

  it('answers 429 beyond its concurrency limit and 503 when the engine refuses', async () => {
    const server = await start({
      maxConcurrentRequests: 1,
      engineOptions: { ...FAST, faults: { neverYieldRate: 1 } },
    });
    const hanging = new AbortController();
    const first = fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: FOX, stream: true }),
      signal: hanging.signal,
    }).catch(() => undefined);
    await until(() => server.inflight === 1);
    const limited = await post(server, '/v1/completions', { prompt: FOX });
    expect([limited.status, error(limited).type, error(limited).code]).toEqual([
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
    ]);
    hanging.abort();
    await first;
    await until(() => server.engine.runningRequests === 0);

    const busy = await start({ engineOptions: { ...FAST, maxNumSeqs: 1, faults: { neverYieldRate: 1 } } });
    const held = new AbortController();
    const pending = fetch(`${busy.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: FOX }),
      signal: held.signal,
    }).catch(() => undefined);
    await until(() => busy.engine.runningRequests === 1);
    const refused = await post(busy, '/v1/completions', { prompt: FOX });
    expect([refused.status, error(refused).type]).toEqual([503, 'service_unavailable_error']);
    held.abort();
    await pending;
  });

  it('answers a fault before the first token with its status, and one mid-stream with an error event', async () => {
    const server = await start({
      engineOptions: { ...FAST, faults: { errorRate: 1, errorAt: 'before-first-token', errorStatus: 502 } },
    });
    const early = await post(server, '/v1/completions', { prompt: FOX, stream: true });
    expect([early.status, error(early).message]).toEqual([
      502,
      'injected fault: request failed before its first token',
    ]);
    server.engine.setFaults({ errorRate: 1, errorAt: 'mid-stream' });
    const late = await post(server, '/v1/completions', { prompt: FOX, stream: true });
    expect(late.status).toBe(200);
    const { data, done } = events(late.text);
    expect(done).toBe(true);
    expect(data.at(-1)!.error).toMatchObject({ type: 'server_error', code: 500 });
    expect(data.at(-1)!.error.message).toMatch(/^injected fault: request failed after \d tokens$/);
    expect(server.engine.kvStats().usedBlocks).toBe(0);
  });
});

describe('the mock server: disconnects and shutdown', () => {
  it('aborts the generation and frees its KV blocks when the client disconnects mid-stream', async () => {
    const server = await MockEngineServer.start({
      engineOptions: {
        ...FAST,
        interTokenLatencyMs: 5,
        ttftBaseMs: 1,
        outputLength: { kind: 'fixed', value: 5000 },
      },
    });
    servers.push(server);
    const firstBytes = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/completions`, { method: 'POST', agent: false }, (res) => {
        res.once('data', (b: Buffer) => {
          req.destroy();
          resolve(b.toString('utf8'));
        });
      });
      req.on('error', (e) => (e.message === 'socket hang up' ? undefined : reject(e)));
      req.end(JSON.stringify({ prompt: FOX, max_tokens: 5000, stream: true }));
    });
    expect(firstBytes).toMatch(/^data: /);
    await until(() => server.engine.runningRequests === 0);
    expect(server.engine.kvStats().usedBlocks).toBe(0);
    expect(server.inflight).toBe(0);
    const metrics = await server.engine.metricsSource.metrics();
    expect(metrics).toContain(
      'vllm:request_success_total{model_name="mock-model",engine="0",finished_reason="abort"} 1',
    );
  });

  it('aborts a unary generation when its client goes away', async () => {
    const server = await MockEngineServer.start({
      engineOptions: { ...FAST, faults: { neverYieldRate: 1 } },
    });
    servers.push(server);
    const controller = new AbortController();
    const pending = fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: FOX }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    await until(() => server.engine.runningRequests === 1);
    controller.abort();
    expect(await pending).toBe('aborted');
    await until(() => server.engine.runningRequests === 0);
    expect(server.engine.kvStats().usedBlocks).toBe(0);
  });

  it('closes its listener, its connections and the engine it built', async () => {
    const server = await MockEngineServer.start({
      engineOptions: { ...FAST, faults: { neverYieldRate: 1 } },
    });
    const pending = fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ prompt: FOX }),
    }).catch(() => 'dropped');
    await until(() => server.engine.runningRequests === 1);
    await server.close();
    expect(await pending).toBe('dropped');
    expect(server.engine.runningRequests).toBe(0);
    await expect(send(`${server.url}/health`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('leaves an engine it was given open', async () => {
    const engine = new MockEngine(FAST);
    const server = await MockEngineServer.start({ engine });
    await server.close();
    const chunks = await chunksOf(engine, { model: 'mock-model', prompt: FOX, maxTokens: 2 });
    expect(chunks.at(-1)!.finishReason).toBe('length');
    await engine.close();
  });
});

/** Polls a condition every few milliseconds, for at most two seconds. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 2 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
