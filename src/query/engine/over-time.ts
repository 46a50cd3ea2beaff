/**
 * The `*_over_time` functions as Prometheus 2.42 computes them over a window `[lo, hi)` (never empty: an
 * empty window produces no output before these are called). `sum_over_time` and `avg_over_time` use
 * Kahan–Neumaier compensated summation, `avg_over_time` on an incremental mean; `min`/`max` replace a NaN
 * accumulator with the next value but never take a NaN over a number.
 */

/** One step of Kahan–Neumaier summation: returns the new sum and writes the new compensation to `c[0]`. */
export function kahanSumInc(inc: number, sum: number, c: Float64Array): number {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c[0] += sum - t + inc;
  else c[0] += inc - t + sum;
  return t;
}

const comp = new Float64Array(1);

export function sumOverTime(v: Float64Array, lo: number, hi: number): number {
  let sum = 0;
  comp[0] = 0;
  for (let i = lo; i < hi; i++) sum = kahanSumInc(v[i], sum, comp);
  if (sum === Number.POSITIVE_INFINITY || sum === Number.NEGATIVE_INFINITY) return sum;
  return sum + comp[0];
}

export function avgOverTime(v: Float64Array, lo: number, hi: number): number {
  let mean = 0;
  let count = 0;
  comp[0] = 0;
  for (let i = lo; i < hi; i++) {
    const x = v[i];
    count++;
    if (mean === Number.POSITIVE_INFINITY || mean === Number.NEGATIVE_INFINITY) {
      const xInf = x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;
      // Same-signed infinities keep the mean; so does any finite value (Inf − Inf would give NaN).
      if (xInf && mean > 0 === x > 0) continue;
      if (!xInf && !Number.isNaN(x)) continue;
    }
    mean = kahanSumInc(x / count - mean / count, mean, comp);
  }
  if (mean === Number.POSITIVE_INFINITY || mean === Number.NEGATIVE_INFINITY) return mean;
  return mean + comp[0];
}

export function maxOverTime(v: Float64Array, lo: number, hi: number): number {
  let max = v[lo];
  for (let i = lo; i < hi; i++) if (v[i] > max || Number.isNaN(max)) max = v[i];
  return max;
}

export function minOverTime(v: Float64Array, lo: number, hi: number): number {
  let min = v[lo];
  for (let i = lo; i < hi; i++) if (v[i] < min || Number.isNaN(min)) min = v[i];
  return min;
}
