/**
 * A correctly rounded fused multiply-add, `fma(a, b, c) = round(a × b + c)`, which JavaScript lacks.
 * Prometheus's `math.Exp` on x86-64 uses the FMA instruction when the CPU has it, so reproducing `^` with a
 * fractional exponent bit for bit needs one.
 *
 * Fast path: error-free transformations (Dekker's product, Knuth's two-sum) give `a × b + c` as
 * `s + t + e` exactly; when `e` is 0 the rounded `s + t` is the correctly rounded result. Otherwise, and
 * near overflow or underflow, the sum is computed exactly with BigInt and rounded to nearest, ties to even.
 */

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two 26-bit halves

function twoProductError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

const view = new DataView(new ArrayBuffer(8));

/** `x = m × 2^e` with integer m. */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (exp !== 0) {
    m |= 1n << 52n;
    e = exp - 1075;
  }
  return [hi >>> 31 === 1 ? -m : m, e];
}

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** Exactly `a × b + c`, rounded once. */
function exactFma(a: number, b: number, c: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const s = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (s === 0n) return 0; // exact cancellation of two non-zero terms is +0 when rounding to nearest
  const negative = s < 0n;
  const m = negative ? -s : s;
  const bits = bitLength(m);
  const shift = Math.max(bits - 53, -1074 - e);
  let q = m;
  let e2 = e;
  if (shift > 0) {
    const big = BigInt(shift);
    q = m >> big;
    const rest = m - (q << big);
    const half = 1n << (big - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
    e2 = e + shift;
  }
  const half = Math.trunc(e2 / 2);
  const value = Number(q) * 2 ** half * 2 ** (e2 - half);
  return negative ? -value : value;
}

export function fma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0)
    return a * b + c;
  const p = a * b;
  const ap = Math.abs(p);
  if (ap > 1e300 || ap < 1e-290 || Math.abs(a) > 1e290 || Math.abs(b) > 1e290 || Math.abs(c) > 1e300) {
    return exactFma(a, b, c);
  }
  const pe = twoProductError(a, b, p);
  const s = p + c;
  const bb = s - p;
  const se = p - (s - bb) + (c - bb);
  const t = pe + se;
  const tb = t - pe;
  const te = pe - (t - tb) + (se - tb);
  return te === 0 ? s + t : exactFma(a, b, c);
}
