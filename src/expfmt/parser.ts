/**
 * The exposition parser: text format 0.0.4 or OpenMetrics 1.0 into the family model.
 *
 * It accepts what Prometheus 2.42's scraper accepts (blank lines, whitespace between tokens, a trailing
 * comma, a TYPE after samples that fit it, a repeated HELP or TYPE where the last one wins, interleaved
 * families, a missing final newline, unknown escapes kept as written) and fails, with the line and the
 * reason, where the scraper fails: bad names, duplicate labels, bad numbers or timestamps, unknown types,
 * exemplars where 2.42 takes none, OpenMetrics without `# EOF`. A series seen twice keeps its first value,
 * as Prometheus does. A few inputs that 2.42 stores as loose series but the family model cannot hold (a
 * bucket without a numeric `le`, a TYPE that does not fit the samples already read) are errors too.
 *
 * Input is untrusted: nothing in it can make the parser throw anything but {@link ExpositionParseError},
 * and the work is linear in its size. The lexer reads positions rather than substrings and the parser
 * remembers the last sample name and label text, so the lines of one histogram series cost no allocation
 * beyond their numbers.
 */
import { DynametricsError } from '../core/errors.js';
import type { Label, MetricFamily, MetricType } from '../core/model.js';
import { isWellFormed } from '../core/validate.js';
import { unescapeText } from './escape.js';
import { FamilyBuilder, positionLabel, type Role, SeriesBuilder, seriesKey } from './family-builder.js';
import { isBlank, isMetricChar, isMetricStart, LexError, SampleLexer, type Syntax, show } from './lexer.js';

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
  /**
   * Called for each later copy of a series already seen (or of one of its samples: a bucket, `_sum`,
   * `_count`, `_created`), with the family name as returned and the series' labels. The first copy is kept.
   */
  readonly onDuplicateSeries?: (family: string, labels: readonly Label[]) => void;
}

/** The syntax a `Content-Type` header announces: OpenMetrics for its media type, text otherwise. */
export function syntaxForContentType(contentType: string | undefined): Syntax {
  return /^\s*application\/openmetrics-text\s*(;|$)/i.test(contentType ?? '') ? 'openmetrics' : 'text';
}

const TEXT_TYPES: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  untyped: 'untyped',
};

const OPENMETRICS_TYPES: Readonly<Record<string, MetricType>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'gaugehistogram',
  summary: 'summary',
  info: 'info',
  stateset: 'stateset',
  unknown: 'untyped',
};

/** Prometheus 2.42 fails a scrape with an exemplar on a sample not named `..._total` or `..._bucket`. */
function takesExemplar(sampleName: string): boolean {
  return sampleName.endsWith('_total') || sampleName.endsWith('_bucket');
}

/** Where samples of one name go. */
interface Route {
  readonly name: string;
  readonly family: FamilyBuilder;
  readonly role: Role;
}

const HASH = 0x23;

class Parser {
  readonly om: boolean;
  readonly families = new Map<string, FamilyBuilder>();
  /**
   * Every series by family name and labels. One map for all families rather than one per family: an
   * exposition of many small families would otherwise pay for a map each.
   */
  readonly seriesIndex = new Map<string, SeriesBuilder>();
  readonly lexer: SampleLexer;
  line = 0;
  /** Set when the input has a lone surrogate: label values and HELP must then be checked one by one. */
  checkWellFormed = false;
  /** The route of the last sample name; consecutive samples usually share it. Metadata clears it. */
  lastRoute: Route | undefined = undefined;
  /**
   * The family and series of the last sample, with its label text before and after the `le`/`quantile`
   * pair: a sample with the same text belongs to the same series, without building its labels again.
   */
  lastFamily: FamilyBuilder | undefined = undefined;
  lastPrefix = '';
  lastSuffix = '';
  lastSeries: SeriesBuilder | undefined = undefined;

  constructor(
    readonly syntax: Syntax,
    readonly options: ParseOptions,
  ) {
    this.om = syntax === 'openmetrics';
    this.lexer = new SampleLexer(syntax);
  }

  fail(reason: string): never {
    throw new ExpositionParseError(this.line, reason);
  }

