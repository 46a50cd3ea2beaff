/**
 * The exposition parser: text format 0.0.4 or OpenMetrics 1.0 into the family model.
 *
 * It accepts what Prometheus 2.42's scraper accepts (blank lines, whitespace, TYPE after samples, a repeated
 * HELP where the last one wins, interleaved families, a missing final newline) and fails, with the line and
 * the reason, where the scraper fails: bad names, duplicate labels, bad numbers or timestamps, unknown types,
 * OpenMetrics without `# EOF`. A series seen twice keeps its first value, as Prometheus does. Input is
 * untrusted: nothing in it can make the parser throw anything but {@link ExpositionParseError}.
 */
import { DynametricsError } from '../core/errors.js';
import type {
  Exemplar,
  HistogramSeries,
  Label,
  MetricFamily,
  MetricType,
  ScalarSeries,
  Series,
  SummarySeries,
} from '../core/model.js';
import { LexError, lexSample, parseGoFloat, type SampleToken, type Syntax, unescapeText } from './lexer.js';

export type { Syntax as ExpositionSyntax } from './lexer.js';

/** An exposition that does not parse; `line` is 1-based. */
export class ExpositionParseError extends DynametricsError {
  override name = 'ExpositionParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`exposition line ${line}: ${reason}`);
  }
}

export interface ParseOptions {
  /** `text` (0.0.4, the default) or `openmetrics`. */
  readonly syntax?: Syntax;
  /** Called for each later copy of a series already seen; the first copy is kept. */
  readonly onDuplicateSeries?: (family: string, labels: readonly Label[]) => void;
}

/** The syntax a `Content-Type` header announces: OpenMetrics for its media type, text otherwise. */
export function syntaxForContentType(contentType: string | undefined): Syntax {
  return /^\s*application\/openmetrics-text\s*(;|$)/i.test(contentType ?? '') ? 'openmetrics' : 'text';
}

const TEXT_TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
};

const OPENMETRICS_TYPES: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  info: 'info',
  stateset: 'stateset',
  unknown: 'untyped',
};

/** What role a sample name plays in a family of a given type. */
type Role = 'value' | 'bucket' | 'sum' | 'count' | 'created' | 'quantile';

/** Sample-name suffixes each type uses, with their role; `''` is the bare family name. */
function suffixRoles(type: MetricType | undefined, syntax: Syntax): readonly (readonly [string, Role])[] {
  const om = syntax === 'openmetrics';
  switch (type) {
    case 'counter':
      return om
        ? [
            ['_total', 'value'],
            ['_created', 'created'],
            ['', 'value'],
          ]
        : [['', 'value']];
    case 'histogram':
      return om
        ? [
            ['_bucket', 'bucket'],
            ['_sum', 'sum'],
            ['_count', 'count'],
            ['_created', 'created'],
          ]
        : [
            ['_bucket', 'bucket'],
            ['_sum', 'sum'],
            ['_count', 'count'],
          ];
    case 'gaugehistogram':
      return [
        ['_bucket', 'bucket'],
        ['_gsum', 'sum'],
        ['_gcount', 'count'],
      ];
    case 'summary':
      return om
        ? [
            ['', 'quantile'],
            ['_sum', 'sum'],
            ['_count', 'count'],
            ['_created', 'created'],
          ]
        : [
            ['', 'quantile'],
            ['_sum', 'sum'],
            ['_count', 'count'],
          ];
    case 'info':
      return [['_info', 'value']];
    default:
      return [['', 'value']];
  }
}

interface SeriesBuilder {
  readonly labels: Label[];
  value?: number;
  exemplar?: Exemplar;
  timestampMs?: number;
  created?: number;
  sum?: number;
  count?: number;
  /** Histogram bucket or summary quantile positions and values, in input order. */
  positions?: number[];
  values?: number[];
  exemplars?: (Exemplar | undefined)[];
}

interface FamilyBuilder {
  /** Metadata name: the family name in OpenMetrics, the TYPE/HELP name in text. */
  readonly name: string;
  help: string;
  type: MetricType | undefined;
  unit: string;
  /** OpenMetrics counter whose samples carried `_total`. */
  total: boolean;
  readonly series: Map<string, SeriesBuilder>;
}

/** A collision-free key for a sorted label set: names cannot hold `=`, and values are length-prefixed. */
function seriesKey(labels: readonly Label[]): string {
  let key = '';
  for (const l of labels) key += `${l.name}=${l.value.length}:${l.value}`;
  return key;
}

