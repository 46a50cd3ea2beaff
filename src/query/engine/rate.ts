/**
 * `rate`, `increase`, `delta`, `irate` and `idelta` exactly as Prometheus 2.42 computes them, with the same
 * floating-point operations in the same order (so results agree to the last bit):
 *
 * - the counter-reset correction adds each value that precedes a drop, walking the window left to right;
 * - the zero-point clamp is compared with the *raw* distance to the window start, and only then is the
 *   1.1 × average-interval threshold applied (2.51 and later do these two the other way round);
 * - `factor = extrapolated / sampled`, divided by the range in seconds for `rate`, then multiplied in.
 *
 * Inputs are a window `[lo, hi)` of non-stale samples (timestamps in ms) selected with closed bounds.
 */

/** Where the window lies, for extrapolation. */
export interface Window {
  /** `T − offset − range`, ms. */
  rangeStartMs: number;
  /** `T − offset`, ms. */
  rangeEndMs: number;
  /** The range in seconds, as Go's `Duration.Seconds()` computes it. */
  rangeSeconds: number;
  /** Counter resets of the series, when known (see {@link CounterResets}). */
  resets: CounterResets | undefined;
}

/**
 * The indices i where `v[i] < v[i − 1]`, so a window's reset correction visits only its resets instead of
 * every sample. The additions still happen left to right, exactly as Prometheus's loop does them.
 */
export class CounterResets {
  readonly indices: Int32Array;
  readonly count: number;
  /** First candidate for the next window; windows only move forward. */
  #cursor = 0;

  constructor(v: Float64Array, n: number) {
    const found: number[] = [];
    for (let i = 1; i < n; i++) if (v[i] < v[i - 1]) found.push(i);
    this.indices = Int32Array.from(found);
    this.count = found.length;
  }

  /** Adds `v[i − 1]` for each reset i with lo < i < hi, in order. */
  correct(result: number, v: Float64Array, lo: number, hi: number): number {
    let k = this.#cursor;
    while (k < this.count && this.indices[k] <= lo) k++;
    this.#cursor = k;
    let out = result;
    for (; k < this.count && this.indices[k] < hi; k++) out += v[this.indices[k] - 1];
    return out;
  }
}

/** Go's `time.Duration.Seconds()` for a whole number of milliseconds. */
export function durationSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  const nsec = (ms - sec * 1000) * 1e6;
  return sec + nsec / 1e9;
}

/** Prometheus's `extrapolatedRate`; undefined (no output) with fewer than two samples. */
export function extrapolatedRate(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  w: Window,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const n = hi - lo;
  if (n < 2) return undefined;
  const first = v[lo];
  let result = v[hi - 1] - first;
  if (isCounter && w.resets !== undefined) {
    result = w.resets.correct(result, v, lo, hi);
  } else if (isCounter) {
    let prev = first;
    for (let i = lo + 1; i < hi; i++) {
      const cur = v[i];
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  let durationToStart = (t[lo] - w.rangeStartMs) / 1000;
  const durationToEnd = (w.rangeEndMs - t[hi - 1]) / 1000;
  const sampledInterval = (t[hi - 1] - t[lo]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  if (isCounter && result > 0 && first >= 0) {
    // Counters cannot go below zero: do not extrapolate past the point where this one would have been 0.
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval +=
    durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval +=
    durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= w.rangeSeconds;
  return result * factor;
}

/** Prometheus's `instantValue` (`irate` when `isRate`, else `idelta`): the last two samples only. */
export function instantValue(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  isRate: boolean,
): number | undefined {
  if (hi - lo < 2) return undefined;
  const last = v[hi - 1];
  const previous = v[hi - 2];
  let result = isRate && last < previous ? last : last - previous;
  const sampledInterval = t[hi - 1] - t[hi - 2];
  if (sampledInterval === 0) return undefined;
  if (isRate) result /= sampledInterval / 1000;
  return result;
}