  family(name: string): FamilyBuilder {
    let f = this.families.get(name);
    if (f === undefined) {
      f = new FamilyBuilder(name, this.syntax);
      this.families.set(name, f);
    }
    return f;
  }

  parse(input: string): MetricFamily[] {
    const om = this.om;
    // Lone surrogates cannot come from decoded bytes, so this is nearly always false and costs one scan.
    this.checkWellFormed = this.lexer.checkWellFormed = !isWellFormed(input);
    const length = input.length;
    let sawEof = false;
    let pos = 0;
    try {
      while (pos < length) {
        let end = input.indexOf('\n', pos);
        if (end < 0) end = length;
        this.line++;
        if (sawEof) this.fail('unexpected data after # EOF');
        const c = input.charCodeAt(pos);
        if (c === HASH) {
          if (om && end - pos === 5 && input.startsWith('# EOF', pos)) sawEof = true;
          else this.metadata(input, pos, end);
        } else if (pos === end) {
          if (om) this.fail('blank lines are not allowed in OpenMetrics');
        } else if (!om && isBlank(c)) {
          this.indented(input, pos, end);
        } else {
          end = this.sample(input, pos, end);
        }
        pos = end + 1;
      }
    } catch (e) {
      if (e instanceof LexError) throw new ExpositionParseError(this.line + this.lexer.newlines, e.message);
      throw e;
    }
    if (om && !sawEof) {
      this.line = Math.max(this.line, 1);
      this.fail('data does not end with # EOF');
    }
    return this.build();
  }

  /** A text-format line starting with blanks: blank, a comment, or a sample (which 2.42 rejects). */
  indented(input: string, pos: number, end: number): void {
    let i = pos;
    while (i < end && isBlank(input.charCodeAt(i))) i++;
    if (i === end) return;
    if (input.charCodeAt(i) === HASH) this.metadata(input, i, end);
    else this.fail('unexpected whitespace before the metric name');
  }

  /** A line starting with `#`: HELP, TYPE or UNIT, `# EOF` or a comment. */
  metadata(input: string, pos: number, end: number): void {
    this.lastRoute = undefined;
    if (this.om) this.openMetricsMetadata(input, pos, end);
    else this.textMetadata(input, pos, end);
  }

  /**
   * `#`, blanks, `HELP` or `TYPE`, blanks, the name, one blank, the text, as 2.42 lexes it: anything else
   * is a comment. The text is taken whole after the one separator, so `# TYPE x  gauge` is the type
   * `" gauge"`, which 2.42 rejects as well.
   */
  textMetadata(input: string, pos: number, end: number): void {
    let i = pos + 1;
    if (!isBlank(input.charCodeAt(i))) return;
    while (isBlank(input.charCodeAt(i))) i++;
    const keyword = input.startsWith('HELP', i) ? 'HELP' : input.startsWith('TYPE', i) ? 'TYPE' : undefined;
    if (keyword === undefined) return;
    i += 4;
    if (i >= end || !isBlank(input.charCodeAt(i))) return;
    while (isBlank(input.charCodeAt(i))) i++;
    const nameStart = i;
    if (i >= end || !isMetricStart(input.charCodeAt(i)))
      this.fail(`expected a metric name after # ${keyword}`);
    while (i < end && isMetricChar(input.charCodeAt(i))) i++;
    const name = input.slice(nameStart, i);
    if (i < end && !isBlank(input.charCodeAt(i))) {
      this.fail(`expected whitespace after the metric name ${show(name)} in # ${keyword}`);
    }
    this.apply(keyword, name, i < end ? input.slice(i + 1, end) : '');
  }

