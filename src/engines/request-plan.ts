/**
 * Everything random about one mock request, decided up front from seeded streams: how long the output
 * is, whether and where it fails, whether it hangs; then, token by token, the text and any extra delay.
 *
 * Three independent streams are derived from the engine seed and the request (its ordinal, or its own
 * `seed` when it has one): text, timing and faults. Turning faults or jitter on therefore changes neither
 * the text nor the output length, and a request with a `seed` generates the same text wherever it falls in
 * the sequence.
 */

import type { IntDistribution } from '../util/distribution.js';
import { sample } from '../util/distribution.js';
import { deriveSeed, Prng } from '../util/prng.js';
import type { ResolvedFaults, ResolvedTiming } from './mock-options.js';
import { nextPiece } from './mock-text.js';
import type { FinishReason, GenerateRequest } from './types.js';

export interface RequestPlan {
  /** Tokens to generate, `maxTokens` included. */
  readonly outputTokens: number;
  /**
   * `length` when the drawn length reaches `maxTokens` (as in vLLM, the length check wins a tie with
   * end-of-sequence), else `stop`. A stop string met earlier ends the request with `stop` anyway.
   */
  readonly finishReason: Extract<FinishReason, 'stop' | 'length'>;
  /** Fail (with the fault status) instead of producing token number `failAt` (0-based), if set. */
  readonly failAt: number | undefined;
  /** Produce nothing until cancelled. */
  readonly neverYield: boolean;
}

const STREAM_TEXT = 1;
const STREAM_TIMING = 2;
const STREAM_FAULTS = 3;

export class RequestRandomness {
  readonly #text: Prng;
  readonly #timing: Prng;
  readonly #faults: Prng;

  constructor(engineSeed: number, ordinal: number, request: GenerateRequest) {
    const base =
      request.seed === undefined
        ? deriveSeed(engineSeed, 0, ordinal)
        : deriveSeed(engineSeed, 1, request.seed);
    this.#text = new Prng(deriveSeed(base, STREAM_TEXT));
    this.#timing = new Prng(deriveSeed(base, STREAM_TIMING));
    this.#faults = new Prng(deriveSeed(base, STREAM_FAULTS));
  }

  /** Draws the request's plan: output length (text stream), then hang, error and its position (faults). */
  plan(length: IntDistribution, maxTokens: number, faults: ResolvedFaults): RequestPlan {
    const drawn = Math.max(1, sample(length, this.#text));
    const outputTokens = Math.min(drawn, maxTokens);
    const neverYield = this.#faults.chance(faults.neverYieldRate);
    const fails = this.#faults.chance(faults.errorRate);
    const position = this.#faults.next();
    let failAt: number | undefined;
    if (fails) {
      const [lo, hi] =
        faults.errorAt === 'before-first-token'
          ? [0, 0]
          : faults.errorAt === 'mid-stream' && outputTokens >= 2
            ? [1, outputTokens - 1]
            : [0, outputTokens - 1];
      failAt = lo + Math.floor(position * (hi - lo + 1));
    }
    return {
      outputTokens,
      finishReason: drawn >= maxTokens ? 'length' : 'stop',
      failAt,
      neverYield,
    };
  }

  /** The text of token `index` (text stream). */
  piece(index: number, chat: boolean): string {
    return nextPiece(this.#text, index, chat);
  }

  /**
   * Milliseconds between token `index - 1` and token `index` beyond the base latency (TTFT for index 0,
   * inter-token latency after): jitter (after the first token) plus a stall when one is drawn.
   */
  extraDelay(index: number, timing: ResolvedTiming, faults: ResolvedFaults): number {
    const jitter = this.#timing.next();
    const stalled = this.#timing.chance(faults.stallRate);
    return (index > 0 ? jitter * timing.interTokenJitterMs : 0) + (stalled ? faults.stallMs : 0);
  }
}