function sortLabels(labels: Label[]): Label[] {
  for (let i = 1; i < labels.length; i++) {
    if (labels[i - 1].name > labels[i].name) return labels.sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  return labels;
}

class Parser {
  readonly families = new Map<string, FamilyBuilder>();
  line = 0;

  constructor(
    readonly syntax: Syntax,
    readonly options: ParseOptions,
  ) {}

  fail(reason: string): never {
    throw new ExpositionParseError(this.line, reason);
  }

  family(name: string): FamilyBuilder {
    let f = this.families.get(name);
    if (f === undefined) {
      f = { name, help: '', type: undefined, unit: '', total: false, series: new Map() };
      this.families.set(name, f);
    }
    return f;
  }

  metadata(line: string): void {
    const om = this.syntax === 'openmetrics';
    const match = om
      ? /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line)
      : /^[ \t]*#[ \t]+(HELP|TYPE)[ \t]+([^ \t]*)(?:[ \t](.*))?$/.exec(line);
    if (match === null) {
      if (om)
        this.fail(
          `unexpected comment ${JSON.stringify(line)}: OpenMetrics allows only HELP, TYPE, UNIT and EOF`,
        );
      return; // the text format ignores any other comment
    }
    const [, keyword, name, rest = ''] = match;
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) this.fail(`invalid metric name ${JSON.stringify(name)}`);
    const f = this.family(name);
    if (keyword === 'HELP') {
      f.help = unescapeText(rest, om);
    } else if (keyword === 'TYPE') {
      const word = om ? rest : rest.replace(/^[ \t]+|[ \t]+$/g, '');
      const type = Object.hasOwn(om ? OPENMETRICS_TYPES : TEXT_TYPES, word)
        ? (om ? OPENMETRICS_TYPES : TEXT_TYPES)[word]
        : undefined;
      if (type === undefined) this.fail(`invalid metric type ${JSON.stringify(word)}`);
      if (f.type !== undefined && f.type !== type)
        this.fail(`second TYPE line for ${name} disagrees with the first`);
      const bareValue = suffixRoles(type, this.syntax).some(
        ([suffix, role]) => suffix === '' && role === 'value',
      );
      if (f.type === undefined && f.series.size > 0 && !bareValue) {
        this.fail(`TYPE ${word} for ${name} comes after its samples`);
      }
      f.type = type;
    } else {
      if (!/^[a-zA-Z0-9_:]*$/.test(rest)) this.fail(`invalid unit ${JSON.stringify(rest)}`);
      f.unit = rest;
    }
  }

  /** Finds the family and role of a sample name: its own typed family, or the family its suffix points to. */
  route(name: string): [FamilyBuilder, Role] {
    const own = this.families.get(name);
    if (own !== undefined && own.type !== undefined) {
      const role = this.roleOf(own, name);
      if (role !== undefined) return [own, role];
    }
    const cut = name.lastIndexOf('_');
    if (cut > 0) {
      const base = this.families.get(name.slice(0, cut));
      if (base !== undefined && base.type !== undefined) {
        const role = this.roleOf(base, name);
        if (role !== undefined) return [base, role];
      }
    }
    if (own !== undefined && own.type !== undefined && own.type !== 'untyped' && own.type !== 'gauge') {
      this.fail(`sample ${name} does not belong to ${own.type} ${name}`);
    }
    return [own ?? this.family(name), 'value'];
  }

  roleOf(f: FamilyBuilder, name: string): Role | undefined {
    for (const [suffix, role] of suffixRoles(f.type, this.syntax)) {
      if (name.length === f.name.length + suffix.length && name.endsWith(suffix)) return role;
    }
    return undefined;
  }

  sample(token: SampleToken): void {
    const [f, role] = this.route(token.name);
    if (role === 'value' && f.type === 'counter' && token.name !== f.name) f.total = true;
    let position: number | undefined;
    let labels = token.labels;
    if (role === 'bucket' || role === 'quantile') {
      const extra = role === 'bucket' ? 'le' : 'quantile';
      const at = labels.findIndex((l) => l.name === extra);
      if (at < 0) this.fail(`${token.name} lacks the "${extra}" label`);
      position = parseGoFloat(labels[at].value);
      if (position === undefined) this.fail(`invalid ${extra} value ${JSON.stringify(labels[at].value)}`);
      labels = labels.filter((_, i) => i !== at);
    }
    if (token.exemplar !== undefined && !(role === 'bucket' || (role === 'value' && f.type === 'counter'))) {
      this.fail(`${token.name} does not support exemplars`);
    }
    sortLabels(labels);
    const key = seriesKey(labels);
    let s = f.series.get(key);
    if (s === undefined) {
      s = { labels };
      f.series.set(key, s);
    }
    if (s.timestampMs === undefined && token.timestampMs !== undefined) s.timestampMs = token.timestampMs;
    if (!this.record(s, role, token, position)) this.options.onDuplicateSeries?.(f.name, labels);
  }

  /** Stores one sample into its series; false when that sample was already there (a duplicate). */
  record(s: SeriesBuilder, role: Role, token: SampleToken, position: number | undefined): boolean {
    switch (role) {
      case 'value':
        if (s.value !== undefined) return false;
        s.value = token.value;
        if (token.exemplar !== undefined) s.exemplar = token.exemplar;
        return true;
      case 'sum':
        if (s.sum !== undefined) return false;
        s.sum = token.value;
        return true;
      case 'count':
        if (s.count !== undefined) return false;
        s.count = token.value;
        return true;
      case 'created':
        s.created = token.value;
        return true;
      default: {
        s.positions ??= [];
        s.values ??= [];
        if (s.positions.includes(position!)) return false;
        s.positions.push(position!);
        s.values.push(token.value);
        if (token.exemplar !== undefined) {
          s.exemplars ??= [];
          s.exemplars[s.positions.length - 1] = token.exemplar;
        }
        return true;
      }
    }
  }

  parse(input: string): MetricFamily[] {
    const om = this.syntax === 'openmetrics';
    let sawEof = false;
    let start = 0;
    while (start < input.length) {
      let end = input.indexOf('\n', start);
      if (end < 0) end = input.length;
      const line = input.slice(start, end);
      start = end + 1;
      this.line++;
      if (sawEof) this.fail('unexpected data after # EOF');
      try {
        this.parseLine(line, om);
      } catch (e) {
        if (e instanceof LexError) this.fail(e.message);
        throw e;
      }
      if (om && line === '# EOF') sawEof = true;
    }
    if (om && !sawEof) this.fail('data does not end with # EOF');
    return this.build();
  }

  parseLine(line: string, om: boolean): void {
    const first = line.charCodeAt(0);
    if (first === 0x23 /* # */) {
      if (om && line === '# EOF') return;
      this.metadata(line);
      return;
    }
    if (!om && /^[ \t]*$/.test(line)) return;
    if (om && line === '') this.fail('blank lines are not allowed in OpenMetrics');
    if (!om && /^[ \t]+#/.test(line)) {
      this.metadata(line);
      return;
    }
    if (line.charCodeAt(line.length - 1) === 0x0d) this.fail('carriage return at end of line');
    this.sample(lexSample(line, this.syntax));
  }

  build(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const f of this.families.values()) {
      if (f.series.size === 0) continue;
      const type = f.type ?? 'untyped';
      if (f.unit !== '') {
        const base = type === 'counter' && f.name.endsWith('_total') ? f.name.slice(0, -6) : f.name;
        if (!base.endsWith(`_${f.unit}`))
          this.fail(`unit ${JSON.stringify(f.unit)} is not a suffix of ${f.name}`);
      }
      const name = f.total && this.syntax === 'openmetrics' ? `${f.name}_total` : f.name;
      const series: Series[] = [];
      for (const s of f.series.values()) series.push(buildSeries(type, s));
      out.push({ name, help: f.help, type, unit: f.unit, series });
    }
    return out;
  }
}