  /** `# HELP name text`, `# TYPE name type`, `# UNIT name unit`, with single spaces; no other comment. */
  openMetricsMetadata(input: string, pos: number, end: number): void {
    const kw = pos + 2;
    if (input.charCodeAt(pos + 1) === 0x20 && input.startsWith('EOF', kw)) {
      this.fail('unexpected data after # EOF');
    }
    const keyword =
      input.charCodeAt(pos + 1) !== 0x20 || input.charCodeAt(kw + 4) !== 0x20
        ? undefined
        : input.startsWith('HELP', kw)
          ? 'HELP'
          : input.startsWith('TYPE', kw)
            ? 'TYPE'
            : input.startsWith('UNIT', kw)
              ? 'UNIT'
              : undefined;
    if (keyword === undefined) {
      this.fail(
        `unexpected comment ${show(input.slice(pos, end))}: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF`,
      );
    }
    let i = kw + 5;
    const nameStart = i;
    if (i >= end || !isMetricStart(input.charCodeAt(i)))
      this.fail(`expected a metric name after # ${keyword}`);
    while (i < end && isMetricChar(input.charCodeAt(i))) i++;
    const name = input.slice(nameStart, i);
    if (i === end) this.fail(`expected a space and the ${keyword} text after # ${keyword} ${show(name)}`);
    if (input.charCodeAt(i) !== 0x20) {
      this.fail(`expected a space after the metric name ${show(name)} in # ${keyword}`);
    }
    this.apply(keyword, name, input.slice(i + 1, end));
  }

  apply(keyword: 'HELP' | 'TYPE' | 'UNIT', name: string, text: string): void {
    const f = this.family(name);
    if (keyword === 'HELP') {
      if (this.checkWellFormed && !isWellFormed(text)) {
        this.fail(`the HELP text of ${show(name)} is not valid UTF-8: it holds a lone surrogate`);
      }
      f.help = unescapeText(text, this.om);
    } else if (keyword === 'TYPE') {
      const types = this.om ? OPENMETRICS_TYPES : TEXT_TYPES;
      const type = Object.hasOwn(types, text) ? types[text] : undefined;
      if (type === undefined) this.fail(`invalid metric type ${show(text)}`);
      if (f.type !== type) {
        // A later TYPE wins, as in 2.42, as long as the samples read so far keep their meaning under it.
        if (!f.fits(type)) this.fail(`TYPE ${text} for ${show(name)} does not fit the samples already seen`);
        f.setType(type);
      }
    } else {
      // As 2.42 checks it: on the UNIT line, against the name written there.
      if (
        text !== '' &&
        !(
          name.length > text.length &&
          name.endsWith(text) &&
          name.charCodeAt(name.length - text.length - 1) === 0x5f
        )
      ) {
        this.fail(`unit ${show(text)} is not a suffix of ${show(name)}`);
      }
      f.unit = text;
    }
  }

  /**
   * Finds the family and role of a sample name: its own family when that is typed or already has samples,
   * else the typed family its suffix points to, else its own untyped family. Keeping a name with its
   * earlier samples (`foo_total` read before `# TYPE foo counter`) makes a later copy a duplicate of the
   * same series, as it is in Prometheus, instead of a second family of the same name.
   */
  route(name: string): Route {
    const own = this.families.get(name);
    if (own !== undefined && (own.type !== undefined || own.series.length > 0)) {
      const role = own.roleOf(name);
      if (role !== undefined) return { name, family: own, role };
    }
    const cut = name.lastIndexOf('_');
    if (cut > 0) {
      const base = this.families.get(name.slice(0, cut));
      if (base !== undefined && base.type !== undefined) {
        const role = base.roleOf(name);
        if (role !== undefined) return { name, family: base, role };
      }
    }
    if (own !== undefined && own.type !== undefined) {
      this.fail(`sample ${show(name)} does not belong to ${own.type} ${show(name)}`);
    }
    return { name, family: own ?? this.family(name), role: 'value' };
  }

  /** Reads the sample line at `src[start, end)`; returns where it ended (later with a multi-line value). */
  sample(src: string, start: number, end: number): number {
    const lx = this.lexer;
    lx.lex(src, start, end);
    if (lx.newlines > 0) {
      this.line += lx.newlines;
      lx.newlines = 0;
    }
    let route = this.lastRoute;
    if (route === undefined || !lx.sameName) {
      route = this.route(src.slice(start, lx.nameEnd));
      this.lastRoute = route;
      lx.expectedName = route.name;
    }
    const { family: f, role } = route;
    if (lx.exemplar !== undefined && !takesExemplar(route.name)) {
      this.fail(
        `${show(route.name)} does not support exemplars: Prometheus 2.42 takes them only on samples named ..._total or ..._bucket`,
      );
    }
    let extra = -1;
    let position = 0;
    if (role === 'bucket' || role === 'quantile') {
      const label = role === 'bucket' ? 'le' : 'quantile';
      extra = lx.findPair(label);
      if (extra < 0) this.fail(`${show(route.name)} lacks the "${label}" label`);
      const p = lx.pairNumber(extra);
      if (p === undefined) this.fail(`invalid "${label}" value ${show(lx.pairValue(extra))}`);
      position = p;
    }
    const s = this.seriesOf(route, extra);
    f.took(route.name, role);
    if (s.add(role, position, lx.value, lx.exemplar)) {
      if (s.timestampMs === undefined && lx.timestampMs !== undefined) s.timestampMs = lx.timestampMs;
    } else {
      this.options.onDuplicateSeries?.(f.modelName, s.labels);
    }
    return lx.end;
  }

