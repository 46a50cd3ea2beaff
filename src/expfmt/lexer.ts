/**
 * Lexing of exposition sample lines, token for token as Prometheus 2.42's scrape parsers lex them.
 *
 * The text format 0.0.4 tolerates spaces and tabs between any two tokens, a label pair without a comma
 * before it, a trailing comma, any backslash escape and even a raw line break inside a label value.
 * OpenMetrics wants exactly one space between tokens and nothing else. Numbers are read by
 * {@link parseGoFloatAt}.
 *
 * The lexer works on positions in the whole input instead of substrings: a sample whose series the parser
 * has already seen costs no string allocation except, rarely, its value. Errors throw {@link LexError}
 * with the reason; the parser adds the line number.
 */

import type { Exemplar, Label } from '../core/model.js';
import { isWellFormed } from '../core/validate.js';
import { unescapeText } from './escape.js';
import { parseGoFloat, parseGoFloatAt } from './number.js';

export class LexError extends Error {}

export type Syntax = 'text' | 'openmetrics';

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

const LABEL_START = 1;
const LABEL_CHAR = 2;
const METRIC_START = 4;
const METRIC_CHAR = 8;

/** Character classes of ASCII: one table lookup instead of a chain of range tests per character. */
const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
  const digit = c >= 0x30 && c <= 0x39;
  const colon = c === 0x3a;
  CLASSES[c] =
    (letter ? LABEL_START | METRIC_START : 0) |
    (letter || digit ? LABEL_CHAR | METRIC_CHAR : 0) |
    (colon ? METRIC_START | METRIC_CHAR : 0);
}

/** `[a-zA-Z_]`: the first character of a label name. */
function isLabelStart(c: number): boolean {
  return c < 128 && (CLASSES[c] & LABEL_START) !== 0;
}

/** `[a-zA-Z0-9_]` */
function isLabelChar(c: number): boolean {
  return c < 128 && (CLASSES[c] & LABEL_CHAR) !== 0;
}

/** `[a-zA-Z_:]`: the first character of a metric name. */
export function isMetricStart(c: number): boolean {
  return c < 128 && (CLASSES[c] & METRIC_START) !== 0;
}

/** `[a-zA-Z0-9_:]` */
export function isMetricChar(c: number): boolean {
  return c < 128 && (CLASSES[c] & METRIC_CHAR) !== 0;
}

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** A text for a message: quoted, and cut short so that a hostile input cannot make a huge message. */
export function show(text: string): string {
  if (text.length <= 64) return JSON.stringify(text);
  const cut = (text.charCodeAt(63) & 0xfc00) === 0xd800 ? 63 : 64;
  return `${JSON.stringify(text.slice(0, cut))}...`;
}

