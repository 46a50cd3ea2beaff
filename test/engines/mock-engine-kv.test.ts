import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EngineError, type GenerateChunk } from '../../src/engines/types.js';
import { collect, failureOf, readMetrics, request, virtualEngine } from './helpers.js';

/** A prompt of `n` distinct one-token words, unique to `tag`. */
const words = (tag: string, n: number): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');

async function successCount(
  engine: ReturnType<typeof virtualEngine>['engine'],
  reason: string,
): Promise<number> {
  const { scalars } = readMetrics(await engine.metricsSource.metrics());
  return scalars.get(
    `vllm:request_success_total{engine="0",finished_reason="${reason}",model_name="mock-model"}`,
  )!;
}

describe('MockEngine KV accounting', () => {
  it('holds the prompt blocks, grows with the output, and holds nothing once the request finished', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 6 } });
    const used: number[] = [];
    for await (const c of engine.generate(request(words('a', 6)), new AbortController().signal)) {
      used.push(engine.kvStats().usedBlocks);
      if (c.finishReason) expect(engine.runningRequests).toBe(0);
    }
    // 6 prompt tokens + 1..6 generated, blocks of 4: 7,8 -> 2 blocks; 9..12 -> 3 blocks. The last chunk
    // comes after the release.
    expect(used).toEqual([2, 2, 3, 3, 3, 0]);
    expect(engine.kvStats()).toEqual({ totalBlocks: 64, usedBlocks: 0 });
  });

  it('releases everything when the signal aborts mid-stream, ending with a cancelled chunk', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 50 } });
    const controller = new AbortController();
    const chunks: GenerateChunk[] = [];
    for await (const c of engine.generate(request(words('b', 9)), controller.signal)) {
      chunks.push(c);
      if (c.finishReason === undefined) expect(engine.kvStats().usedBlocks).toBeGreaterThan(0);
      if (chunks.length === 3) controller.abort();
    }
    expect(chunks.at(-1)).toEqual({
      text: '',
      tokens: 0,
      outputTokens: 3,
      inputTokens: 9,
      finishReason: 'cancelled',
    });
    expect(chunks).toHaveLength(4);
    expect(engine.kvStats().usedBlocks).toBe(0);
    expect(engine.runningRequests).toBe(0);
    expect(await successCount(engine, 'abort')).toBe(1);
  });

  it('releases everything when the signal aborts while the engine waits for the first token', async () => {
    const { engine, clock } = virtualEngine();
    const controller = new AbortController();
    const it = engine.generate(request(FOX_LIKE), controller.signal)[Symbol.asyncIterator]();
    clock.stopAutoAdvance();
    const pending = it.next();
    await clock.advance(10);
    expect(engine.kvStats().usedBlocks).toBe(3);
    controller.abort();
    expect((await pending).value).toMatchObject({ outputTokens: 0, finishReason: 'cancelled' });
    expect(engine.kvStats().usedBlocks).toBe(0);
    expect((await it.next()).done).toBe(true);
  });

  it('releases everything when the consumer stops iterating early', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 50 } });
    let n = 0;
    for await (const _ of engine.generate(request(words('c', 9)), new AbortController().signal)) {
      if (++n === 2) break;
    }
    expect(engine.kvStats().usedBlocks).toBe(0);
    expect(engine.runningRequests).toBe(0);
    expect(await successCount(engine, 'abort')).toBe(1);
  });

  it('releases everything when the request fails, before or after its first token', async () => {
    for (const errorAt of ['before-first-token', 'mid-stream'] as const) {
      const { engine } = virtualEngine({
        outputLength: { kind: 'fixed', value: 20 },
        faults: { errorRate: 1, errorAt },
      });
      const error = await failureOf(engine.generate(request(words('d', 9)), new AbortController().signal));
      expect(error).toBeInstanceOf(EngineError);
      expect(engine.kvStats().usedBlocks).toBe(0);
      expect(await successCount(engine, 'error')).toBe(1);
    }
  });

  it('fails a request with 503 when the KV cache fills up while it decodes, releasing its blocks', async () => {
    const { engine } = virtualEngine({ totalKvBlocks: 3, outputLength: { kind: 'fixed', value: 20 } });
    const chunks: GenerateChunk[] = [];
    const error = await failureOf(
      (async function* () {
        for await (const c of engine.generate(request(words('e', 9)), new AbortController().signal)) {
          chunks.push(c);
          yield c;
        }
      })(),
    );
    // 3 blocks of 4 hold 12 tokens: 9 prompt tokens and 3 generated ones.
    expect(chunks).toHaveLength(3);
    expect((error as EngineError).status).toBe(503);
    expect((error as EngineError).message).toMatch(/KV cache exhausted/);
    expect(engine.kvStats().usedBlocks).toBe(0);
  });
});

const execFileAsync = promisify(execFile);

const FOX_LIKE = 'The quick brown fox jumps over the lazy dog.';

