/**
 * A seeded mock inference engine: it streams plausible tokens with the timing, prefix caching, KV-block
 * accounting, admission limits, faults and vLLM metrics of a real engine, without a GPU. Workers, the
 * frontend and the metrics pipeline can then be exercised end to end, and tests can assert exact numbers.
 *
 * Determinism: with the same `seed`, the same sequence of `generate` calls (same requests, each consumed
 * in the same order) yields the same chunks at the same times on a {@link VirtualClock}. Randomness comes
 * from streams derived from the seed and the request's ordinal (see {@link RequestRandomness}); times are
 * computed, not measured: token `i` is due at `admission + TTFT + i × inter-token latency` (+ jitter and
 * stalls), and the engine sleeps until that instant, so a slow consumer does not shift later tokens.
 *
 * Limits of the model: `temperature` is accepted and ignored; a stop string is found only when it ends in
 * the current token (the part of it emitted by earlier chunks stays in the output, as there is no
 * hold-back buffer); running out of KV blocks while decoding fails the request with 503 instead of
 * preempting it.
 */
import type { Registry } from 'prom-client';
import { type Clock, realClock } from './clock.js';
import { hashBlocks, type KvAllocation, KvBlockPool } from './kv-cache.js';
import {
  type MockEngineOptions,
  type MockFaultOptions,
  type ResolvedFaults,
  type ResolvedTiming,
  resolveFaults,
  resolveShape,
  resolveTiming,
} from './mock-options.js';
import { RequestRandomness } from './request-plan.js';
import { MockScheduler } from './scheduler.js';
import { tokenize } from './tokenizer.js';
import {
  type Engine,
  EngineError,
  type FinishReason,
  type GenerateChunk,
  type GenerateRequest,
  type KvStats,
  type ModelCard,
} from './types.js';
import { type VllmFinishedReason, VllmMetrics } from './vllm-metrics.js';

const VLLM_REASON: Record<FinishReason, VllmFinishedReason> = {
  stop: 'stop',
  length: 'length',
  cancelled: 'abort',
  error: 'error',
};

/** One request's bookkeeping, so that every exit path releases and records exactly once. */
interface RequestState {
  readonly arrival: number;
  readonly promptTokens: number;
  readonly controller: AbortController;
  readonly unlink: () => void;
  alloc: KvAllocation | undefined;
  produced: number;
  done: boolean;
}

export class MockEngine implements Engine {
  readonly modelCard: ModelCard;
  /** The vLLM metrics; also the pass-through source. */
  readonly metrics: VllmMetrics;
  readonly metricsSource: Registry;
  readonly clock: Clock;
  readonly seed: number;
  readonly #shape: ReturnType<typeof resolveShape>;
  readonly #timing: ResolvedTiming;
  #faults: ResolvedFaults;
  readonly #pool: KvBlockPool;
  readonly #scheduler: MockScheduler;
  readonly #active = new Set<RequestState>();
  #ordinal = 0;
  #closed = false;

