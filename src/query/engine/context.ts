/**
 * Per-query evaluation state: the step grid, the lookback delta, the sample budget and the deadline.
 *
 * Evaluation runs on the event loop next to scraping and HTTP serving, so long queries must not block it.
 * Evaluators call {@link EvalContext.tick} inside their loops: it throws when the deadline has passed or the
 * caller cancelled, and yields to the event loop every few milliseconds of work.
 */
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError } from '../errors.js';
import { LabelsMemo } from '../labels.js';

export interface StepGrid {
  /** First evaluation time, ms. */
  readonly startMs: number;
  /** Last evaluation time, ms (equal to start for instant queries). */
  readonly endMs: number;
  /** Step, ms (1 for instant queries, as in Prometheus). */
  readonly intervalMs: number;
}

export interface EvalLimits {
  readonly lookbackMs: number;
  /** Most samples held in memory at once (Prometheus `--query.max-samples`). */
  readonly maxSamples: number;
  /** Absolute deadline, `performance.now()` milliseconds. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

/** How long evaluation may hold the event loop before yielding, ms. */
const YIELD_EVERY_MS = 10;

export class EvalContext implements StepGrid {
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalMs: number;
  readonly numSteps: number;
  readonly lookbackMs: number;
  readonly memo = new LabelsMemo();
  readonly #maxSamples: number;
  readonly #deadline: number;
  readonly #signal: AbortSignal | undefined;
  #samples = 0;
  #nextYield: number;

  constructor(grid: StepGrid, limits: EvalLimits) {
    this.startMs = grid.startMs;
    this.endMs = grid.endMs;
    this.intervalMs = grid.intervalMs;
    this.numSteps = Math.floor((grid.endMs - grid.startMs) / grid.intervalMs) + 1;
    this.lookbackMs = limits.lookbackMs;
    this.#maxSamples = limits.maxSamples;
    this.#deadline = limits.deadline;
    this.#signal = limits.signal;
    this.#nextYield = performance.now() + YIELD_EVERY_MS;
  }

  /** The evaluation time of step `i`, ms. */
  stepTime(i: number): number {
    return this.startMs + i * this.intervalMs;
  }

  /** Accounts for `n` more samples held (selected data or produced points). */
  addSamples(n: number): void {
    this.#samples += n;
    if (this.#samples > this.#maxSamples) throw new TooManySamplesError();
  }

  /** Releases samples no longer held. */
  releaseSamples(n: number): void {
    this.#samples -= n;
  }

  /** Throws on timeout or cancellation; yields to the event loop when this query has run a while. */
  async tick(): Promise<void> {
    const now = performance.now();
    this.check(now);
    if (now < this.#nextYield) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    const after = performance.now();
    this.check(after);
    this.#nextYield = after + YIELD_EVERY_MS;
  }

  check(now = performance.now()): void {
    if (this.#signal?.aborted === true) throw new QueryCanceledError();
    if (now > this.#deadline) throw new QueryTimeoutError();
  }
}
