/** Monotonic clock for timers: seconds, with sub-microsecond resolution, immune to wall-clock jumps. */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}

/**
 * Starts a timer; the returned function records the seconds elapsed through `record` and returns them.
 * Shared by `Gauge#startTimer` and `Histogram#startTimer`.
 */
export function startTimer(record: (seconds: number) => void): () => number {
  const start = monotonicSeconds();
  return () => {
    const seconds = monotonicSeconds() - start;
    record(seconds);
    return seconds;
  };
}
