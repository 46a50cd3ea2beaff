import { describe, expect, it } from 'vitest';
import { EngineConfigError } from '../../src/engines/errors.js';
import { MockEngine } from '../../src/engines/mock-engine.js';
import { countTokens } from '../../src/engines/tokenizer.js';
import { EngineError } from '../../src/engines/types.js';
import { collect, failureOf, request, textOf, virtualEngine } from './helpers.js';

const FOX = 'The quick brown fox jumps over the lazy dog.'; // 10 tokens

/** A prompt of `n` distinct one-token words, unique to `tag`. */
const words = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

describe('MockEngine determinism', () => {
  it('streams this exact text at these exact virtual times for seed 7', async () => {
    const { engine } = virtualEngine({
      outputLength: { kind: 'uniform', min: 4, max: 8 },
      interTokenJitterMs: 4,
    });
    const chunks = await collect(engine, request(FOX, { maxTokens: 6 }));
    expect(chunks).toEqual([
      { at: 70, chunk: { text: ' then', tokens: 1, outputTokens: 1, inputTokens: 10, cachedTokens: 0 } },
      { at: 82.923, chunk: { text: ' serves', tokens: 1, outputTokens: 2, inputTokens: 10 } },
      { at: 96.073, chunk: { text: ' keeps', tokens: 1, outputTokens: 3, inputTokens: 10 } },
      { at: 106.527, chunk: { text: ' serves', tokens: 1, outputTokens: 4, inputTokens: 10 } },
      { at: 119.132, chunk: { text: ' model', tokens: 1, outputTokens: 5, inputTokens: 10 } },
      {
        at: 131.895,
        chunk: { text: ' under', tokens: 1, outputTokens: 6, inputTokens: 10, finishReason: 'length' },
      },
    ]);
  });

  it('repeats every chunk and every time of a request sequence on another engine with the same seed', async () => {
    const run = async () => {
      const { engine } = virtualEngine({
        seed: 1234,
        outputLength: { kind: 'normal', mean: 12, stddev: 5 },
        interTokenJitterMs: 3,
        faults: { stallRate: 0.2, stallMs: 25 },
      });
      const out = [];
      for (const prompt of [FOX, words('a', 30), FOX, `${FOX} And again.`])
        out.push(await collect(engine, request(prompt, { maxTokens: 14 })));
      out.push(await collect(engine, request(words('b', 9), { kind: 'chat_completions', maxTokens: 20 })));
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.flat().length).toBeGreaterThan(20);
  });

  it('generates other text with another seed', async () => {
    const a = virtualEngine({ seed: 1 }).engine;
    const b = virtualEngine({ seed: 2 }).engine;
    expect(textOf((await collect(a, request(FOX))).map((c) => c.chunk))).not.toBe(
      textOf((await collect(b, request(FOX))).map((c) => c.chunk)),
    );
  });

  it('gives a request with its own seed the same text wherever it comes in the sequence', async () => {
    const { engine } = virtualEngine();
    const seeded = request(FOX, { seed: 99 });
    const early = textOf((await collect(engine, seeded)).map((c) => c.chunk));
    await collect(engine, request(words('c', 5)));
    await collect(engine, request(words('d', 5)));
    expect(textOf((await collect(engine, seeded)).map((c) => c.chunk))).toBe(early);
  });

  it('keeps the text and length when jitter and stalls change the timing', async () => {
    const plain = virtualEngine({ outputLength: { kind: 'uniform', min: 3, max: 30 } }).engine;
    const noisy = virtualEngine({
      outputLength: { kind: 'uniform', min: 3, max: 30 },
      interTokenJitterMs: 7,
      faults: { stallRate: 0.5, stallMs: 40 },
    }).engine;
    for (const prompt of [FOX, words('e', 12)]) {
      const a = await collect(plain, request(prompt));
      const b = await collect(noisy, request(prompt));
      expect(b.map((c) => c.chunk)).toEqual(a.map((c) => c.chunk));
      expect(b.map((c) => c.at)).not.toEqual(a.map((c) => c.at));
    }
  });
});