describe('MockEngine admission', () => {
  it('refuses with 503 a request beyond maxNumSeqs when nothing may wait', async () => {
    const { engine } = virtualEngine({ maxNumSeqs: 1, outputLength: { kind: 'fixed', value: 10 } });
    const first = engine
      .generate(request(words('f', 4)), new AbortController().signal)
      [Symbol.asyncIterator]();
    await first.next();
    expect(engine.runningRequests).toBe(1);
    const error = await failureOf(engine.generate(request(words('g', 4)), new AbortController().signal));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).status).toBe(503);
    expect((error as EngineError).message).toBe('engine overloaded: 1 requests are running (maxNumSeqs 1)');
    await first.return(undefined);
    expect(engine.kvStats().usedBlocks).toBe(0);
  });

  it('refuses with 503 a request whose prompt does not fit in the free KV blocks', async () => {
    const { engine } = virtualEngine({ totalKvBlocks: 4, outputLength: { kind: 'fixed', value: 2 } });
    const first = engine
      .generate(request(words('h', 12)), new AbortController().signal)
      [Symbol.asyncIterator]();
    await first.next();
    const error = await failureOf(engine.generate(request(words('i', 8)), new AbortController().signal));
    expect((error as EngineError).status).toBe(503);
    expect((error as EngineError).message).toBe(
      'engine overloaded: the KV cache cannot hold 2 more blocks (4 of 4 in use)',
    );
    await first.return(undefined);
    // Once the first request is gone the same prompt fits.
    expect(await collect(engine, request(words('i', 8)))).toHaveLength(2);
  });

  it('queues up to maxWaiting requests and runs them, in order, as slots free up', async () => {
    const { engine, clock } = virtualEngine({
      maxNumSeqs: 1,
      maxWaiting: 2,
      outputLength: { kind: 'fixed', value: 3 },
    });
    const done: { name: string; firstAt: number; endAt: number }[] = [];
    const run = async (name: string) => {
      const chunks = await collect(engine, request(words(name, 5)));
      done.push({ name, firstAt: chunks[0]!.at, endAt: chunks.at(-1)!.at });
    };
    const all = [run('j'), run('k'), run('l')];
    await new Promise((r) => setImmediate(r));
    expect(engine.runningRequests).toBe(1);
    expect(engine.waitingRequests).toBe(2);
    const refused = await failureOf(engine.generate(request(words('m', 5)), new AbortController().signal));
    expect((refused as EngineError).message).toBe(
      'engine overloaded: 1 requests are running (maxNumSeqs 1) and 2 are waiting',
    );
    await Promise.all(all);
    // Each runs 60 ms to its first token (50 + 2 × 5) and 20 more to its last, after the one before.
    expect(done).toEqual([
      { name: 'j', firstAt: 60, endAt: 80 },
      { name: 'k', firstAt: 140, endAt: 160 },
      { name: 'l', firstAt: 220, endAt: 240 },
    ]);
    expect(clock.now()).toBe(240);
    expect(engine.waitingRequests).toBe(0);
  });

  it('drops a waiting request whose signal aborts, without counting it as run', async () => {
    const { engine } = virtualEngine({
      maxNumSeqs: 1,
      maxWaiting: 1,
      outputLength: { kind: 'fixed', value: 3 },
    });
    const first = collect(engine, request(words('n', 5)));
    const controller = new AbortController();
    const waiting = collect(engine, request(words('o', 5)), controller.signal);
    await new Promise((r) => setImmediate(r));
    expect(engine.waitingRequests).toBe(1);
    controller.abort();
    expect((await waiting).map((c) => c.chunk)).toEqual([
      { text: '', tokens: 0, outputTokens: 0, inputTokens: 5, finishReason: 'cancelled' },
    ]);
    expect(engine.waitingRequests).toBe(0);
    await first;
    expect(await successCount(engine, 'abort')).toBe(0);
    expect(await successCount(engine, 'stop')).toBe(1);
  });

  it('on close, cancels running requests, sends waiting ones away and refuses new ones', async () => {
    const { engine } = virtualEngine({
      maxNumSeqs: 1,
      maxWaiting: 1,
      outputLength: { kind: 'fixed', value: 30 },
    });
    const running = collect(engine, request(words('p', 5)));
    const waiting = collect(engine, request(words('q', 5)));
    await new Promise((r) => setImmediate(r));
    await engine.close();
    expect((await running).at(-1)!.chunk.finishReason).toBe('cancelled');
    expect((await waiting).map((c) => c.chunk.finishReason)).toEqual(['cancelled']);
    expect(engine.kvStats().usedBlocks).toBe(0);
    const refused = await failureOf(engine.generate(request(FOX_LIKE), new AbortController().signal));
    expect((refused as EngineError).status).toBe(503);
  });
});

describe('MockEngine on real time', () => {
  it('lets the process exit once closed, even with a request waiting for its first token', async () => {
    const script = [
      "import { MockEngine } from './dist/engines/mock-engine.js';",
      'const engine = new MockEngine({ ttftBaseMs: 600_000 });',
      "const it = engine.generate({ model: 'mock-model', prompt: 'hi', maxTokens: 5 }, new AbortController().signal);",
      'const first = it.next();',
      'await new Promise((r) => setTimeout(r, 20));',
      'await engine.close();',
      'console.log(JSON.stringify((await first).value), engine.kvStats().usedBlocks);',
    ].join('\n');
    const started = Date.now();
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url),
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe(
      '{"text":"","tokens":0,"outputTokens":0,"inputTokens":1,"finishReason":"cancelled"} 0',
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
