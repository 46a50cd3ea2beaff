import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engines/clock.js';
import { EngineConfigError } from '../../src/engines/errors.js';
import { MockEngine } from '../../src/engines/mock-engine.js';
import type { MockEngineOptions } from '../../src/engines/mock-options.js';
import { MockEngineServer } from '../../src/engines/mock-server.js';
import { EngineError, type GenerateChunk, type GenerateRequest } from '../../src/engines/types.js';
import { apiRoot, OpenAIUpstreamEngine } from '../../src/engines/upstream-engine.js';
import { renderChatPrompt } from '../../src/openai/protocol.js';
import { chunksOf, failureOf } from './helpers.js';

const FOX = 'The quick brown fox jumps over the lazy dog.'; // 10 tokens

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const FAST: MockEngineOptions = {
  seed: 11,
  kvCacheBlockSize: 4,
  totalKvBlocks: 256,
  outputLength: { kind: 'uniform', min: 3, max: 12 },
};

async function mockServer(options: MockEngineOptions = {}, virtual = true): Promise<MockEngineServer> {
  const server = await MockEngineServer.start({
    engineOptions: {
      ...FAST,
      ...(virtual ? { clock: new VirtualClock({ autoAdvance: true }) } : {}),
      ...options,
    },
  });
  closers.push(() => server.close());
  return server;
}

function upstream(
  baseUrl: string,
  options: Partial<ConstructorParameters<typeof OpenAIUpstreamEngine>[0]> = {},
) {
  const engine = new OpenAIUpstreamEngine({ baseUrl, model: 'mock-model', ...options });
  closers.push(() => engine.close());
  return engine;
}

/** A raw HTTP server whose handler the test writes, for what the mock server never sends. */
async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const sse = (res: ServerResponse, events: readonly string[]) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(e);
  res.end();
};

/** What the mock engine's own chunks become through the upstream engine: a final chunk holds the totals. */
function throughUpstream(direct: readonly GenerateChunk[]): GenerateChunk[] {
  const last = direct.at(-1)!;
  const tokenChunks = direct.map(({ cachedTokens: _, finishReason: __, ...rest }) => rest);
  return [
    ...tokenChunks,
    {
      text: '',
      tokens: 0,
      outputTokens: last.outputTokens,
      inputTokens: last.inputTokens,
      cachedTokens: direct[0]!.cachedTokens!,
      finishReason: last.finishReason!,
    },
  ];
}