describe('MockEngine timing and the prefix cache', () => {
  it('waits base + per-token cost × uncached tokens for the first token, then the inter-token latency', async () => {
    const { engine, clock } = virtualEngine({ outputLength: { kind: 'fixed', value: 3 } });
    for (const n of [1, 8, 33]) {
      const start = clock.now();
      const chunks = await collect(engine, request(words(`p${n}x`, n)));
      expect(chunks.map((c) => c.at - start)).toEqual([50 + 2 * n, 60 + 2 * n, 70 + 2 * n]);
      expect(chunks[0]!.chunk.cachedTokens).toBe(0);
    }
  });

  it('serves a repeated prompt from the prefix cache, with a shorter time to first token', async () => {
    const { engine, clock } = virtualEngine();
    const prompt = words('f', 18); // 18 tokens: 4 full blocks of 4, a partial one
    const first = await collect(engine, request(prompt));
    expect(first[0]!.chunk.cachedTokens).toBe(0);
    expect(first[0]!.at).toBe(50 + 2 * 18);
    expect(engine.cachedTokensFor(prompt)).toBe(16);
    const start = clock.now();
    const second = await collect(engine, request(prompt));
    expect(second[0]!.chunk.cachedTokens).toBe(16);
    expect(second[0]!.at - start).toBe(50 + 2 * 2);
  });

  it('never counts the last prompt token as cached, even when every block is cached', async () => {
    const { engine } = virtualEngine();
    const prompt = words('g', 16); // exactly 4 blocks
    await collect(engine, request(prompt));
    const again = await collect(engine, request(prompt));
    expect(again[0]!.chunk.cachedTokens).toBe(12);
  });

  it('shares only the blocks of the common prefix of two prompts', async () => {
    const { engine } = virtualEngine();
    await collect(engine, request(`${words('h', 10)} ${words('tail', 10)}`));
    const other = await collect(engine, request(`${words('h', 10)} ${words('other', 10)}`));
    // 10 common tokens: two full blocks of 4 are shared, the third block differs.
    expect(other[0]!.chunk.cachedTokens).toBe(8);
  });

  it('caches nothing when prefix caching is off', async () => {
    const { engine, clock } = virtualEngine({ enablePrefixCaching: false });
    await collect(engine, request(FOX));
    const start = clock.now();
    const again = await collect(engine, request(FOX));
    expect(again[0]!.chunk.cachedTokens).toBe(0);
    expect(again[0]!.at - start).toBe(70);
  });

  it('keeps later tokens on schedule when the consumer is slow', async () => {
    const { engine, clock } = virtualEngine({ outputLength: { kind: 'fixed', value: 4 } });
    const at: number[] = [];
    for await (const _ of engine.generate(request(words('s', 5)), new AbortController().signal)) {
      at.push(clock.now());
      await clock.sleep(3);
    }
    expect(at).toEqual([60, 70, 80, 90]);
  });
});