  constructor(options: MockEngineOptions = {}) {
    const shape = resolveShape(options);
    this.#shape = shape;
    this.seed = shape.seed;
    this.#timing = resolveTiming(options);
    this.#faults = resolveFaults(options.faults);
    this.clock = options.clock ?? realClock;
    this.modelCard = Object.freeze({
      name: shape.model,
      contextLength: shape.contextLength,
      kvCacheBlockSize: shape.kvCacheBlockSize,
      migrationLimit: shape.migrationLimit,
      totalKvBlocks: shape.totalKvBlocks,
      maxNumSeqs: shape.maxNumSeqs,
      maxNumBatchedTokens: shape.maxNumBatchedTokens,
    });
    this.metrics = new VllmMetrics({
      modelName: shape.model,
      engine: shape.engineIndex,
      maxModelLen: shape.contextLength,
      registry: options.registry,
    });
    this.metricsSource = this.metrics.registry;
    this.#pool = new KvBlockPool(shape.totalKvBlocks, shape.kvCacheBlockSize);
    this.#scheduler = new MockScheduler(this.#pool, shape.maxNumSeqs, shape.maxWaiting, () =>
      this.#publishState(),
    );
  }

  /** The fault settings in force (new requests pick up changes; running ones keep theirs). */
  get faults(): ResolvedFaults {
    return this.#faults;
  }

  /** Replaces the fault settings (unset fields take their defaults, i.e. no fault). */
  setFaults(faults: MockFaultOptions): void {
    this.#faults = resolveFaults(faults);
  }

  get runningRequests(): number {
    return this.#scheduler.running;
  }

  get waitingRequests(): number {
    return this.#scheduler.waiting;
  }

  kvStats(): KvStats {
    return { totalBlocks: this.#pool.totalBlocks, usedBlocks: this.#pool.usedBlocks };
  }

  /** Prompt tokens the prefix cache would serve for `prompt` right now. */
  cachedTokensFor(prompt: string): number {
    if (!this.#shape.enablePrefixCaching) return 0;
    const tokens = tokenize(prompt);
    const hashes = hashBlocks(tokens, this.#pool.blockSize);
    return this.#pool.cachedPrefixBlocks(hashes, tokens.length) * this.#pool.blockSize;
  }

  /** Forgets every cached prefix (blocks held by running requests stay held). */
  resetPrefixCache(): void {
    this.#pool.reset();
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateChunk> {
    if (this.#closed) throw new EngineError('the mock engine is closed', 503);
    const tokens = this.#validate(request);
    const n = tokens.length;
    const random = new RequestRandomness(this.seed, this.#ordinal++, request);
    const faults = this.#faults;
    const timing = this.#timing;
    const plan = random.plan(this.#shape.outputLength, request.maxTokens, faults);
    const hashes = this.#shape.enablePrefixCaching ? hashBlocks(tokens, this.#pool.blockSize) : [];

    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
    const state: RequestState = {
      arrival: this.clock.now(),
      promptTokens: n,
      controller,
      unlink: () => signal.removeEventListener('abort', onAbort),
      alloc: undefined,
      produced: 0,
      done: false,
    };
    this.#active.add(state);
    const cancelled = (): GenerateChunk => {
      this.#end(state, 'cancelled');
      return { text: '', tokens: 0, outputTokens: state.produced, inputTokens: n, finishReason: 'cancelled' };
    };
    try {
      state.alloc = await this.#scheduler.admit(hashes, n, controller.signal);
      if (state.alloc === undefined) {
        yield cancelled();
        return;
      }
      const cachedTokens = state.alloc.cachedTokens;
      this.metrics.recordPrefixCacheQuery(n, cachedTokens);
      if (plan.neverYield) {
        await this.clock.sleep(Number.POSITIVE_INFINITY, controller.signal);
        yield cancelled();
        return;
      }
      const chat = request.kind === 'chat_completions';
      const stops = (request.stop ?? []).filter((s) => typeof s === 'string' && s !== '');
      // Due times are kept in whole microseconds so that configured delays add up without float error.
      let dueUs =
        Math.round(this.clock.now() * 1000) +
        micros(timing.ttftBaseMs + timing.ttftPerUncachedTokenMs * (n - cachedTokens));
      let text = '';
      let last = 0;
      for (let i = 0; i < plan.outputTokens; i++) {
        if (i > 0) dueUs += micros(timing.interTokenLatencyMs);
        dueUs += micros(random.extraDelay(i, timing, faults));
        if (!(await this.clock.sleepUntil(dueUs / 1000, controller.signal))) {
          yield cancelled();
          return;
        }
        if (plan.failAt === i) {
          throw new EngineError(
            `injected fault: request failed ${i === 0 ? 'before its first token' : `after ${i} tokens`}`,
            faults.errorStatus,
          );
        }
        if (!this.#pool.grow(state.alloc, n + i + 1)) {
          throw new EngineError(
            `KV cache exhausted while decoding (${this.#pool.totalBlocks} blocks in use); ` +
              'the mock engine does not model preemption',
            503,
          );
        }
        const now = this.clock.now();
        if (i === 0) {
          this.#pool.register(state.alloc);
          this.metrics.recordFirstToken(n, (now - state.arrival) / 1000);
        } else {
          this.metrics.recordNextToken((now - last) / 1000);
        }
        last = now;
        state.produced = i + 1;
        const piece = random.piece(i, chat);
        let out = piece;
        let finish: FinishReason | undefined = i === plan.outputTokens - 1 ? plan.finishReason : undefined;
        if (stops.length > 0) {
          const at = firstStop(text + piece, stops, Math.max(0, text.length - longest(stops) + 1));
          if (at >= 0) {
            out = (text + piece).slice(text.length, Math.max(text.length, at));
            finish = 'stop';
          }
        }
        text += out;
        const chunk: GenerateChunk = {
          text: out,
          tokens: 1,
          outputTokens: i + 1,
          inputTokens: n,
          ...(i === 0 ? { cachedTokens } : {}),
          ...(finish !== undefined ? { finishReason: finish } : {}),
        };
        if (finish !== undefined) this.#end(state, finish);
        else this.#publishState();
        yield chunk;
        if (finish !== undefined) return;
      }
    } catch (error) {
      this.#end(state, 'error');
      throw error;
    } finally {
      // A consumer that stops iterating early cancels the request.
      this.#end(state, 'cancelled');
    }
  }

  /** Aborts every running request, sends waiting ones away and refuses new ones. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#scheduler.dropWaiting();
    for (const state of this.#active) state.controller.abort(new EngineError('the mock engine closed', 503));
    // Let the aborted generators run to their release.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Releases what the request holds and records how it ended; only the first call counts. */
  #end(state: RequestState, reason: FinishReason): void {
    if (state.done) return;
    state.done = true;
    state.unlink();
    this.#active.delete(state);
    if (state.alloc === undefined) return;
    this.#scheduler.release(state.alloc);
    this.metrics.recordFinished(
      VLLM_REASON[reason],
      (this.clock.now() - state.arrival) / 1000,
      state.promptTokens,
      state.produced,
    );
  }

  #publishState(): void {
    const kv = this.#pool.usedBlocks / this.#pool.totalBlocks;
    this.metrics.setSchedulerState(this.#scheduler.running, this.#scheduler.waiting, kv);
  }

  /** Checks the request the way vLLM's OpenAI server does; returns the prompt's tokens. */
  #validate(request: GenerateRequest): string[] {
    const card = this.modelCard;
    if (request.model !== undefined && request.model !== '' && request.model !== card.name)
      throw new EngineError(`The model \`${request.model}\` does not exist.`, 404);
    if (!Number.isSafeInteger(request.maxTokens) || request.maxTokens < 1)
      throw new EngineError(`max_tokens must be at least 1, got ${request.maxTokens}.`, 400);
    if (typeof request.prompt !== 'string') throw new EngineError('The prompt must be a string.', 400);
    const tokens = tokenize(request.prompt);
    if (tokens.length === 0) throw new EngineError('The prompt cannot be empty.', 400);
    if (tokens.length + request.maxTokens > card.contextLength) {
      throw new EngineError(
        `This model's maximum context length is ${card.contextLength} tokens. However, you requested ` +
          `${tokens.length + request.maxTokens} tokens (${tokens.length} in the messages, ` +
          `${request.maxTokens} in the completion). Please reduce the length of the messages or completion.`,
        400,
      );
    }
    const blocks = this.#pool.blocksFor(tokens.length);
    if (blocks > card.totalKvBlocks) {
      throw new EngineError(
        `The prompt needs ${blocks} KV blocks; the engine has ${card.totalKvBlocks} in all.`,
        400,
      );
    }
    return tokens;
  }
}

/** Milliseconds to whole microseconds. */
function micros(ms: number): number {
  return Math.round(ms * 1000);
}

/** Index of the earliest occurrence of any stop string in `text` at or after `from`, or -1. */
function firstStop(text: string, stops: readonly string[], from: number): number {
  let best = -1;
  for (const s of stops) {
    const at = text.indexOf(s, from);
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

function longest(strings: readonly string[]): number {
  return strings.reduce((m, s) => Math.max(m, s.length), 0);
}
