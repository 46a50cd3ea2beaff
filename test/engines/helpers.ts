/** Helpers for the engine tests: consume a generation and note when each chunk arrived. */

import { isHistogramSeries } from '../../src/core/model.js';
import { VirtualClock } from '../../src/engines/clock.js';
import { MockEngine } from '../../src/engines/mock-engine.js';
import type { MockEngineOptions } from '../../src/engines/mock-options.js';
import type { Engine, GenerateChunk, GenerateRequest } from '../../src/engines/types.js';
import { parseExposition } from '../../src/expfmt/parser.js';

export interface TimedChunk {
  /** The engine clock's reading when the chunk arrived (virtual milliseconds). */
  readonly at: number;
  readonly chunk: GenerateChunk;
}

/** A mock engine on an auto-advancing virtual clock, with small integer timings unless overridden. */
export function virtualEngine(options: MockEngineOptions = {}): { engine: MockEngine; clock: VirtualClock } {
  const clock = new VirtualClock({ autoAdvance: true });
  const engine = new MockEngine({
    seed: 7,
    ttftBaseMs: 50,
    ttftPerUncachedTokenMs: 2,
    interTokenLatencyMs: 10,
    kvCacheBlockSize: 4,
    totalKvBlocks: 64,
    outputLength: { kind: 'fixed', value: 5 },
    clock,
    ...options,
  });
  return { engine, clock };
}

export function request(prompt: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { model: 'mock-model', prompt, maxTokens: 100, ...extra };
}

/** Runs a generation to its end, noting the clock at each chunk. */
export async function collect(
  engine: MockEngine,
  req: GenerateRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<TimedChunk[]> {
  const out: TimedChunk[] = [];
  for await (const chunk of engine.generate(req, signal)) out.push({ at: engine.clock.now(), chunk });
  return out;
}

/** Runs any engine's generation to its end. */
export async function chunksOf(
  engine: Engine,
  req: GenerateRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<GenerateChunk[]> {
  const out: GenerateChunk[] = [];
  for await (const chunk of engine.generate(req, signal)) out.push(chunk);
  return out;
}

/** Awaits the rejection of a generation and returns the error. */
export async function failureOf(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of iterable) {
      // consume
    }
  } catch (error) {
    return error;
  }
  throw new Error('the generation did not fail');
}

export const textOf = (chunks: readonly { text: string }[]): string => chunks.map((c) => c.text).join('');

/** Reads an exposition into name+labels -> value, for counters and gauges, and histograms by name. */
export function readMetrics(text: string) {
  const families = parseExposition(text);
  const key = (name: string, labels: readonly { name: string; value: string }[]) =>
    `${name}{${labels.map((l) => `${l.name}="${l.value}"`).join(',')}}`;
  const scalars = new Map<string, number>();
  const histograms = new Map<string, { count: number; sum: number; buckets: Map<number, number> }>();
  for (const f of families) {
    for (const s of f.series) {
      if (isHistogramSeries(s)) {
        const buckets = new Map<number, number>();
        for (let i = 0; i < s.upperBounds.length; i++) buckets.set(s.upperBounds[i]!, s.counts[i]!);
        histograms.set(key(f.name, s.labels), { count: s.count ?? 0, sum: s.sum ?? 0, buckets });
      } else scalars.set(key(f.name, s.labels), (s as { value: number }).value);
    }
  }
  return { families, scalars, histograms };
}

/** The labels every mock engine series has (sorted by name, as the parser keeps them). */
export const MOCK_LABELS = 'engine="0",model_name="mock-model"';