describe('MockEngine output', () => {
  it('carries cumulative counts on every chunk, cached tokens on the first and the finish reason on the last', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 6 } });
    const chunks = (await collect(engine, request(FOX))).map((c) => c.chunk);
    expect(chunks.map((c) => c.outputTokens)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chunks.every((c) => c.tokens === 1 && c.inputTokens === 10)).toBe(true);
    expect(chunks.map((c) => 'cachedTokens' in c)).toEqual([true, false, false, false, false, false]);
    expect(chunks.map((c) => c.finishReason)).toEqual([...Array(5).fill(undefined), 'stop']);
    expect(countTokens(textOf(chunks))).toBe(6);
  });

  it('stops at maxTokens with finish reason length, which wins a tie with the drawn length', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 5 } });
    const cases: [number, number, string][] = [
      [3, 3, 'length'],
      [5, 5, 'length'],
      [6, 5, 'stop'],
    ];
    for (const [maxTokens, n, reason] of cases) {
      const chunks = await collect(engine, request(FOX, { maxTokens }));
      expect(chunks).toHaveLength(n);
      expect(chunks.at(-1)!.chunk.finishReason).toBe(reason);
    }
  });

  it('ends at a stop string, leaving it out of the text', async () => {
    const options = { outputLength: { kind: 'fixed', value: 12 } } as const;
    const free = (await collect(virtualEngine(options).engine, request(FOX))).map((c) => c.chunk);
    const stopWord = free[4]!.text.trim();
    const expectedText = textOf(free).slice(0, textOf(free).indexOf(stopWord));
    const cut = (await collect(virtualEngine(options).engine, request(FOX, { stop: [stopWord] }))).map(
      (c) => c.chunk,
    );
    expect(textOf(cut)).toBe(expectedText);
    expect(cut.at(-1)!.finishReason).toBe('stop');
    expect(cut.length).toBeLessThanOrEqual(5);
  });

  it('starts a chat answer without a leading space', async () => {
    const { engine } = virtualEngine();
    const chunks = await collect(engine, request(FOX, { kind: 'chat_completions' }));
    expect(chunks[0]!.chunk.text).toMatch(/^\S/);
    expect(
      chunks[1]!.chunk.text === '.' || chunks[1]!.chunk.text === ',' || /^ /.test(chunks[1]!.chunk.text),
    ).toBe(true);
  });
});

describe('MockEngine request checks', () => {
  const statusOf = async (engine: MockEngine, r: ReturnType<typeof request>) => {
    const error = await failureOf(engine.generate(r, new AbortController().signal));
    expect(error).toBeInstanceOf(EngineError);
    return { status: (error as EngineError).status, message: (error as EngineError).message };
  };

  it('rejects bad requests with 400 and an unknown model with 404, as vLLM does', async () => {
    const { engine } = virtualEngine({ contextLength: 20 });
    expect(await statusOf(engine, request(FOX, { maxTokens: 0 }))).toEqual({
      status: 400,
      message: 'max_tokens must be at least 1, got 0.',
    });
    expect((await statusOf(engine, request('', { maxTokens: 1 }))).status).toBe(400);
    expect(await statusOf(engine, request(FOX, { maxTokens: 11 }))).toEqual({
      status: 400,
      message:
        "This model's maximum context length is 20 tokens. However, you requested 21 tokens " +
        '(10 in the messages, 11 in the completion). Please reduce the length of the messages or completion.',
    });
    expect((await statusOf(engine, request(FOX, { model: 'gpt-4' }))).status).toBe(404);
  });

  it('rejects a prompt that needs more KV blocks than the engine has', async () => {
    const { engine } = virtualEngine({ totalKvBlocks: 2 });
    expect((await statusOf(engine, request(FOX))).message).toBe(
      'The prompt needs 3 KV blocks; the engine has 2 in all.',
    );
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => new MockEngine({ kvCacheBlockSize: 0 })).toThrow(EngineConfigError);
    expect(() => new MockEngine({ kvCacheBlockSize: 0 })).toThrow(
      'kvCacheBlockSize: 0 must be an integer >= 1',
    );
    expect(() => new MockEngine({ outputLength: { kind: 'uniform', min: 5, max: 2 } })).toThrow(
      'outputLength',
    );
    expect(() => new MockEngine({ faults: { errorRate: 2 } })).toThrow('faults.errorRate: 2');
    expect(() => new MockEngine({ interTokenLatencyMs: -1 })).toThrow('interTokenLatencyMs');
  });

  it('publishes its shape in the model card', () => {
    const engine = new MockEngine({ model: 'm', contextLength: 4096, totalKvBlocks: 100, maxNumSeqs: 8 });
    expect(engine.modelCard).toEqual({
      name: 'm',
      contextLength: 4096,
      kvCacheBlockSize: 16,
      migrationLimit: 0,
      totalKvBlocks: 100,
      maxNumSeqs: 8,
      maxNumBatchedTokens: 8192,
    });
    expect(engine.kvStats()).toEqual({ totalBlocks: 100, usedBlocks: 0 });
  });
});
