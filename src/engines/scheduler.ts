/**
 * Admission of mock requests: a request runs when there is a free sequence slot (`maxNumSeqs`) and the KV
 * pool can hold its prompt. Otherwise it waits, first come first served, in a queue of at most
 * `maxWaiting` requests, or is refused with a 503 {@link EngineError} when the queue is full (or has no
 * room at all, the default). Every admitted request must be released exactly once; release wakes the
 * queue.
 */
import type { KvAllocation, KvBlockPool } from './kv-cache.js';
import { EngineError } from './types.js';

interface Waiter {
  readonly hashes: readonly string[];
  readonly promptTokens: number;
  readonly resolve: (alloc: KvAllocation | undefined) => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

export class MockScheduler {
  #running = 0;
  readonly #queue: Waiter[] = [];

  constructor(
    readonly pool: KvBlockPool,
    readonly maxNumSeqs: number,
    readonly maxWaiting: number,
    /** Called whenever running, waiting or KV usage changed. */
    private readonly onChange: () => void,
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Resolves with the request's KV allocation once it runs, or `undefined` if `signal` aborted while it
   * waited. Throws {@link EngineError} 503 when it can neither run nor wait.
   */
  async admit(
    hashes: readonly string[],
    promptTokens: number,
    signal: AbortSignal,
  ): Promise<KvAllocation | undefined> {
    if (signal.aborted) return undefined;
    if (this.#queue.length === 0 && this.#running < this.maxNumSeqs) {
      const alloc = this.pool.allocatePrompt(hashes, promptTokens);
      if (alloc !== undefined) {
        this.#running++;
        this.onChange();
        return alloc;
      }
    }
    if (this.#queue.length >= this.maxWaiting) {
      const why =
        this.#running >= this.maxNumSeqs
          ? `${this.#running} requests are running (maxNumSeqs ${this.maxNumSeqs})`
          : `the KV cache cannot hold ${this.pool.blocksFor(promptTokens)} more blocks ` +
            `(${this.pool.usedBlocks} of ${this.pool.totalBlocks} in use)`;
      const queue = this.maxWaiting > 0 ? ` and ${this.#queue.length} are waiting` : '';
      throw new EngineError(`engine overloaded: ${why}${queue}`, 503);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        hashes,
        promptTokens,
        resolve,
        signal,
        onAbort: () => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          this.onChange();
          resolve(undefined);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.onChange();
    });
  }

  /** Returns a running request's slot and blocks, then admits waiters that now fit, in order. */
  release(alloc: KvAllocation): void {
    if (alloc.released) return;
    this.pool.release(alloc);
    this.#running--;
    this.#drain();
    this.onChange();
  }

  /** Sends every waiter away (as if aborted); used when the engine closes. */
  dropWaiting(): void {
    for (const w of this.#queue.splice(0)) {
      w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(undefined);
    }
    this.onChange();
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#running < this.maxNumSeqs) {
      const head = this.#queue[0]!;
      const alloc = this.pool.allocatePrompt(head.hashes, head.promptTokens);
      if (alloc === undefined) return;
      this.#queue.shift();
      head.signal.removeEventListener('abort', head.onAbort);
      this.#running++;
      head.resolve(alloc);
    }
  }
}
