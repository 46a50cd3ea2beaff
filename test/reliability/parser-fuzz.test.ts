/**
 * The exposition parser on hostile input: windows of real engine expositions (vLLM, SGLang, TRT-LLM,
 * LMCache) and of our own, mutated byte by byte and line by line, and random bytes decoded the way a scrape
 * decodes them. Every input parses or fails with an ExpositionParseError that names a line of the input
 * in a message of bounded length; none takes long. Then time per byte at growing sizes of a realistic
 * exposition: linear growth keeps it flat.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CounterVec, GaugeVec, HistogramVec } from '../../src/core/index.js';
import {
  type ExpositionFormat,
  OPENMETRICS_FORMAT,
  TEXT_FORMAT,
  writeExposition,
} from '../../src/expfmt/format.js';
import { ExpositionParseError, type ExpositionSyntax, parseExposition } from '../../src/expfmt/parser.js';
import { AWKWARD, HIERARCHY_LABELS, sampleRegistry } from '../helpers/sample-registry.js';
import { SOAK, scaled, timeoutMs } from './helpers/budget.js';
import { ms, recordFigures } from './helpers/figures.js';

/** Longest a single parse of a fuzz input (at most a few hundred KB) may take; measured under 20 ms. */
const PARSE_BOUND_MS = 1000;
/** Longest message an error may have, whatever the input: offending text is quoted cut short. */
const MESSAGE_BOUND = 400;
/** Time per byte of the largest input over that of the 256 KiB one; linear parsing measures about 1–1.5. */
const RATIO_BOUND = 3;

interface Seed {
  readonly lines: readonly string[];
  readonly syntax: ExpositionSyntax;
}

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/engines/${name}`, import.meta.url), 'utf8');
}

const SEEDS: readonly Seed[] = [
  ...['vllm.txt', 'sglang.txt', 'trtllm.txt', 'lmcache.txt'].map((f) => ({
    text: fixture(f),
    syntax: 'text' as const,
  })),
  { text: fixture('vllm-openmetrics.txt'), syntax: 'openmetrics' as const },
  { text: writeExposition(sampleRegistry().gather(), TEXT_FORMAT), syntax: 'text' as const },
  { text: writeExposition(sampleRegistry().gather(), OPENMETRICS_FORMAT), syntax: 'openmetrics' as const },
].map(({ text, syntax }) => ({ lines: text.replace(/# EOF\n$/, '').split('\n'), syntax }));

/** Up to 200 consecutive lines of a seed, with `# EOF` when the seed is OpenMetrics. */
const window = fc
  .record({ seed: fc.nat(SEEDS.length - 1), start: fc.nat(), lines: fc.integer({ min: 1, max: 200 }) })
  .map(({ seed, start, lines }) => {
    const s = SEEDS[seed];
    const from = start % s.lines.length;
    const body = `${s.lines.slice(from, from + lines).join('\n')}\n`;
    return { text: s.syntax === 'openmetrics' ? `${body}# EOF\n` : body, syntax: s.syntax };
  });

/** Text that means something to the lexer. */
const TOKENS = [
  '{',
  '}',
  '"',
  '\\',
  '\n',
  '\r\n',
  ' ',
  '\t',
  ',',
  '=',
  '# EOF\n',
  '# TYPE x histogram\n',
  '# HELP x \\',
  '# UNIT x seconds\n',
  'le="',
  'quantile="0.5"',
  '+Inf',
  '-Inf',
  'NaN',
  '1e309',
  '0x1p-2',
  ' # {a="b"} 1 1\n',
  '_total',
  '_bucket',
  '_created',
  '\ud800',
  '\u0000',
  '😀',
];

