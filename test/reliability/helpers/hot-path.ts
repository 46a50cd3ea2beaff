/**
 * Recording at full speed while something else happens: every turn of the event loop records a batch into
 * a set of counter and histogram child handles, round robin, and counts exactly what it recorded, so a
 * scrape taken afterwards can be checked against it.
 */
import type { IntCounterChild } from '../../../src/core/counter.js';
import type { HistogramChild } from '../../../src/core/histogram.js';

/** Records per turn of the event loop: a few hundred microseconds of work. */
const BATCH = 2000;

export class HotPath {
  /** Increments made (each by 1). */
  increments = 0;
  /** Observations made (values 0 to 9.9). */
  observations = 0;
  #running = false;
  #turn: NodeJS.Immediate | undefined;

  constructor(
    private readonly counters: readonly IntCounterChild[],
    private readonly histograms: readonly HistogramChild[],
  ) {}

  start(): this {
    this.#running = true;
    const loop = () => {
      if (!this.#running) return;
      const { counters, histograms } = this;
      for (let i = 0; i < BATCH; i++) {
        counters[(this.increments + i) % counters.length].inc();
        histograms[(this.observations + i) % histograms.length].observe((i % 100) / 10);
      }
      this.increments += BATCH;
      this.observations += BATCH;
      this.#turn = setImmediate(loop);
    };
    loop();
    return this;
  }

  stop(): void {
    this.#running = false;
    if (this.#turn !== undefined) clearImmediate(this.#turn);
  }
}
