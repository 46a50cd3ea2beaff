/**
 * Options of the mock engine, their defaults and their validation. Every knob is a plain number or a
 * distribution so that the CLI, tests and configuration files can set it the same way.
 */
import type { Registry } from 'prom-client';
import { distributionProblem, type IntDistribution } from '../util/distribution.js';
import type { Clock } from './clock.js';
import { EngineConfigError } from './errors.js';

/** How long things take. Time to first token is `ttftBaseMs + ttftPerUncachedTokenMs × uncached tokens`. */
export interface MockTimingOptions {
  /** Fixed part of the time to first token, ms (default 20). */
  readonly ttftBaseMs?: number;
  /** Prefill cost per prompt token not found in the prefix cache, ms (default 0.1). */
  readonly ttftPerUncachedTokenMs?: number;
  /** Time between two tokens, ms (default 10). */
  readonly interTokenLatencyMs?: number;
  /** Extra inter-token time drawn uniformly from [0, jitter), ms (default 0). */
  readonly interTokenJitterMs?: number;
}

/** Injected faults. Probabilities are drawn from the seeded generator, so faults repeat with the seed. */
export interface MockFaultOptions {
  /** Probability that a request fails with an {@link EngineError} (default 0). */
  readonly errorRate?: number;
  /**
   * Where a failing request fails: before its first token, after at least one token but before its last,
   * or anywhere before the last token (default `any`).
   */
  readonly errorAt?: 'before-first-token' | 'mid-stream' | 'any';
  /** Status of injected errors (default 500). */
  readonly errorStatus?: number;
  /** Probability that a chunk is delayed by `stallMs` (default 0). */
  readonly stallRate?: number;
  /** Length of a stall, ms (default 1000). */
  readonly stallMs?: number;
  /** Probability that a request never yields anything until it is cancelled (default 0; 1 = always). */
  readonly neverYieldRate?: number;
}

export interface MockEngineOptions extends MockTimingOptions {
  /** Served model name (default `mock-model`). */
  readonly model?: string;
  /** Seed of every random choice (default 0). Same seed and same request sequence: same output and timings. */
  readonly seed?: number;
  /** Maximum prompt + output tokens (default 8192). */
  readonly contextLength?: number;
  /** Tokens per KV block (default 16). */
  readonly kvCacheBlockSize?: number;
  /** KV blocks in the pool (default 4096). */
  readonly totalKvBlocks?: number;
  /** Running requests at most; more are queued (up to `maxWaiting`) or refused with 503 (default 256). */
  readonly maxNumSeqs?: number;
  /** Requests that may wait for a slot or KV blocks; beyond that, 503 (default 0: refuse at once). */
  readonly maxWaiting?: number;
  /** Published in the model card only (default 8192). */
  readonly maxNumBatchedTokens?: number;
  /** Published in the model card only (default 0). */
  readonly migrationLimit?: number;
  /** Share prompt blocks across requests (default true). */
  readonly enablePrefixCaching?: boolean;
  /** Output length before `maxTokens` caps it (default uniform 16..128). */
  readonly outputLength?: IntDistribution;
  readonly faults?: MockFaultOptions;
  /** Time source (default real time); tests pass a {@link VirtualClock}. */
  readonly clock?: Clock;
  /** prom-client registry for the vLLM metrics (default a new one). */
  readonly registry?: Registry;
  /** The `engine` label of the vLLM metrics (default "0"). */
  readonly engineIndex?: string;
}

export type ResolvedTiming = Required<MockTimingOptions>;
export type ResolvedFaults = Required<MockFaultOptions>;

export const DEFAULT_TIMING: ResolvedTiming = Object.freeze({
  ttftBaseMs: 20,
  ttftPerUncachedTokenMs: 0.1,
  interTokenLatencyMs: 10,
  interTokenJitterMs: 0,
});

export const NO_FAULTS: ResolvedFaults = Object.freeze({
  errorRate: 0,
  errorAt: 'any',
  errorStatus: 500,
  stallRate: 0,
  stallMs: 1000,
  neverYieldRate: 0,
});

