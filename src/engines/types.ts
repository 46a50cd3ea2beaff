/**
 * What a worker needs from an inference engine, whatever it is (the seeded mock engine, an OpenAI-compatible
 * server such as vLLM, SGLang, llama.cpp or Ollama): a model card to publish, a generation stream, optional
 * KV statistics, and where its own metrics can be read for the pass-through.
 */
import type { EngineSource } from '../engine/sources.js';

/** Model configuration a worker publishes through discovery (feeds the frontend's `model_*` gauges). */
export interface ModelCard {
  /** The served model name, as clients ask for it. */
  readonly name: string;
  readonly contextLength: number;
  readonly kvCacheBlockSize: number;
  readonly migrationLimit: number;
  readonly totalKvBlocks: number;
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
}

/** A generation request as a worker receives it. */
export interface GenerateRequest {
  readonly model: string;
  /** The prompt text (for chat, the rendered conversation). */
  readonly prompt: string;
  /** Upper bound on generated tokens. */
  readonly maxTokens: number;
  readonly temperature?: number;
  /** Per-request seed; engines that support it generate the same tokens for the same seed. */
  readonly seed?: number;
  readonly stop?: readonly string[];
  /** `completions` or `chat_completions`: how an upstream OpenAI server should be asked. */
  readonly kind?: 'completions' | 'chat_completions';
  /** Chat messages, when `kind` is `chat_completions` (the upstream engine forwards them as they are). */
  readonly messages?: readonly { readonly role: string; readonly content: string }[];
}

/** Why a generation ended. */
export type FinishReason = 'stop' | 'length' | 'cancelled' | 'error';

/**
 * One chunk of a generation. Token accounting travels with the stream so the frontend can measure TTFT,
 * ITL, ISL, OSL and cached tokens without tokenizing anything itself.
 */
export interface GenerateChunk {
  /** Text generated in this chunk (may be empty). */
  readonly text: string;
  /** Tokens generated in this chunk; 0 for chunks that carry no tokens. */
  readonly tokens: number;
  /** Tokens generated so far, this chunk included. */
  readonly outputTokens: number;
  /** Prompt length in tokens (ISL). */
  readonly inputTokens: number;
  /** Prompt tokens served from the prefix cache; reported on the first token-bearing chunk. */
  readonly cachedTokens?: number;
  /** Set on the last chunk. */
  readonly finishReason?: FinishReason;
}

/** KV cache occupancy, for the worker's `total_blocks` and `gpu_cache_usage_percent` gauges. */
export interface KvStats {
  readonly totalBlocks: number;
  readonly usedBlocks: number;
}

/** An error an engine reports for a request (bad input, injected fault, upstream failure). */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    message: string,
    /** HTTP-like status for callers that need one (400 bad request, 429/503 overload, 500 internal). */
    readonly status = 500,
  ) {
    super(message);
  }
}

export interface Engine {
  readonly modelCard: ModelCard;
  /**
   * Streams the generation. Stops promptly, releasing whatever it holds, when `signal` aborts (the last
   * chunk then has `finishReason: 'cancelled'`, or the iteration simply ends). Throws {@link EngineError}
   * for requests it cannot serve.
   */
  generate(request: GenerateRequest, signal: AbortSignal): AsyncIterable<GenerateChunk>;
  /** Current KV cache occupancy, when the engine knows it. */
  kvStats?(): KvStats;
  /** Where the engine's own metrics can be read (a prom-client registry, or an upstream `/metrics` URL). */
  readonly metricsSource?: EngineSource;
  /** Releases timers, sockets and servers. */
  close?(): Promise<void>;
}
