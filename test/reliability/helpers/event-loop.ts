/**
 * Watching the event loop while something runs: the longest time it was held (a timer firing late by that
 * much), measured by `perf_hooks.monitorEventLoopDelay` at 1 ms resolution.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopWatch {
  /** Stops watching; returns the longest block seen, in milliseconds. */
  stop(): number;
}

export function watchEventLoop(): LoopWatch {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return histogram.max / 1e6;
    },
  };
}
