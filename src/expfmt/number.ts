/**
 * Numbers as Prometheus writes and reads them.
 *
 * Writing is exactly what Prometheus's Go client does, so our expositions match byte for byte.
 *
 * Go renders with `strconv.FormatFloat(v, 'g', -1, 64)`: the shortest digits that round-trip (the same
 * digits JavaScript picks), in exponent form when the decimal exponent is < -4 or >= 6 (JavaScript switches
 * only at 1e21 and 1e-7), with at least two exponent digits (`1e+06`, `9.976e-06`). 0, 1 and -1 and the
 * non-finite values are special-cased. OpenMetrics adds `.0` to integral results so floats stay floats.
 *
 * Reading is Go's `strconv.ParseFloat` as Prometheus's scrape parsers call it: no hex floats and no `_`.
 */

/** A value in the text format 0.0.4 (Go's `writeFloat`). */
export function formatFloat(value: number): string {
  if (value >= 1e-4 ? value < 1e6 : value <= -1e-4 && value > -1e6) return String(value);
  if (value === 0) return '0';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return exponentForm(value);
}

/** A float value in OpenMetrics (Go's `writeOpenMetricsFloat`): like {@link formatFloat}, but `1` is `1.0`. */
export function formatOpenMetricsFloat(value: number): string {
  const text = formatFloat(value);
  if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY)
    return text;
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

/**
 * An integer count or Int metric value: plain digits, never an exponent or fraction. Non-integral input
 * (possible only from parsed text) falls back to the float form so no information is lost.
 */
export function formatInteger(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  return formatFloat(value);
}

/** The shortest round-trip digits in Go's `%e` layout: `d[.ddd]e±XX`. */
function exponentForm(value: number): string {
  const js = value.toExponential();
  const e = js.indexOf('e');
  const sign = js[e + 1];
  const digits = js.slice(e + 2);
  return `${js.slice(0, e)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;

/** Go's `strconv.ParseFloat` words: an optionally signed infinity, or an unsigned NaN (Go rejects `+NaN`). */
const SPECIAL = /^(?:[+-]?inf(?:inity)?|nan)$/i;

/** Parses a number the way Prometheus does; undefined when the text is not one. */
export function parseGoFloat(text: string): number | undefined {
  return parseGoFloatAt(text, 0, text.length);
}

/** Exact powers of ten: a double holds 10^0 to 10^22 without rounding. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * {@link parseGoFloat} of `src[start, end)`: Go's `strconv.ParseFloat` syntax, `[+-]?(d+[.d*]|.d+)[eE[+-]d+]`
 * or an infinity or NaN, without hex floats and `_`, which Prometheus refuses; overflow is an error as in
 * Go. A decimal whose digits make at most 2^53 and whose decimal exponent is within +-22 is computed in
 * place: one multiplication or division of two exact doubles is correctly rounded, so the result is the
 * one `Number()` gives (Clinger's fast path), and no string is sliced. Anything else goes to `Number()`.
 */
export function parseGoFloatAt(src: string, start: number, end: number): number | undefined {
  let i = start;
  let c = i < end ? src.charCodeAt(i) : -1;
  const negative = c === MINUS;
  if (negative || c === PLUS) c = ++i < end ? src.charCodeAt(i) : -1;
  const body = i;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (isDigit(c)) {
    mantissa = mantissa * 10 + (c - 0x30);
    digits++;
    c = ++i < end ? src.charCodeAt(i) : -1;
  }
  if (c === DOT) {
    c = ++i < end ? src.charCodeAt(i) : -1;
    while (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      scale--;
      c = ++i < end ? src.charCodeAt(i) : -1;
    }
  }
  if (digits === 0) {
    // No digits: only an infinity or NaN can still be a number.
    return i === body && i < end ? special(src.slice(start, end)) : undefined;
  }
  if ((c | 0x20) === 0x65 /* e or E */) {
    c = ++i < end ? src.charCodeAt(i) : -1;
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) c = ++i < end ? src.charCodeAt(i) : -1;
    const first = i;
    let exponent = 0;
    while (isDigit(c)) {
      if (exponent < 100_000) exponent = exponent * 10 + (c - 0x30);
      c = ++i < end ? src.charCodeAt(i) : -1;
    }
    if (i === first) return undefined;
    scale += negativeExponent ? -exponent : exponent;
  }
  if (i !== end) return undefined;
  if (mantissa === 0) return negative ? -0 : 0;
  if (mantissa <= 2 ** 53 && scale >= -22 && scale <= 22) {
    const value = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
    return negative ? -value : value;
  }
  const value = Number(src.slice(start, end));
  // Go reports overflow (e.g. 1e400) as an error instead of returning an infinity.
  return Number.isFinite(value) ? value : undefined;
}

function special(text: string): number | undefined {
  if (!SPECIAL.test(text)) return undefined;
  if ((text.charCodeAt(text.length - 1) | 0x20) === 0x6e /* n */) return Number.NaN;
  return text.charCodeAt(0) === MINUS ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
