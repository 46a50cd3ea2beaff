/**
 * Histogram bucket lists: validation, the usual generators, and the log-spaced generator that Dynamo's
 * frontend uses (reference spec §6.3), reproduced operation for operation so the lists match exactly.
 */
import { InvalidMetricOptionsError, show } from './errors.js';

/** Prometheus's default buckets, shared by client_golang, rust-prometheus and prom-client. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/**
 * Validates a bucket list for metric `metric` and returns a frozen copy without a trailing `+Inf`
 * (the `+Inf` bucket is always implicit). Bounds must be finite numbers in strictly increasing order.
 */
export function validateBuckets(metric: string, buckets: readonly number[]): readonly number[] {
  if (!Array.isArray(buckets)) {
    throw new InvalidMetricOptionsError(
      `histogram ${show(metric)}: buckets must be an array, got ${show(buckets)}`,
    );
  }
  const bounds =
    buckets[buckets.length - 1] === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : buckets.slice();
  if (bounds.length === 0) {
    throw new InvalidMetricOptionsError(
      `histogram ${show(metric)}: buckets must hold at least one finite bound (+Inf is implicit)`,
    );
  }
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new InvalidMetricOptionsError(
        `histogram ${show(metric)}: bucket bound ${show(b)} at index ${i} is not a finite number`,
      );
    }
    if (i > 0 && !(b > bounds[i - 1])) {
      throw new InvalidMetricOptionsError(
        `histogram ${show(metric)}: buckets must be strictly increasing, but ${show(b)} at index ${i} follows ${show(bounds[i - 1])}`,
      );
    }
  }
  return Object.freeze(bounds);
}

/** `count` buckets starting at `start`, each `width` wider than the previous. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isFinite(start) || !Number.isFinite(width) || !(width > 0)) {
    throw new InvalidMetricOptionsError(
      `linearBuckets: start must be finite and width a positive number, got start=${show(start)} width=${show(width)}`,
    );
  }
  assertCount('linearBuckets', count);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * width);
  return out;
}

/** `count` buckets starting at `start`, each `factor` times the previous. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !Number.isFinite(start) || !(factor > 1) || !Number.isFinite(factor)) {
    throw new InvalidMetricOptionsError(
      `exponentialBuckets: start must be > 0 and factor > 1, got start=${show(start)} factor=${show(factor)}`,
    );
  }
  assertCount('exponentialBuckets', count);
  const out: number[] = [];
  let bound = start;
  for (let i = 0; i < count; i++) {
    out.push(bound);
    bound *= factor;
  }
  return out;
}

function assertCount(fn: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidMetricOptionsError(`${fn}: count must be a positive integer, got ${show(count)}`);
  }
}

/** The largest bucket count a log-bucket *configuration* may ask for (reference spec §6.3). */
export const MAX_LOG_BUCKETS = 512;

/** Result of {@link generateLogBuckets}: the bounds and how many rounding duplicates were removed. */
export interface LogBuckets {
  readonly buckets: number[];
  readonly duplicatesRemoved: number;
}

/**
 * Dynamo's `generate_log_buckets(min, max, count)`: `0`, then `count - 1` log-spaced values from just above
 * `min` up to `max`, each rounded to two significant figures; consecutive duplicates produced by rounding
 * are removed, so the list is always strictly increasing. `count` 0 gives `[]`, 1 gives `[0]`.
 *
 * Like the reference, the generator itself has no upper limit on `count` (its own tests ask for 1000);
 * the 512 cap belongs to configuration, see {@link isValidLogBucketConfig}. It throws when `min` and `max`
 * are not finite with `0 < min < max`, or `count` is not a non-negative integer, where the reference would
 * quietly produce NaN bounds.
 */
export function generateLogBuckets(min: number, max: number, count: number): LogBuckets {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new InvalidMetricOptionsError(
      `log buckets need a non-negative integer count, got count=${show(count)}`,
    );
  }
  if (count === 0) return { buckets: [], duplicatesRemoved: 0 };
  if (!(Number.isFinite(min) && Number.isFinite(max) && min > 0 && min < max)) {
    throw new InvalidMetricOptionsError(
      `log buckets need finite 0 < min < max, got min=${show(min)} max=${show(max)}`,
    );
  }
  const out = [0];
  if (count === 1) return { buckets: out, duplicatesRemoved: 0 };
  const logMin = Math.log(min);
  const logMax = Math.log(max);
  let removed = 0;
  for (let i = 1; i < count; i++) {
    // Same operation order as the reference: ((logMax - logMin) * i) / (count - 1).
    const value = roundToSignificantFigures(Math.exp(logMin + ((logMax - logMin) * i) / (count - 1)), 2);
    // The reference drops only equal neighbours. But dividing by an inexact power of ten can land an ulp
    // low: values just under 1e6 round to 1000000 while values just over it give 999999.9999999999, and
    // the reference then builds a decreasing list its histogram rejects. A value not above the last one is
    // such a rounding duplicate, so we drop it too; every list the reference accepts comes out unchanged.
    if (value > out[out.length - 1]) out.push(value);
    else removed++;
  }
  return { buckets: out, duplicatesRemoved: removed };
}

/**
 * The configuration rule of the reference: finite, `min > 0`, `min < max`, `0 < count <= 512`. An
 * environment configuration that fails it is replaced by the defaults as a whole.
 */
export function isValidLogBucketConfig(min: number, max: number, count: number): boolean {
  return (
    Number.isFinite(min) &&
    Number.isFinite(max) &&
    min > 0 &&
    min < max &&
    Number.isSafeInteger(count) &&
    count > 0 &&
    count <= MAX_LOG_BUCKETS
  );
}

/**
 * Rounds to `figures` significant figures, half away from zero, with the same operations as the
 * reference: `(v * s).round() / s` with `s = 10^(figures - 1 - floor(log10 |v|))`. The reference computes
 * `s` with `powf`, which is correctly rounded, so `s` here is the double nearest the power of ten too;
 * building it by repeated multiplication drifts by an ulp beyond 1e22 and gave e.g. `2.6000000000000005e+65`.
 */
export function roundToSignificantFigures(value: number, figures: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const scale = powerOfTen(figures - 1 - Math.floor(Math.log10(Math.abs(value))));
  const scaled = value * scale;
  // Math.round rounds .5 up; mirroring it for negatives makes it "half away from zero" like Rust's round.
  const rounded = scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
  return rounded / scale;
}

/** The double nearest 10^exponent: parsing a decimal literal is correctly rounded by definition. */
function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}