describe('OpenAIUpstreamEngine against the mock server', () => {
  it('streams the same tokens the mock engine generates for the same seed, completions and chat', async () => {
    const server = await mockServer();
    const engine = upstream(server.url);
    const reference = new MockEngine({ ...FAST, clock: new VirtualClock({ autoAdvance: true }) });
    const messages = [{ role: 'user', content: FOX }];
    const requests: GenerateRequest[] = [
      { model: 'mock-model', prompt: FOX, maxTokens: 20, kind: 'completions' },
      { model: 'mock-model', prompt: FOX, maxTokens: 5, kind: 'completions' },
      {
        model: 'mock-model',
        prompt: renderChatPrompt(messages),
        messages,
        maxTokens: 20,
        kind: 'chat_completions',
      },
      { model: 'mock-model', prompt: 'Tell me more, please!', maxTokens: 20, kind: 'completions', seed: 3 },
    ];
    for (const r of requests) {
      const direct = await chunksOf(reference, r);
      const viaHttp = await chunksOf(engine, r);
      expect(viaHttp).toEqual(throughUpstream(direct));
    }
  });

  it('reports exact usage, the prefix-cache hits included, on the final chunk', async () => {
    const server = await mockServer({ outputLength: { kind: 'fixed', value: 4 } });
    const engine = upstream(server.url);
    const r: GenerateRequest = { model: 'mock-model', prompt: FOX, maxTokens: 10 };
    expect((await chunksOf(engine, r)).at(-1)).toEqual({
      text: '',
      tokens: 0,
      outputTokens: 4,
      inputTokens: 10,
      cachedTokens: 0,
      finishReason: 'stop',
    });
    expect((await chunksOf(engine, r)).at(-1)!.cachedTokens).toBe(8);
  });

  it('takes per-chunk counts and early cached tokens from continuous usage stats', async () => {
    const server = await mockServer({ outputLength: { kind: 'fixed', value: 3 } });
    const engine = upstream(server.url, { continuousUsage: true });
    const r: GenerateRequest = { model: 'mock-model', prompt: FOX, maxTokens: 10 };
    await chunksOf(engine, r);
    const chunks = await chunksOf(engine, r);
    expect(chunks[0]).toMatchObject({ tokens: 1, outputTokens: 1, inputTokens: 10, cachedTokens: 8 });
    expect(chunks.map((c) => c.outputTokens)).toEqual([1, 2, 3, 3]);
  });

  it('aborts the upstream generation when the signal aborts, ending with a cancelled chunk', async () => {
    const server = await mockServer(
      { ttftBaseMs: 1, interTokenLatencyMs: 5, outputLength: { kind: 'fixed', value: 5000 } },
      false,
    );
    const engine = upstream(server.url);
    const controller = new AbortController();
    const chunks: GenerateChunk[] = [];
    for await (const c of engine.generate(
      { model: 'mock-model', prompt: FOX, maxTokens: 5000 },
      controller.signal,
    )) {
      chunks.push(c);
      if (chunks.length === 3) controller.abort();
    }
    expect(chunks.at(-1)).toMatchObject({ tokens: 0, outputTokens: 3, finishReason: 'cancelled' });
    await until(() => server.engine.runningRequests === 0);
    expect(server.engine.kvStats().usedBlocks).toBe(0);
  });

  it('aborts the upstream generation when the consumer stops iterating', async () => {
    const server = await mockServer(
      { ttftBaseMs: 1, interTokenLatencyMs: 5, outputLength: { kind: 'fixed', value: 5000 } },
      false,
    );
    const engine = upstream(server.url);
    let n = 0;
    for await (const _ of engine.generate(
      { model: 'mock-model', prompt: FOX, maxTokens: 5000 },
      new AbortController().signal,
    ))
      if (++n === 2) break;
    await until(() => server.engine.runningRequests === 0);
  });

  it('turns upstream HTTP errors into engine errors with their status and message', async () => {
    const server = await mockServer({ maxNumSeqs: 1, contextLength: 50 });
    const engine = upstream(server.url);
    const statusOf = async (r: Partial<GenerateRequest>) => {
      const e = await failureOf(
        engine.generate(
          { model: 'mock-model', prompt: FOX, maxTokens: 5, ...r },
          new AbortController().signal,
        ),
      );
      expect(e).toBeInstanceOf(EngineError);
      return e as EngineError;
    };
    const missing = await statusOf({ model: 'gpt-4' });
    expect(missing.status).toBe(404);
    expect(missing.message).toBe(
      `upstream POST ${server.url}/v1/completions returned 404: The model \`gpt-4\` does not exist.`,
    );
    expect((await statusOf({ maxTokens: 100 })).status).toBe(400);
    server.engine.setFaults({ errorRate: 1, errorAt: 'before-first-token', errorStatus: 503 });
    expect((await statusOf({})).status).toBe(503);
    server.engine.setFaults({ errorRate: 1, errorAt: 'mid-stream' });
    const mid = await statusOf({ maxTokens: 20 });
    expect([mid.status, mid.message]).toEqual([
      500,
      expect.stringMatching(/^injected fault: request failed after \d+ tokens$/),
    ]);
  });

  it('times out with 504 when the upstream sends nothing, and cancels the upstream generation', async () => {
    const server = await mockServer({ faults: { neverYieldRate: 1 } });
    const engine = upstream(server.url, { firstByteTimeoutMs: 150 });
    const started = Date.now();
    const e = (await failureOf(
      engine.generate({ model: 'mock-model', prompt: FOX, maxTokens: 5 }, new AbortController().signal),
    )) as EngineError;
    expect(e.status).toBe(504);
    expect(e.message).toBe(`upstream POST ${server.url}/v1/completions sent nothing within 150 ms`);
    expect(Date.now() - started).toBeLessThan(2000);
    await until(() => server.engine.runningRequests === 0);
  });

  it('fails with 502 when the upstream cannot be reached', async () => {
    const base = await rawServer(() => undefined);
    await closers.pop()!();
    const engine = upstream(base);
    const e = (await failureOf(
      engine.generate({ model: 'mock-model', prompt: FOX, maxTokens: 5 }, new AbortController().signal),
    )) as EngineError;
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/ECONNREFUSED/);
  });

  it('learns the model and its context length from /v1/models, and reads metrics from /metrics', async () => {
    const server = await mockServer({ model: 'llama-mock', contextLength: 1234 });
    const engine = await OpenAIUpstreamEngine.connect({ baseUrl: `${server.url}/v1/` });
    closers.push(() => engine.close());
    expect(engine.modelCard.name).toBe('llama-mock');
    expect(engine.modelCard.contextLength).toBe(1234);
    expect(engine.metricsSource.href).toBe(`${server.url}/metrics`);
    await expect(OpenAIUpstreamEngine.connect({ baseUrl: server.url, model: 'other' })).rejects.toThrow(
      /lists no model "other"/,
    );
  });

  it('cancels running generations when closed, and refuses new ones', async () => {
    const server = await mockServer({ faults: { neverYieldRate: 1 } });
    const engine = upstream(server.url);
    const running = chunksOf(engine, { model: 'mock-model', prompt: FOX, maxTokens: 2 });
    await until(() => server.engine.runningRequests === 1);
    await engine.close();
    expect((await running).map((c) => c.finishReason)).toEqual(['cancelled']);
    await until(() => server.engine.runningRequests === 0);
    const e = await failureOf(
      engine.generate({ model: 'mock-model', prompt: FOX, maxTokens: 2 }, new AbortController().signal),
    );
    expect((e as EngineError).status).toBe(503);
  });
});

