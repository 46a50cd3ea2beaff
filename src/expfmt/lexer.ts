/**
 * Line-level lexing of expositions: one sample or metadata line at a time into plain tokens. The grammar is
 * that of Prometheus 2.42's scrape parsers: the text format 0.0.4 tolerates whitespace between tokens, a
 * trailing comma in label sets and any backslash escape; OpenMetrics wants single spaces and nothing extra.
 * Errors throw {@link LexError} with the reason; the parser adds the line number.
 */
import type { Exemplar, Label } from '../core/model.js';

export class LexError extends Error {}

export type Syntax = 'text' | 'openmetrics';

/** A sample line, split into its parts. */
export interface SampleToken {
  readonly name: string;
  /** Labels in the order written, `le`/`quantile` included. */
  readonly labels: Label[];
  readonly value: number;
  /** Milliseconds since the epoch. */
  readonly timestampMs: number | undefined;
  readonly exemplar: Exemplar | undefined;
}

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isLabelChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

function isMetricChar(c: number): boolean {
  return isLabelChar(c) || c === 0x3a;
}

/** Go's `strconv.ParseFloat` syntax without hex floats and `_` separators, which Prometheus rejects. */
const FLOAT = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** Parses a number the way Prometheus does; undefined when the text is not one. */
export function parseGoFloat(text: string): number | undefined {
  if (!FLOAT.test(text)) return undefined;
  const last = text.charCodeAt(text.length - 1) | 0x20;
  if (last === 0x6e /* n */) return Number.NaN;
  if (last === 0x66 /* f */ || last === 0x79 /* y */) {
    return text.charCodeAt(0) === 0x2d ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  const value = Number(text);
  // Go reports overflow (e.g. 1e400) as an error instead of returning an infinity.
  return Number.isFinite(value) ? value : undefined;
}

/** Undoes the escapes of a label value or HELP text; `quote` says whether `\"` is an escape. */
export function unescapeText(text: string, quote: boolean): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 === text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && quote) out += '"';
    else {
      // Prometheus keeps an unknown escape as written: a backslash and the character.
      out += `\\${next}`;
    }
    i++;
  }
  return out;
}

/** A cursor over one line. */
export class LineLexer {
  pos = 0;

  constructor(
    readonly line: string,
    readonly syntax: Syntax,
  ) {}

  get done(): boolean {
    return this.pos >= this.line.length;
  }

  /** Skips whitespace in the text format; in OpenMetrics nothing is skipped. */
  skipSpace(): void {
    if (this.syntax !== 'text') return;
    const line = this.line;
    let c = line.charCodeAt(this.pos);
    while (c === SPACE || c === TAB) c = line.charCodeAt(++this.pos);
  }

  /** Consumes the single separator of OpenMetrics, or one or more blanks of the text format. */
  separator(what: string): void {
    const c = this.line.charCodeAt(this.pos);
    if (this.syntax === 'openmetrics') {
      if (c !== SPACE) throw new LexError(`expected a single space before ${what}`);
      this.pos++;
      if (this.line.charCodeAt(this.pos) === SPACE)
        throw new LexError(`expected a single space before ${what}`);
      return;
    }
    if (c !== SPACE && c !== TAB) throw new LexError(`expected whitespace before ${what}`);
    this.skipSpace();
  }

  metricName(): string {
    const line = this.line;
    const start = this.pos;
    const c = line.charCodeAt(start);
    if (!isNameStart(c) && c !== 0x3a) {
      throw new LexError(
        c === SPACE || c === TAB ? 'unexpected whitespace before metric name' : 'expected a metric name',
      );
    }
    let i = start + 1;
    while (i < line.length && isMetricChar(line.charCodeAt(i))) i++;
    this.pos = i;
    return line.slice(start, i);
  }

  labelName(): string {
    const line = this.line;
    const start = this.pos;
    if (!isNameStart(line.charCodeAt(start))) throw new LexError('expected a label name');
    let i = start + 1;
    while (i < line.length && isLabelChar(line.charCodeAt(i))) i++;
    this.pos = i;
    return line.slice(start, i);
  }