/** Sorts label pairs by name in place; they usually arrive sorted. */
export function sortLabels(labels: Label[]): Label[] {
  for (let i = 1; i < labels.length; i++) {
    if (labels[i - 1].name > labels[i].name) return labels.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return labels;
}

/** Fields per label pair in {@link SampleLexer.pairs}. */
const PAIR = 5;

/**
 * Lexes one sample line at a time, reused for every line of an exposition. After {@link lex} the fields
 * describe the line: where its name ends, where its label pairs are, its value, timestamp and exemplar.
 */
export class SampleLexer {
  readonly text: boolean;
  /** When set, label values must be well-formed UTF-16 (the input had a lone surrogate somewhere). */
  checkWellFormed = false;
  /**
   * The name of the previous sample, which the next one usually repeats: when the line starts with it, the
   * name is not scanned again and {@link sameName} is set.
   */
  expectedName = '';
  sameName = false;
  /**
   * The first backslash at or after the last place looked at, or Infinity when there is none: values
   * before it have no escape, so their end is one `indexOf('"')` away. Lexing only moves forward, so the
   * searches together read the input once.
   */
  nextBackslash = -1;

  src = '';
  pos = 0;
  /** End of the sample: its line break or the input's end. A text-format label value may push it on. */
  end = 0;
  /** Line breaks inside the label values of this sample so far. */
  newlines = 0;
  nameEnd = 0;
  /** Positions of `{` and `}`, or -1 when the sample has no label set. */
  open = -1;
  close = -1;
  /**
   * Per label pair, {@link PAIR} numbers: name start, name end, value start (after the quote), value end
   * (at the closing quote), and 1 when the value holds a backslash.
   */
  readonly pairs: number[] = [];
  pairCount = 0;
  value = 0;
  timestampMs: number | undefined;
  exemplar: Exemplar | undefined;

  constructor(readonly syntax: Syntax) {
    this.text = syntax === 'text';
  }

  /** Lexes the sample line at `src[start, end)`, where `end` is its line break or the input's end. */
  lex(src: string, start: number, end: number): void {
    this.src = src;
    this.end = end;
    this.newlines = 0;
    this.pairCount = 0;
    this.open = -1;
    this.close = -1;
    this.timestampMs = undefined;
    this.exemplar = undefined;
    const c = src.charCodeAt(start);
    if (!isMetricStart(c)) {
      throw new LexError(
        isBlank(c)
          ? 'unexpected whitespace before the metric name'
          : c === CR
            ? 'unexpected carriage return: CRLF line endings are not allowed'
            : `expected a metric name, got ${JSON.stringify(String.fromCodePoint(src.codePointAt(start)!))}`,
      );
    }
    const expected = this.expectedName;
    let i = start + expected.length;
    this.sameName = expected !== '' && src.startsWith(expected, start) && !isMetricChar(src.charCodeAt(i));
    if (!this.sameName) {
      i = start + 1;
      while (i < end && isMetricChar(src.charCodeAt(i))) i++;
    }
    this.nameEnd = i;
    this.pos = i;
    if (this.text) this.skipBlanks();
    if (src.charCodeAt(this.pos) === LBRACE) {
      this.open = this.pos;
      this.labelSet();
      this.close = this.pos - 1;
      if (this.text) this.skipBlanks();
    }
    if (this.pos >= this.end) {
      throw new LexError(`expected a value after ${show(src.slice(start, this.nameEnd))}`);
    }
    if (!this.text) this.separator('the value');
    this.value = this.number('value');
    if (this.pos >= this.end) return;
    // Something follows the value: a timestamp, or in OpenMetrics an exemplar.
    if (this.text) {
      this.skipBlanks();
      if (this.pos >= this.end) return;
      if (src.charCodeAt(this.pos) === HASH) {
        throw new LexError('exemplars are not allowed in the text format 0.0.4');
      }
      this.timestampMs = this.textTimestamp();
      this.skipBlanks();
      if (this.pos < this.end) throw new LexError('unexpected data after the timestamp');
      return;
    }
    this.separator('the timestamp or exemplar');
    if (src.charCodeAt(this.pos) !== HASH) {
      this.timestampMs = this.openMetricsTimestamp('timestamp');
      if (this.pos >= this.end) return;
      this.separator('the exemplar');
      if (src.charCodeAt(this.pos) !== HASH) throw new LexError('unexpected data after the timestamp');
    }
    this.exemplar = this.exemplarAt();
  }

  /** The name of label pair `i`. */
  pairName(i: number): string {
    return this.src.slice(this.pairs[i * PAIR], this.pairs[i * PAIR + 1]);
  }

  /** The unescaped value of label pair `i`. */
  pairValue(i: number): string {
    const p = i * PAIR;
    const raw = this.src.slice(this.pairs[p + 2], this.pairs[p + 3]);
    return this.pairs[p + 4] === 1 ? unescapeText(raw, true) : raw;
  }

  /** Index of the pair named `name`, or -1. */
  findPair(name: string): number {
    const pairs = this.pairs;
    for (let i = 0; i < this.pairCount; i++) {
      const p = i * PAIR;
      if (pairs[p + 1] - pairs[p] === name.length && this.src.startsWith(name, pairs[p])) return i;
    }
    return -1;
  }

  /** Where pair `i` starts (its name) and ends (after its closing quote). */
  pairStart(i: number): number {
    return this.pairs[i * PAIR];
  }

  pairEnd(i: number): number {
    return this.pairs[i * PAIR + 3] + 1;
  }

  /** The value of pair `i` read as a number, or undefined. */
  pairNumber(i: number): number | undefined {
    const p = i * PAIR;
    if (this.pairs[p + 4] === 1) return parseGoFloat(this.pairValue(i));
    return parseGoFloatAt(this.src, this.pairs[p + 2], this.pairs[p + 3]);
  }

  /**
   * The label pairs `[from, to)` as labels sorted by name, validated: no `__name__`, no name twice, and
   * well-formed values. Prometheus fails a scrape on each of these.
   */
  labels(from: number, to: number): Label[] {
    const out: Label[] = new Array(to - from);
    for (let i = from; i < to; i++) {
      const name = this.pairName(i);
      if (name === '__name__') throw new LexError('label name "__name__" is reserved');
      const value = this.pairValue(i);
      if (this.checkWellFormed && !isWellFormed(value)) {
        throw new LexError(`the value of label ${show(name)} is not valid UTF-8: it holds a lone surrogate`);
      }
      out[i - from] = { name, value };
    }
    sortLabels(out);
    for (let i = 1; i < out.length; i++) {
      if (out[i].name === out[i - 1].name) throw new LexError(`duplicate label name ${show(out[i].name)}`);
    }
    return out;
  }

  skipBlanks(): void {
    const src = this.src;
    let c = src.charCodeAt(this.pos);
    while (c === SPACE || c === TAB) c = src.charCodeAt(++this.pos);
  }

  /** The single space OpenMetrics puts between tokens. */
  separator(what: string): void {
    const src = this.src;
    if (src.charCodeAt(this.pos) !== SPACE || isBlank(src.charCodeAt(this.pos + 1))) {
      throw new LexError(`expected a single space before ${what}`);
    }
    this.pos++;
    if (this.pos >= this.end) throw new LexError(`trailing space: expected ${what}`);
  }

  /** `{name="value",...}`, positioned on the `{`; leaves `pos` after the `}`. */
  labelSet(): void {
    const src = this.src;
    const text = this.text;
    this.pos++;
    if (text) this.skipBlanks();
    if (src.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      const nameStart = this.pos;
      if (!isLabelStart(src.charCodeAt(nameStart))) {
        throw new LexError(`expected a label name, got ${this.describe(nameStart)}`);
      }
      let i = nameStart + 1;
      while (i < this.end && isLabelChar(src.charCodeAt(i))) i++;
      this.pos = i;
      if (text) this.skipBlanks();
      if (src.charCodeAt(this.pos) !== EQUALS) {
        throw new LexError(`expected "=" after label name ${show(src.slice(nameStart, i))}`);
      }
      this.pos++;
      if (text) this.skipBlanks();
      this.quoted(nameStart, i);
      if (text) this.skipBlanks();
      const c = src.charCodeAt(this.pos);
      if (c === COMMA) {
        this.pos++;
        if (text) this.skipBlanks();
      }
      if (src.charCodeAt(this.pos) === RBRACE) {
        if (!text && c === COMMA) throw new LexError('trailing comma in label set');
        this.pos++;
        return;
      }
      // The text format, as 2.42 parses it, needs no comma between pairs.
      if (!text && c !== COMMA) {
        throw new LexError(`expected "," or "}" after the value of label ${show(src.slice(nameStart, i))}`);
      }
    }
  }

  /** A quoted label value; records the pair. In the text format it may run over line breaks, as in 2.42. */
  quoted(nameStart: number, nameEnd: number): void {
    const src = this.src;
    if (src.charCodeAt(this.pos) !== QUOTE) {
      throw new LexError(`expected a quoted label value, got ${this.describe(this.pos)}`);
    }
    const start = this.pos + 1;
    if (this.nextBackslash < start) {
      const at = src.indexOf('\\', start);
      this.nextBackslash = at < 0 ? Number.POSITIVE_INFINITY : at;
    }
    let i = src.indexOf('"', start);
    let escaped = 0;
    // Most values hold no escape and no line break: the next quote ends them.
    if (i < 0 || i > this.end || this.nextBackslash < i) {
      i = this.scanQuoted(start);
      escaped = this.nextBackslash < i ? 1 : 0;
    }
    const p = this.pairCount++ * PAIR;
    const pairs = this.pairs;
    pairs[p] = nameStart;
    pairs[p + 1] = nameEnd;
    pairs[p + 2] = start;
    pairs[p + 3] = i;
    pairs[p + 4] = escaped;
    this.pos = i + 1;
  }

  /** The closing quote of a value with escapes or line breaks, read character by character. */
  scanQuoted(start: number): number {
    const src = this.src;
    const limit = this.text ? src.length : this.end;
    let i = start;
    for (;;) {
      if (i >= limit) throw new LexError('unterminated label value');
      const c = src.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        i++;
        if (i < limit && src.charCodeAt(i) === LF) {
          throw new LexError('a backslash may not come before a line break in a label value');
        }
      } else if (c === LF) {
        this.newlines++;
      }
      i++;
    }
    if (i > this.end) {
      // The value ran over line breaks: the sample now ends at the line break after it.
      const next = src.indexOf('\n', i);
      this.end = next < 0 ? src.length : next;
    }
    return i;
  }

  /** The end of the token at `pos`: blanks end it in the text format, a single space in OpenMetrics. */
  tokenEnd(): number {
    const src = this.src;
    const end = this.end;
    let i = this.pos;
    if (this.text) {
      while (i < end) {
        const c = src.charCodeAt(i);
        if (c === SPACE || c === TAB) break;
        i++;
      }
    } else {
      while (i < end && src.charCodeAt(i) !== SPACE) i++;
    }
    return i;
  }

  number(what: string): number {
    const start = this.pos;
    const end = this.tokenEnd();
    const value = parseGoFloatAt(this.src, start, end);
    if (value === undefined) this.badToken(what, start, end);
    this.pos = end;
    return value;
  }

  /** Integer milliseconds, 0 to 2^63-1, digits only. */
  textTimestamp(): number {
    const src = this.src;
    const start = this.pos;
    const end = this.tokenEnd();
    let first = start;
    for (let i = start; i < end; i++) {
      const c = src.charCodeAt(i);
      if (c < 0x30 || c > 0x39) this.badToken('timestamp', start, end, ': expected integer milliseconds');
      if (c === 0x30 && first === i) first++;
    }
    if (start === end) this.badToken('timestamp', start, end);
    const significant = end - first;
    if (significant > 19 || (significant === 19 && src.slice(first, end) > '9223372036854775807')) {
      throw new LexError(`timestamp ${show(src.slice(start, end))} is out of the int64 range`);
    }
    this.pos = end;
    return significant === 0 ? 0 : Number(src.slice(first, end));
  }

  /** Float seconds, returned as milliseconds. */
  openMetricsTimestamp(what: string): number {
    const start = this.pos;
    const end = this.tokenEnd();
    const seconds = parseGoFloatAt(this.src, start, end);
    if (seconds === undefined || !Number.isFinite(seconds))
      this.badToken(what, start, end, ': expected seconds');
    this.pos = end;
    // Rounded rather than truncated as 2.42 does, so milliseconds written as seconds come back exactly;
    // `+ 0` turns -0 into 0.
    return Math.round(seconds * 1000) + 0;
  }

  /** ` # {labels} value [timestamp]` after an OpenMetrics sample, positioned on the `#`. */
  exemplarAt(): Exemplar {
    const src = this.src;
    if (src.charCodeAt(this.pos + 1) !== SPACE || src.charCodeAt(this.pos + 2) !== LBRACE) {
      throw new LexError('expected the label set of an exemplar: " # {"');
    }
    this.pos += 2;
    const from = this.pairCount;
    this.labelSet();
    const labels = this.labels(from, this.pairCount);
    this.pairCount = from;
    this.separator('the exemplar value');
    const value = this.number('exemplar value');
    if (this.pos >= this.end) return { labels, value };
    this.separator('the exemplar timestamp');
    const timestampMs = this.openMetricsTimestamp('exemplar timestamp');
    if (this.pos < this.end) throw new LexError('unexpected data after the exemplar');
    return { labels, value, timestampMs };
  }

  badToken(what: string, start: number, end: number, hint = ''): never {
    const token = this.src.slice(start, end);
    if (token.charCodeAt(token.length - 1) === CR) {
      throw new LexError(
        'unexpected carriage return at the end of the line: CRLF line endings are not allowed',
      );
    }
    throw new LexError(`invalid ${what} ${show(token)}${hint}`);
  }

  /** The character at `i` for a message, or "the end of the line". */
  describe(i: number): string {
    if (i >= this.end) return 'the end of the line';
    return JSON.stringify(String.fromCodePoint(this.src.codePointAt(i)!));
  }
}