  /** The series of the sample just lexed, found by its label text (without the `le`/`quantile` pair). */
  seriesOf(route: Route, extra: number): SeriesBuilder {
    const lx = this.lexer;
    const src = lx.src;
    const f = route.family;
    let from = 0;
    let to = 0;
    let cutStart = 0;
    let cutEnd = 0;
    if (lx.open >= 0) {
      from = lx.open + 1;
      to = lx.close;
      cutStart = extra >= 0 ? lx.pairStart(extra) : to;
      cutEnd = extra >= 0 ? lx.pairEnd(extra) : to;
    }
    const prefix = this.lastPrefix;
    const suffix = this.lastSuffix;
    if (
      f === this.lastFamily &&
      cutStart - from === prefix.length &&
      to - cutEnd === suffix.length &&
      src.startsWith(prefix, from) &&
      src.startsWith(suffix, cutEnd)
    ) {
      // The same text as the last sample's, which was checked then.
      return this.lastSeries!;
    }
    const labels = lx.labels(0, lx.pairCount);
    const reserved = positionLabel(f.type);
    if (reserved !== undefined) {
      const at = labels.findIndex((l) => l.name === reserved);
      if (extra >= 0) labels.splice(at, 1);
      else if (at >= 0) {
        this.fail(
          `${show(route.name)} has an "${reserved}" label, which belongs only on the ${route.family.type} samples that it positions`,
        );
      }
    }
    const key = seriesKey(f.name, labels);
    let s = this.seriesIndex.get(key);
    if (s === undefined) {
      s = new SeriesBuilder(labels);
      this.seriesIndex.set(key, s);
      f.series.push(s);
    }
    this.lastFamily = f;
    this.lastPrefix = src.slice(from, cutStart);
    this.lastSuffix = src.slice(cutEnd, to);
    this.lastSeries = s;
    return s;
  }

  build(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const f of this.families.values()) {
      const family = f.build();
      if (family !== undefined) out.push(family);
    }
    return out;
  }
}

/**
 * Objects of every shape the parser builds, replaced after each parse. V8 keeps the hidden class of a kind
 * of object only while one such object lives (and for two full collections after); once every object of
 * the last parse has been collected, the optimised parser code built on those classes is thrown away, and
 * the next parse runs unoptimised until V8 optimises it again: a 1 MB exposition took 3 to 5 times longer.
 * A worker scraped every few seconds, which collects garbage from other work in between, would meet that
 * on most scrapes. Kept: an empty parser (with its lexer) and builders, and the first series of each
 * family of the last result, the shapes of output series; a few objects per family, never the input.
 */
const keptShapes: { objects: readonly object[] } = { objects: [] };

function keepShapes(syntax: Syntax, families: readonly MetricFamily[]): void {
  const kept: object[] = [new Parser(syntax, {}), new FamilyBuilder('', syntax), new SeriesBuilder([])];
  for (const f of families) kept.push(f.series[0]);
  keptShapes.objects = kept;
}

/** Parses an exposition into families, in order of first appearance. */
export function parseExposition(input: string, options: ParseOptions = {}): MetricFamily[] {
  if (typeof input !== 'string') throw new ExpositionParseError(0, 'input must be a string');
  const syntax = options.syntax ?? 'text';
  let families: MetricFamily[] = [];
  try {
    families = new Parser(syntax, options).parse(input);
    return families;
  } finally {
    keepShapes(syntax, families);
  }
}
