/**
 * Number and time formatting of Prometheus 2.42's HTTP API.
 *
 * Sample values are strings in Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that
 * round-trip, always in positional notation (2.42 never switches to an exponent: `1e-7` is
 * `"0.0000001"`), plus `NaN`, `+Inf`, `-Inf` and `-0`. JavaScript picks the same shortest digits, so only
 * the layout needs converting. Timestamps are JSON numbers in seconds written from integer milliseconds
 * with exactly the digits needed: `1700000000`, `1700000000.5` is written `1700000000.500` as Go's
 * `jsonutil.MarshalTimestamp` does.
 */

/** A sample value as the API writes it. */
export function formatSampleValue(v: number): string {
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

/** A timestamp in integer milliseconds as a JSON number of seconds. */
export function formatTimestamp(ms: number): string {
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const seconds = Math.trunc(abs / 1000);
  const fraction = abs - seconds * 1000;
  const text = fraction === 0 ? `${seconds}` : `${seconds}.${String(fraction).padStart(3, '0')}`;
  return negative ? `-${text}` : text;
}