export const DEFAULT_OUTPUT_LENGTH: IntDistribution = Object.freeze({ kind: 'uniform', min: 16, max: 128 });

function nonNegative(option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new EngineConfigError(option, value, 'must be a finite number >= 0');
  return value;
}

function positiveInt(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new EngineConfigError(option, value, 'must be an integer >= 1');
  return value;
}

function probability(option: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new EngineConfigError(option, value, 'must be a probability in [0, 1]');
  return value;
}

/** Fills in defaults and checks every timing option. */
export function resolveTiming(options: MockTimingOptions): ResolvedTiming {
  const t = { ...DEFAULT_TIMING, ...defined(options) };
  return {
    ttftBaseMs: nonNegative('ttftBaseMs', t.ttftBaseMs),
    ttftPerUncachedTokenMs: nonNegative('ttftPerUncachedTokenMs', t.ttftPerUncachedTokenMs),
    interTokenLatencyMs: nonNegative('interTokenLatencyMs', t.interTokenLatencyMs),
    interTokenJitterMs: nonNegative('interTokenJitterMs', t.interTokenJitterMs),
  };
}

/** Fills in defaults and checks every fault option. */
export function resolveFaults(options: MockFaultOptions = {}): ResolvedFaults {
  const f = { ...NO_FAULTS, ...defined(options) };
  if (!['before-first-token', 'mid-stream', 'any'].includes(f.errorAt))
    throw new EngineConfigError('faults.errorAt', f.errorAt, 'must be before-first-token, mid-stream or any');
  if (!Number.isInteger(f.errorStatus) || f.errorStatus < 400 || f.errorStatus > 599)
    throw new EngineConfigError('faults.errorStatus', f.errorStatus, 'must be an HTTP error status');
  return {
    errorRate: probability('faults.errorRate', f.errorRate),
    errorAt: f.errorAt,
    errorStatus: f.errorStatus,
    stallRate: probability('faults.stallRate', f.stallRate),
    stallMs: nonNegative('faults.stallMs', f.stallMs),
    neverYieldRate: probability('faults.neverYieldRate', f.neverYieldRate),
  };
}

/** The engine shape options, with defaults, checked. */
export function resolveShape(options: MockEngineOptions) {
  const model = options.model ?? 'mock-model';
  if (typeof model !== 'string' || model === '')
    throw new EngineConfigError('model', model, 'must be a non-empty string');
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new EngineConfigError('seed', seed, 'must be a safe integer');
  const outputLength = options.outputLength ?? DEFAULT_OUTPUT_LENGTH;
  const problem = distributionProblem(outputLength);
  if (problem !== undefined) throw new EngineConfigError('outputLength', outputLength, problem);
  const maxWaiting = options.maxWaiting ?? 0;
  if (!Number.isSafeInteger(maxWaiting) || maxWaiting < 0)
    throw new EngineConfigError('maxWaiting', maxWaiting, 'must be an integer >= 0');
  const migrationLimit = options.migrationLimit ?? 0;
  if (!Number.isSafeInteger(migrationLimit) || migrationLimit < 0)
    throw new EngineConfigError('migrationLimit', migrationLimit, 'must be an integer >= 0');
  return {
    model,
    seed,
    outputLength,
    maxWaiting,
    migrationLimit,
    contextLength: positiveInt('contextLength', options.contextLength ?? 8192),
    kvCacheBlockSize: positiveInt('kvCacheBlockSize', options.kvCacheBlockSize ?? 16),
    totalKvBlocks: positiveInt('totalKvBlocks', options.totalKvBlocks ?? 4096),
    maxNumSeqs: positiveInt('maxNumSeqs', options.maxNumSeqs ?? 256),
    maxNumBatchedTokens: positiveInt('maxNumBatchedTokens', options.maxNumBatchedTokens ?? 8192),
    enablePrefixCaching: options.enablePrefixCaching ?? true,
    engineIndex: options.engineIndex ?? '0',
  };
}

/** Drops `undefined` values so that spreading over defaults keeps the defaults. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
