/**
 * Go's `math.Exp` and `math.Log` as they run on x86-64 (Prometheus's Debian build): the assembly versions
 * in `exp_amd64.s` and `log_amd64.s`, not the portable Go code. `Exp` takes its FMA path on CPUs with AVX
 * and FMA (nearly every x86-64 CPU since 2013), so by default it fuses where the assembly does; call
 * {@link setGoExpFma}(false) to reproduce a Prometheus running on a CPU without FMA.
 */
import { fma } from './fma.js';

let useFma = true;

/** Whether `goExp` reproduces the FMA path of Go's `Exp` (default) or the plain SSE2 path. */
export function setGoExpFma(enabled: boolean): void {
  useFma = enabled;
}

const view = new DataView(new ArrayBuffer(8));

// The assembly's constants, written as the doubles they round to.
const LOG2E = Math.LOG2E;
const LN2U = 0.693147180559663;
const LN2L = 2.8235290563031577e-13;
const OVERFLOW = 709.782712893384;
const C = [
  0.5, 1.0, 2.0, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
  0.0001984126984126984, 0.0000248015873015873,
];

/** CVTSD2SL: round to nearest, ties to even; out of int32 range gives the "integer indefinite" value. */
function toInt32RoundEven(x: number): number {
  if (!(x >= -2147483648.5 && x < 2147483647.5)) return -2147483648;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `exp_amd64.s`. */
export function goExp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  if (x > OVERFLOW) return Number.POSITIVE_INFINITY;
  const k = toInt32RoundEven(LOG2E * x);
  const kf = k;
  let x0: number;
  let x1: number;
  if (useFma) {
    x0 = fma(-kf, LN2U, x);
    x0 = fma(-kf, LN2L, x0);
    x0 *= 0.0625;
    x1 = C[8];
    for (const i of [7, 6, 5, 4, 3, 0, 1]) x1 = fma(x1, x0, C[i]);
    x0 *= x1;
    for (let i = 0; i < 3; i++) {
      x1 = x0 + 2.0;
      x0 *= x1;
    }
    x1 = x0 + 2.0;
    x0 = fma(x1, x0, 1.0);
  } else {
    x0 = x - LN2U * kf;
    x0 -= LN2L * kf;
    x0 *= 0.0625;
    x1 = C[8];
    for (const i of [7, 6, 5, 4, 3, 0, 1]) x1 = x1 * x0 + C[i];
    x0 *= x1;
    for (let i = 0; i < 4; i++) {
      x1 = x0 + 2.0;
      x0 *= x1;
    }
    x0 += 1.0;
  }
  const biased = k + 0x3ff;
  if (biased <= 0) return 0;
  if (biased >= 0x7ff) return Number.POSITIVE_INFINITY;
  view.setUint32(0, biased << 20);
  view.setUint32(4, 0);
  return x0 * view.getFloat64(0);
}

const HSQRT2 = Math.SQRT1_2;
const LN2HI = 0.6931471803691238;
const LN2LO = 1.9082149292705877e-10;
const L1 = 0.6666666666666735;
const L2 = 0.3999999999940942;
const L3 = 0.2857142874366239;
const L4 = 0.22222198432149784;
const L5 = 0.1818357216161805;
const L6 = 0.15313837699209373;
const L7 = 0.14798198605116586;

/** `log_amd64.s` (its frexp is a bit mask, so subnormal inputs come out as the assembly computes them). */
export function goLog(x: number): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  if (hi >>> 31 === 1) return Number.NaN;
  if (!Number.isFinite(x) || Number.isNaN(x)) return x;
  let k = ((hi >>> 20) & 0x7ff) - 0x3fe;
  view.setUint32(0, (hi & 0x000fffff) | 0x3fe00000);
  let f1 = view.getFloat64(0);
  if (!(HSQRT2 < f1)) {
    k -= 1;
    f1 *= 2;
  }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const r = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * LN2HI - (hfsq - (s * (hfsq + r) + k * LN2LO) - f);
}