const mutation = fc.oneof(
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 8 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    op: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 256 }),
    times: fc.integer({ min: 2, max: 100 }),
  }),
  fc.record({ op: fc.constant('splice' as const), at: fc.nat(), other: fc.nat(), otherAt: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.constant({ op: 'crlf' as const }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function apply(text: string, m: Mutation): string {
  if (m.op === 'crlf') return text.replaceAll('\n', '\r\n');
  const at = m.at % (text.length + 1);
  switch (m.op) {
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.text.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'repeat':
      return text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    case 'splice': {
      const other = SEEDS[m.other % SEEDS.length].lines.join('\n');
      return text.slice(0, at) + other.slice(m.otherAt % (other.length + 1));
    }
  }
}

const tally = { cases: 0, parsed: 0, rejected: 0, longestParseMs: 0, longestMessage: 0 };

/** Parses `input`; anything thrown but an ExpositionParseError, a bad line number or a slow parse fails. */
function parseHostile(input: string, syntax: ExpositionSyntax): void {
  tally.cases++;
  const started = performance.now();
  try {
    parseExposition(input, { syntax });
    tally.parsed++;
  } catch (e) {
    if (!(e instanceof ExpositionParseError)) throw e;
    tally.rejected++;
    const lines = input.split('\n').length;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines + 1);
    expect(e.message).toBe(`exposition line ${e.line}: ${e.reason}`);
    tally.longestMessage = Math.max(tally.longestMessage, e.message.length);
    expect(e.message.length).toBeLessThan(MESSAGE_BOUND);
  }
  const elapsed = performance.now() - started;
  tally.longestParseMs = Math.max(tally.longestParseMs, elapsed);
  expect(elapsed).toBeLessThan(PARSE_BOUND_MS);
}

const syntax = fc.constantFrom<ExpositionSyntax>('text', 'openmetrics');

describe('the parser on hostile input', () => {
  afterAll(() => recordFigures('parser-fuzz', { ...tally, longestParseMs: ms(tally.longestParseMs) }));

  it(
    'parses or rejects mutated real expositions with an ExpositionParseError, in either syntax',
    () => {
      fc.assert(
        fc.property(window, fc.array(mutation, { minLength: 1, maxLength: 6 }), syntax, (w, ms, other) => {
          const input = ms.reduce(apply, w.text);
          parseHostile(input, w.syntax);
          parseHostile(input, other);
        }),
        { numRuns: scaled(3000, 150_000) },
      );
    },
    timeoutMs(60_000),
  );

  it(
    'parses or rejects random bytes, decoded as a scrape decodes them',
    () => {
      const utf8 = new TextDecoder('utf-8');
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2048 }), syntax, (bytes, syn) => {
          parseHostile(utf8.decode(bytes), syn);
        }),
        { numRuns: scaled(2000, 100_000) },
      );
    },
    timeoutMs(60_000),
  );
});

// ---------------------------------------------------------------------------------------------------------
// Time per byte.

/**
 * A realistic exposition of at least `bytes` bytes: the shared sample registry (every metric type, the four
 * hierarchy labels, awkward label values) grown with counter, gauge and histogram series.
 */
function realisticExposition(bytes: number, format: ExpositionFormat): string {
  const registry = sampleRegistry();
  const requests = registry.get('sample_requests_total', HIERARCHY_LABELS) as CounterVec;
  const ttft = registry.get('sample_ttft_seconds', HIERARCHY_LABELS) as HistogramVec;
  const usage = registry.get('sample_cache_usage_ratio') as GaugeVec;
  // One counter, one gauge and one histogram series are about 1 KB of text.
  const units = Math.ceil(bytes / 1000);
  for (let i = 0; i < units; i++) {
    const model = i % 7 === 0 ? `${AWKWARD} ${i}` : `model-${i}`;
    requests.labels(model, i % 3 === 0 ? 'error' : 'success').inc(i * 1.5);
    usage.labels(model).set(i / units);
    ttft.labels(model).observe((i % 100) / 100);
  }
  return writeExposition(registry.gather(), format);
}

/** Best of several parses, so a GC pause or a tier-up does not count. */
function bestParseMs(input: string, syn: ExpositionSyntax, runs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    parseExposition(input, { syntax: syn });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const KIB = 1024;
const SIZES = SOAK ? [64 * KIB, 256 * KIB, 1024 * KIB, 4096 * KIB, 16_384 * KIB] : [256 * KIB, 4096 * KIB];

describe('parsing time', () => {
  it.each([TEXT_FORMAT, OPENMETRICS_FORMAT])(
    'grows linearly with the size of a realistic exposition in $name',
    (format) => {
      const perByte: Record<string, number> = {};
      let base = 0;
      let largest = 0;
      for (const size of SIZES) {
        const input = realisticExposition(size, format);
        bestParseMs(input, format.name, 2); // warm-up
        const nsPerByte = (bestParseMs(input, format.name, 5) * 1e6) / input.length;
        perByte[`${Math.round(size / KIB)}KiB`] = Math.round(nsPerByte * 100) / 100;
        if (size === 256 * KIB) base = nsPerByte;
        largest = nsPerByte;
      }
      recordFigures(`parser-time.${format.name}`, { ...perByte, unit: 'ns per byte (best of 5)' });
      expect(largest).toBeLessThan(RATIO_BOUND * base);
    },
    timeoutMs(60_000),
  );
});
