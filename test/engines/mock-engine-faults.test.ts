import { describe, expect, it } from 'vitest';
import { EngineError, type GenerateChunk } from '../../src/engines/types.js';
import { collect, request, virtualEngine } from './helpers.js';

const FOX = 'The quick brown fox jumps over the lazy dog.'; // 10 tokens: first token at 70 ms

/** Consumes a generation, keeping the chunks and the error it ended with. */
async function outcome(engine: ReturnType<typeof virtualEngine>['engine'], prompt = FOX) {
  const chunks: { at: number; chunk: GenerateChunk }[] = [];
  try {
    for await (const chunk of engine.generate(request(prompt), new AbortController().signal))
      chunks.push({ at: engine.clock.now(), chunk });
    return { chunks, error: undefined };
  } catch (error) {
    return { chunks, error: error as EngineError, at: engine.clock.now() };
  }
}

describe('MockEngine fault injection', () => {
  it('fails before the first token, when it would have come, with the configured status', async () => {
    const { engine } = virtualEngine({
      faults: { errorRate: 1, errorAt: 'before-first-token', errorStatus: 503 },
    });
    const r = await outcome(engine);
    expect(r.chunks).toEqual([]);
    expect(r.error).toBeInstanceOf(EngineError);
    expect(r.error!.status).toBe(503);
    expect(r.error!.message).toBe('injected fault: request failed before its first token');
    expect(r.at).toBe(70);
  });

  it('fails mid-stream after at least one token and before the last', async () => {
    const { engine } = virtualEngine({
      outputLength: { kind: 'fixed', value: 10 },
      faults: { errorRate: 1, errorAt: 'mid-stream' },
    });
    for (let i = 0; i < 10; i++) {
      const r = await outcome(engine);
      expect(r.error!.status).toBe(500);
      expect(r.chunks.length).toBeGreaterThanOrEqual(1);
      expect(r.chunks.length).toBeLessThanOrEqual(9);
      expect(r.error!.message).toBe(`injected fault: request failed after ${r.chunks.length} tokens`);
      expect(r.chunks.every((c) => c.chunk.finishReason === undefined)).toBe(true);
    }
  });

  it('fails the same requests at the same points on every run with the same seed', async () => {
    const run = async () => {
      const { engine } = virtualEngine({
        faults: { errorRate: 0.5 },
        outputLength: { kind: 'fixed', value: 4 },
      });
      const points: (number | 'ok')[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await outcome(engine, `request ${i}`);
        points.push(r.error === undefined ? 'ok' : r.chunks.length);
      }
      return points;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((p) => p !== 'ok').length;
    expect(failures).toBeGreaterThan(10);
    expect(failures).toBeLessThan(30);
  });

  it('delays a stalled chunk by exactly the stall length', async () => {
    const { engine } = virtualEngine({
      outputLength: { kind: 'fixed', value: 3 },
      faults: { stallRate: 1, stallMs: 100 },
    });
    const chunks = await collect(engine, request(FOX));
    expect(chunks.map((c) => c.at)).toEqual([170, 280, 390]);
  });

  it('stalls some chunks and not others at a rate in between, the same way each run', async () => {
    const times = async () => {
      const { engine } = virtualEngine({
        outputLength: { kind: 'fixed', value: 30 },
        faults: { stallRate: 0.3, stallMs: 1000 },
      });
      return (await collect(engine, request(FOX))).map((c) => c.at);
    };
    const a = await times();
    expect(await times()).toEqual(a);
    const gaps = a.slice(1).map((t, i) => t - a[i]!);
    expect(new Set(gaps)).toEqual(new Set([10, 1010]));
  });

  it('never yields in never-yield mode until the request is cancelled, then releases its blocks', async () => {
    const { engine, clock } = virtualEngine({ faults: { neverYieldRate: 1 } });
    clock.stopAutoAdvance();
    const controller = new AbortController();
    const it = engine.generate(request(FOX), controller.signal)[Symbol.asyncIterator]();
    const next = it.next();
    let settled = false;
    void next.then(() => {
      settled = true;
    });
    await clock.advance(3_600_000);
    expect(settled).toBe(false);
    expect(engine.kvStats().usedBlocks).toBe(3);
    controller.abort();
    expect((await next).value).toMatchObject({ tokens: 0, finishReason: 'cancelled' });
    expect(engine.kvStats().usedBlocks).toBe(0);
  });

  it('applies new fault settings to new requests only', async () => {
    const { engine } = virtualEngine({ outputLength: { kind: 'fixed', value: 3 } });
    expect((await outcome(engine)).error).toBeUndefined();
    engine.setFaults({ errorRate: 1, errorAt: 'before-first-token' });
    expect((await outcome(engine)).error).toBeInstanceOf(EngineError);
    engine.setFaults({});
    expect(engine.faults.errorRate).toBe(0);
    expect((await outcome(engine)).error).toBeUndefined();
  });
});