function common(s: SeriesBuilder): { labels: Label[]; timestampMs?: number; created?: number } {
  const out: { labels: Label[]; timestampMs?: number; created?: number } = { labels: s.labels };
  if (s.timestampMs !== undefined) out.timestampMs = s.timestampMs;
  if (s.created !== undefined) out.created = s.created;
  return out;
}

function buildSeries(type: MetricType, s: SeriesBuilder): Series {
  if (type === 'histogram' || type === 'gaugehistogram' || type === 'summary') {
    const positions = s.positions ?? [];
    const values = s.values ?? [];
    const order = positions.map((_, i) => i).sort((a, b) => positions[a] - positions[b]);
    const sortedPositions = order.map((i) => positions[i]);
    const sortedValues = order.map((i) => values[i]);
    const out: Record<string, unknown> = common(s);
    if (type === 'summary') {
      out.quantiles = sortedPositions;
      out.values = sortedValues;
    } else {
      out.upperBounds = sortedPositions;
      out.counts = sortedValues;
      if (s.exemplars !== undefined) out.exemplars = order.map((i) => s.exemplars![i]);
    }
    if (s.sum !== undefined) out.sum = s.sum;
    if (s.count !== undefined) out.count = s.count;
    return out as unknown as HistogramSeries | SummarySeries;
  }
  const out: Record<string, unknown> = common(s);
  out.value = s.value ?? Number.NaN;
  if (s.exemplar !== undefined) out.exemplar = s.exemplar;
  return out as unknown as ScalarSeries;
}

/** Parses an exposition into families, in order of first appearance. */
export function parseExposition(input: string, options: ParseOptions = {}): MetricFamily[] {
  if (typeof input !== 'string') throw new ExpositionParseError(0, 'input must be a string');
  return new Parser(options.syntax ?? 'text', options).parse(input);
}