describe('OpenAIUpstreamEngine on streams the mock server never sends', () => {
  const request: GenerateRequest = {
    model: 'm',
    prompt: 'one two three',
    maxTokens: 10,
    kind: 'chat_completions',
  };

  it('parses comments, keep-alives, multi-line data, odd line ends and splits, and counts logprobs tokens', async () => {
    const base = await rawServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive\n\n');
      res.write('data: {"choices":[{"delta":{"role":"assistant"},"finish_reason":null}]}\r\n\r\n');
      res.write('data: {"choices":[{"delta":{"content":"Hel');
      res.write('lo"},"logprobs":{"content":[{},{}]}}]}\n\n');
      res.write('data: {"choices":[{"delta":{"reasoning_content":"hmm"}}]}\r\r');
      res.write('data: {"choices":[{"delta":\ndata: {"content":" world"},"finish_reason":"stop"}]}\n\n');
      res.write(
        ':\n\ndata: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5,"total_tokens":12}}\n\n',
      );
      res.end('data: [DONE]\n\n');
    });
    const engine = upstream(base, { model: 'm' });
    expect(await chunksOf(engine, request)).toEqual([
      { text: 'Hello', tokens: 2, outputTokens: 2, inputTokens: 3 },
      { text: '', tokens: 1, outputTokens: 3, inputTokens: 3 },
      { text: ' world', tokens: 1, outputTokens: 4, inputTokens: 3 },
      { text: '', tokens: 1, outputTokens: 5, inputTokens: 7, cachedTokens: 0, finishReason: 'stop' },
    ]);
  });

  it('falls back to one token per delta and its own counts when the server sends no usage', async () => {
    const base = await rawServer((_, res) =>
      sse(res, [
        'data: {"choices":[{"text":" a"}]}\n\n',
        'data: {"choices":[{"text":" b"}]}\n\n',
        'data: {"choices":[{"text":"","finish_reason":"length"}]}\n\n',
        'data: [DONE]\n\n',
      ]),
    );
    const chunks = await chunksOf(upstream(base, { model: 'm' }), { ...request, kind: 'completions' });
    expect(chunks.at(-1)).toEqual({
      text: '',
      tokens: 0,
      outputTokens: 2,
      inputTokens: 3,
      finishReason: 'length',
    });
  });

  it('sends the chat messages, stream options, seed and stop, with the API key', async () => {
    let seen: { url?: string; auth?: string; body?: Record<string, unknown> } = {};
    const base = await rawServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        seen = { url: req.url, auth: req.headers.authorization, body: JSON.parse(body) };
        sse(res, [
          'data: {"choices":[{"delta":{"content":"x"},"finish_reason":"stop"}]}\n\n',
          'data: [DONE]\n\n',
        ]);
      });
    });
    const messages = [{ role: 'user', content: 'hi' }];
    await chunksOf(upstream(base, { model: 'm', apiKey: 'sk-test' }), {
      ...request,
      messages,
      seed: 4,
      stop: ['\n'],
    });
    expect(seen).toEqual({
      url: '/v1/chat/completions',
      auth: 'Bearer sk-test',
      body: {
        model: 'm',
        max_tokens: 10,
        stream: true,
        stream_options: { include_usage: true },
        messages,
        seed: 4,
        stop: ['\n'],
      },
    });
  });

  it('reports an error event in the stream, and a stream cut before its end, as engine errors', async () => {
    const erroring = await rawServer((_, res) =>
      sse(res, ['data: {"choices":[{"text":"a"}]}\n\n', 'data: {"error":{"message":"boom","code":503}}\n\n']),
    );
    const e = (await failureOf(
      upstream(erroring, { model: 'm' }).generate(request, new AbortController().signal),
    )) as EngineError;
    expect([e.status, e.message]).toEqual([503, 'boom']);
    const cut = await rawServer((_, res) => sse(res, ['data: {"choices":[{"text":"a"}]}\n\n']));
    const c = (await failureOf(
      upstream(cut, { model: 'm' }).generate(request, new AbortController().signal),
    )) as EngineError;
    expect([c.status, c.message]).toEqual([502, 'the upstream stream ended before a finish reason']);
  });

  it('reads error bodies in the shapes llama.cpp, Ollama and FastAPI use', async () => {
    const bodies = [
      [500, '{"error":"model not loaded"}', 'model not loaded'],
      [422, '{"detail":"field required"}', 'field required'],
      [502, 'Bad Gateway', 'Bad Gateway'],
    ] as const;
    for (const [status, body, message] of bodies) {
      const base = await rawServer((_, res) => {
        res.writeHead(status);
        res.end(body);
      });
      const e = (await failureOf(
        upstream(base, { model: 'm' }).generate(request, new AbortController().signal),
      )) as EngineError;
      expect(e.status).toBe(status);
      expect(e.message.endsWith(`returned ${status}: ${message}`)).toBe(true);
    }
  });

  it('times out with 504 when the stream goes silent for longer than the idle timeout', async () => {
    const base = await rawServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
    });
    const engine = upstream(base, { model: 'm', idleTimeoutMs: 100 });
    const chunks: GenerateChunk[] = [];
    const e = (await failureOf(
      (async function* () {
        for await (const c of engine.generate(request, new AbortController().signal)) {
          chunks.push(c);
          yield c;
        }
      })(),
    )) as EngineError;
    expect(chunks).toHaveLength(1);
    expect(e.status).toBe(504);
    expect(e.message).toMatch(/was silent for over 100 ms$/);
  });

  it('accepts a JSON answer from a server that ignores stream: true', async () => {
    const base = await rawServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ message: { role: 'assistant', content: 'hi there' }, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: 9,
            completion_tokens: 2,
            total_tokens: 11,
            prompt_tokens_details: { cached_tokens: 4 },
          },
        }),
      );
    });
    expect(await chunksOf(upstream(base, { model: 'm' }), request)).toEqual([
      { text: 'hi there', tokens: 2, outputTokens: 2, inputTokens: 9, cachedTokens: 4 },
      { text: '', tokens: 0, outputTokens: 2, inputTokens: 9, cachedTokens: 4, finishReason: 'stop' },
    ]);
  });
});

describe('apiRoot', () => {
  it('finds the /v1 root with or without /v1 and trailing slashes, and refuses what is not http', () => {
    expect(apiRoot('http://h:8000').href).toBe('http://h:8000/v1/');
    expect(apiRoot('http://h:8000/v1').href).toBe('http://h:8000/v1/');
    expect(apiRoot('https://h/proxy/v1/').href).toBe('https://h/proxy/v1/');
    expect(apiRoot('http://h/proxy').href).toBe('http://h/proxy/v1/');
    expect(() => apiRoot('ftp://h')).toThrow(EngineConfigError);
    expect(() => apiRoot('not a url')).toThrow(EngineConfigError);
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
