/**
 * Literal values of PromQL exactly as Prometheus 2.42 reads them: numbers (Go's `ParseInt(s, 0, 64)` first,
 * so `0x1f` is 31 and `010` is octal 8, then `ParseFloat`, with `Inf` and `NaN` in any case), durations
 * (`model.ParseDuration`: units y w d h m s ms, each at most once and in that order) and strings (Go quoting
 * in double or single quotes, raw in backticks). Each parser returns the value or an error message in
 * Prometheus's words; the caller attaches the position.
 */

import { parseGoFloat } from '../../expfmt/number.js';
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Go's `strconv.ParseInt(s, 0, 64)`: decimal, `0x` hex, `0o`/leading-0 octal, `0b` binary. */
function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.exec(s);
  if (m === null) return undefined;
  let digits = m[2];
  let radix = 10;
  if (/^0[xX]/.test(digits)) {
    radix = 16;
    digits = digits.slice(2);
  } else if (/^0[bB]/.test(digits)) {
    radix = 2;
    digits = digits.slice(2);
  } else if (/^0[oO]/.test(digits)) {
    radix = 8;
    digits = digits.slice(2);
  } else if (digits.length > 1 && digits[0] === '0') {
    radix = 8;
    digits = digits.slice(1);
  }
  const big = parseBigInt(digits, radix);
  const value = m[1] === '-' ? -big : big;
  if (value > 0x7fffffffffffffffn || value < -0x8000000000000000n) return undefined;
  return Number(value);
}

function parseBigInt(digits: string, radix: number): bigint {
  let out = 0n;
  const r = BigInt(radix);
  for (const c of digits) out = out * r + BigInt(Number.parseInt(c, radix));
  return out;
}

/** A PromQL number literal (unsigned; the sign is a unary operator). */
export function parseNumber(text: string): Parsed<number> {
  const asInt = parseGoInt(text);
  if (asInt !== undefined) return ok(asInt);
  const asFloat = parseGoFloat(text);
  if (asFloat !== undefined) return ok(asFloat);
  return fail(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
}

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
/** time.Duration's range in milliseconds (about 292 years). */
const MAX_DURATION_MS = 9_223_372_036_854;

/** Prometheus's `model.ParseDuration`, in milliseconds. */
export function parseDuration(text: string): Parsed<number> {
  if (text === '0') return ok(0);
  if (text === '') return fail('empty duration string');
  const m = DURATION_RE.exec(text);
  if (m === null) return fail(`not a valid duration string: ${JSON.stringify(text)}`);
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * UNIT_MS[i];
  }
  if (ms > MAX_DURATION_MS) return fail('duration out of range');
  return ok(ms);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Go's quoting rules for a PromQL string literal including its quotes. */
export function unquoteString(literal: string): Parsed<string> {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return fail('invalid syntax');
  const body = literal.slice(1, -1);
  if (quote === '`') return body.includes('`') ? fail('invalid syntax') : ok(body);
  if (quote !== '"' && quote !== "'") return fail('invalid syntax');
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\n' || c === quote) return fail('invalid syntax');
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return fail('invalid syntax');
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      if ((e === "'" || e === '"') && e !== quote) return fail('invalid syntax');
      out += simple;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : /[0-7]/.test(e) ? 3 : 0;
    if (width === 0) return fail('invalid syntax');
    const digits =
      e === 'x' || e === 'u' || e === 'U' ? body.slice(i + 1, i + 1 + width) : body.slice(i, i + 3);
    const valid = /[0-7]/.test(e)
      ? /^[0-7]{3}$/.test(digits)
      : new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits);
    if (!valid) return fail('invalid syntax');
    const code = Number.parseInt(digits, /[0-7]/.test(e) ? 8 : 16);
    if (e === 'x' || /[0-7]/.test(e)) {
      if (code > 255) return fail('invalid syntax');
      // A byte escape; PromQL strings are text, so bytes above 0x7f are taken as Latin-1 code points.
      out += String.fromCharCode(code);
    } else {
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return fail('invalid syntax');
      out += String.fromCodePoint(code);
    }
    i += /[0-7]/.test(e) ? 2 : width;
  }
  return ok(out);
}
