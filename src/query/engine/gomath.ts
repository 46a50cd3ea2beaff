/**
 * The few Go `math` functions whose results can differ from JavaScript's built-ins, reimplemented with
 * Go's algorithms so binary operators and clamps match Prometheus bit for bit:
 *
 * - `Max`/`Min` let an infinity win over NaN (`Max(+Inf, NaN)` is +Inf in Go, NaN in JavaScript);
 * - `Pow` uses repeated squaring on the integer part of the exponent, which can differ in the last bit
 *   from V8's `Math.pow`; for a fractional exponent it multiplies in `Exp(yf × Log(x))`, computed with the
 *   x86-64 assembly algorithms of Go's `Exp` and `Log` (see `go-exp-log.ts`).
 *
 * `+ − × ÷`, `%` (an exact fmod in both languages), `Sqrt` and `Abs` already agree.
 */

import { goExp, goLog } from './go-exp-log.js';

const view = new DataView(new ArrayBuffer(8));

function bitsHi(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(0);
}

/** Go's `math.Max`. */
export function goMax(x: number, y: number): number {
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? y : x;
  return Math.max(x, y);
}

/** Go's `math.Min`. */
export function goMin(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY || y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? x : y;
  return Math.min(x, y);
}

/** Go's `math.Frexp`: `x = frac × 2^exp` with `|frac|` in [0.5, 1). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exp = 0;
  let f = x;
  if (Math.abs(f) < 2.2250738585072014e-308) {
    f *= 2 ** 52;
    exp = -52;
  }
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  exp += ((hi >>> 20) & 0x7ff) - 1022;
  view.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), exp];
}

/** Go's `math.Ldexp`: `frac × 2^exp`, rounding subnormal results as Go does. */
export function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  let f = frac;
  let total = exp;
  if (Math.abs(f) < 2.2250738585072014e-308) {
    f *= 2 ** 52;
    total -= 52;
  }
  view.setFloat64(0, f);
  const hi = view.getUint32(0);
  total += ((hi >>> 20) & 0x7ff) - 1023;
  if (total < -1075) return f < 0 ? -0 : 0;
  if (total > 1023) return f < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let m = 1;
  if (total < -1022) {
    total += 53;
    m = 2 ** -53;
  }
  view.setUint32(0, (hi & 0x800fffff) | ((total + 1023) << 20));
  return m * view.getFloat64(0);
}

function isOddInt(x: number): boolean {
  if (Math.abs(x) >= 2 ** 53) return false;
  return Number.isInteger(x) && Math.abs(x % 2) === 1;
}

/** Go's `math.Pow`. */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) {
    if (y < 0)
      return bitsHi(x) >>> 31 === 1 && isOddInt(y) ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return bitsHi(x) >>> 31 === 1 && isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === (y === Number.POSITIVE_INFINITY) ? 0 : Number.POSITIVE_INFINITY;
  }
  if (!Number.isFinite(x)) {
    if (x === Number.NEGATIVE_INFINITY) return goPow(1 / x, -y);
    return y < 0 ? 0 : Number.POSITIVE_INFINITY;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return Number.NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return Math.abs(x) < 1 === y > 0 ? 0 : Number.POSITIVE_INFINITY;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = goExp(yf * goLog(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
