/**
 * Number and time formatting of Prometheus 2.42's HTTP API, which differs by result type:
 *
 * - vector and matrix samples (`jsonutil.MarshalValue`): Go's `FormatFloat(v, 'f', -1, 64)`, switching to
 *   `'e'` when |v| < 1e-6 or ≥ 1e21 (`"1e-07"`, `"2.5e+75"`); timestamps from integer milliseconds with
 *   three decimals when there is a fraction (`jsonutil.MarshalTimestamp`: `1700000000.500`);
 * - scalar and string results (`json.Marshal` of `[T/1000, FormatFloat(v, 'f', -1, 64)]`): the value always
 *   positional (`"0.0000001"`), the time as a Go float (`1700000000.5`).
 *
 * JavaScript picks the same shortest round-trip digits as Go; only the layout needs converting.
 */

/** A sample value of a vector or matrix, as `jsonutil.MarshalValue` writes it. */
export function formatSampleValue(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && Number.isFinite(v) && (abs < 1e-6 || abs >= 1e21)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return formatScalarValue(v);
}

/** A scalar result's value: always positional, as `FormatFloat(v, 'f', -1, 64)`. */
export function formatScalarValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s[0] === '-';
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** A scalar or string result's time: `float64(T)/1000` as Go's JSON encoder writes it. */
export function formatScalarTime(ms: number): string {
  return String(ms / 1000);
}

/** A sample timestamp in integer milliseconds as a JSON number of seconds. */
export function formatTimestamp(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const seconds = Math.trunc(abs / 1000);
  const fraction = abs - seconds * 1000;
  const text = fraction === 0 ? `${seconds}` : `${seconds}.${String(fraction).padStart(3, '0')}`;
  return negative ? `-${text}` : text;
}