  /** A quoted label value, unescaped. */
  quoted(): string {
    const line = this.line;
    if (line.charCodeAt(this.pos) !== QUOTE) throw new LexError('expected a quoted label value');
    const start = this.pos + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      if (i >= line.length) throw new LexError('unterminated label value');
      const c = line.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
      i++;
    }
    this.pos = i + 1;
    const raw = line.slice(start, i);
    return escaped ? unescapeText(raw, true) : raw;
  }

  /** `{name="value",...}`, positioned on the `{`. Duplicate and reserved names are errors. */
  labelSet(): Label[] {
    const labels: Label[] = [];
    const line = this.line;
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (line.charCodeAt(this.pos) === 0x7d /* } */) {
        if (labels.length > 0 && this.syntax === 'openmetrics')
          throw new LexError('trailing comma in label set');
        this.pos++;
        return labels;
      }
      const name = this.labelName();
      this.skipSpace();
      if (line.charCodeAt(this.pos) !== 0x3d /* = */)
        throw new LexError(`expected "=" after label name "${name}"`);
      this.pos++;
      this.skipSpace();
      const value = this.quoted();
      if (name === '__name__') throw new LexError('label name "__name__" is reserved');
      for (const l of labels) if (l.name === name) throw new LexError(`duplicate label name "${name}"`);
      labels.push({ name, value });
      this.skipSpace();
      const c = line.charCodeAt(this.pos);
      if (c === 0x2c /* , */) {
        this.pos++;
        if (this.syntax === 'openmetrics' && line.charCodeAt(this.pos) === 0x7d) {
          throw new LexError('trailing comma in label set');
        }
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return labels;
      }
      throw new LexError(`expected "," or "}" after the value of label "${name}"`);
    }
  }

  /** A whitespace-delimited token. */
  token(): string {
    const line = this.line;
    const start = this.pos;
    let i = start;
    while (i < line.length) {
      const c = line.charCodeAt(i);
      if (c === SPACE || c === TAB) break;
      i++;
    }
    this.pos = i;
    return line.slice(start, i);
  }

  number(what: string): number {
    const text = this.token();
    const value = parseGoFloat(text);
    if (value === undefined) throw new LexError(`invalid ${what} ${JSON.stringify(text)}`);
    return value;
  }

  /** A timestamp: integer milliseconds in the text format, float seconds in OpenMetrics. */
  timestamp(): number {
    const text = this.token();
    if (this.syntax === 'text') {
      if (!/^\d{1,19}$/.test(text) || BigInt(text) > 9223372036854775807n) {
        throw new LexError(`invalid timestamp ${JSON.stringify(text)}: expected integer milliseconds`);
      }
      return Number(text);
    }
    const seconds = parseGoFloat(text);
    if (seconds === undefined || !Number.isFinite(seconds)) {
      throw new LexError(`invalid timestamp ${JSON.stringify(text)}: expected seconds`);
    }
    return Math.round(seconds * 1000);
  }
}

/** Lexes a sample line. */
export function lexSample(line: string, syntax: Syntax): SampleToken {
  const lx = new LineLexer(line, syntax);
  const name = lx.metricName();
  lx.skipSpace();
  let labels: Label[] = [];
  if (line.charCodeAt(lx.pos) === 0x7b /* { */) {
    labels = lx.labelSet();
    if (syntax === 'text') lx.skipSpace();
    else lx.separator('the value');
  } else if (lx.done) {
    throw new LexError(`expected a value for "${name}"`);
  } else if (syntax === 'openmetrics') {
    lx.separator('the value');
  } else if (lx.pos === name.length) {
    throw new LexError('expected whitespace after the metric name');
  }
  if (lx.done) throw new LexError(`expected a value for "${name}"`);
  const value = lx.number('value');
  let timestampMs: number | undefined;
  let exemplar: Exemplar | undefined;
  if (!lx.done) {
    lx.separator('the timestamp');
    if (lx.done && syntax === 'openmetrics') throw new LexError('trailing space after the value');
    if (!lx.done && line.charCodeAt(lx.pos) !== 0x23 /* # */) timestampMs = lx.timestamp();
    else if (syntax === 'text' && !lx.done)
      throw new LexError('exemplars are not allowed in the text format 0.0.4');
    if (!lx.done) {
      if (syntax === 'text') {
        lx.skipSpace();
        if (!lx.done) throw new LexError('unexpected data after the timestamp');
      } else {
        if (timestampMs !== undefined) lx.separator('the exemplar');
        exemplar = lexExemplar(lx);
      }
    }
  }
  return { name, labels, value, timestampMs, exemplar };
}

/** ` # {labels} value [timestamp]` after an OpenMetrics sample. */
function lexExemplar(lx: LineLexer): Exemplar {
  const line = lx.line;
  if (line.charCodeAt(lx.pos) !== 0x23 || line.charCodeAt(lx.pos + 1) !== SPACE) {
    throw new LexError('unexpected data after the sample');
  }
  lx.pos += 2;
  if (line.charCodeAt(lx.pos) !== 0x7b) throw new LexError('expected the label set of an exemplar');
  const labels = lx.labelSet().sort((a, b) => (a.name < b.name ? -1 : 1));
  lx.separator('the exemplar value');
  const value = lx.number('exemplar value');
  let timestampMs: number | undefined;
  if (!lx.done) {
    lx.separator('the exemplar timestamp');
    timestampMs = lx.timestamp();
    if (!lx.done) throw new LexError('unexpected data after the exemplar');
  }
  return timestampMs === undefined ? { labels, value } : { labels, value, timestampMs };
}
