/**
 * Exposition integrity: generated metric names, HELP texts and label values (quotes, backslashes, line
 * breaks, control characters, text that looks like exposition lines, lone surrogates, very long strings)
 * go through create → record → scrape (UTF-8 bytes, as `/metrics` sends them) in text 0.0.4 and
 * OpenMetrics. An independent model of what was recorded says what every scrape must parse back to, and
 * which sample lines it may hold: a value can never add a line, a series or a family. Whatever the core
 * refuses (bad names, empty HELP, lone surrogates, conflicting registrations) is refused with its typed
 * error and leaves nothing behind.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Counter, CounterVec, IntCounter, IntCounterVec } from '../../src/core/counter.js';
import {
  AlreadyRegisteredError,
  InvalidMetricOptionsError,
  InvalidNameError,
  InvalidValueError,
  RegistrationConflictError,
} from '../../src/core/errors.js';
import { Gauge, GaugeVec, IntGauge, IntGaugeVec } from '../../src/core/gauge.js';
import { Histogram, HistogramVec } from '../../src/core/histogram.js';
import type { Metric } from '../../src/core/metric.js';
import type { MetricFamily } from '../../src/core/model.js';
import { Registry } from '../../src/core/registry.js';
import { isWellFormed } from '../../src/core/validate.js';
import {
  type ExpositionFormat,
  OPENMETRICS_FORMAT,
  TEXT_FORMAT,
  writeExpositionBytes,
} from '../../src/expfmt/format.js';
import { parseExposition } from '../../src/expfmt/parser.js';
import { scaled, timeoutMs } from './helpers/budget.js';
import {
  type CreatedMetric,
  type ExpectedFamily,
  ExpositionModel,
  type Operation,
} from './helpers/exposition-model.js';
import { recordFigures } from './helpers/figures.js';

// ---------------------------------------------------------------------------------------------------------
// What the fuzz creates.

type KindName =
  | 'Counter'
  | 'IntCounter'
  | 'CounterVec'
  | 'IntCounterVec'
  | 'Gauge'
  | 'IntGauge'
  | 'GaugeVec'
  | 'IntGaugeVec'
  | 'Histogram'
  | 'HistogramVec';

type MetricClass = new (options: never) => Metric;

const KINDS: Readonly<Record<KindName, { ctor: MetricClass; vec: boolean; operation: Operation }>> = {
  Counter: { ctor: Counter as MetricClass, vec: false, operation: 'inc' },
  IntCounter: { ctor: IntCounter as MetricClass, vec: false, operation: 'intInc' },
  CounterVec: { ctor: CounterVec as MetricClass, vec: true, operation: 'inc' },
  IntCounterVec: { ctor: IntCounterVec as MetricClass, vec: true, operation: 'intInc' },
  Gauge: { ctor: Gauge as MetricClass, vec: false, operation: 'set' },
  IntGauge: { ctor: IntGauge as MetricClass, vec: false, operation: 'intSet' },
  GaugeVec: { ctor: GaugeVec as MetricClass, vec: true, operation: 'set' },
  IntGaugeVec: { ctor: IntGaugeVec as MetricClass, vec: true, operation: 'intSet' },
  Histogram: { ctor: Histogram as MetricClass, vec: false, operation: 'observe' },
  HistogramVec: { ctor: HistogramVec as MetricClass, vec: true, operation: 'observe' },
};

interface MetricPlan extends CreatedMetric {
  readonly kind: KindName;
}

interface RecordPlan {
  /** Index into the metrics that were accepted (modulo their number). */
  readonly metric: number;
  readonly values: readonly string[];
  readonly amount: number;
  readonly intAmount: number;
  readonly gaugeValue: number;
  readonly observation: number;
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

/** Characters and pieces that break naive writers: escapes, line breaks, controls, fake exposition text. */
const TRICKY = [
  '\\',
  '"',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  '{',
  '}',
  ',',
  '=',
  '#',
  ' ',
  'é',
  '模型',
  '😀',
  '\\n',
  '\\"',
  '\\\\',
  '# EOF',
  '"} 1\nfake_total{a="b"} 1\n',
  '\n# TYPE fake counter\nfake 1\n',
  '",injected="1',
];
/** Any code point (surrogate pairs only as pairs), or a tricky piece. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
);
const shortText = fc.string({ unit: piece, maxLength: 12 });
/** 2 KB to 20 KB (100 KB in the soak). */
const longText = fc
  .tuple(
    fc.string({ unit: piece, minLength: 1, maxLength: 8 }),
    fc.integer({ min: 2_000, max: scaled(20_000, 100_000) }),
  )
  .map(([p, length]) => p.repeat(Math.ceil(length / p.length)).slice(0, length))
  .filter(isWellFormed);
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const withLoneSurrogate = fc
  .tuple(shortText, fc.constantFrom(...LONE_SURROGATES), shortText)
  .map(([a, s, b]) => a + s + b);
const text = fc.oneof({ weight: 40, arbitrary: shortText }, { weight: 1, arbitrary: longText });

const labelValue = fc.oneof(
  { weight: 40, arbitrary: text },
  { weight: 10, arbitrary: fc.constantFrom('', 'a', 'b') },
  { weight: 1, arbitrary: withLoneSurrogate },
);
const help = fc.oneof(
  { weight: 40, arbitrary: text.filter((h) => h !== '') },
  { weight: 1, arbitrary: withLoneSurrogate },
  { weight: 1, arbitrary: fc.constant('') },
);

const VALID_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const metricName = fc.oneof(
  { weight: 20, arbitrary: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/) },
  // A small pool, so registrations collide and OpenMetrics suffix rules are exercised.
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      'jobs',
      'jobs_total',
      'x',
      'x_bucket',
      'x_count',
      '_total',
      ':_total',
      'a:b_total',
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z_]{1,8}$/).map((n) => n + '_x'.repeat(1000)) },
  { weight: 2, arbitrary: fc.constantFrom('', '1abc', 'a-b', 'a b', 'a{b}', 'é', 'a"b', 'a\nb', 'x\ud800') },
  { weight: 1, arbitrary: text.filter((n) => !VALID_NAME.test(n)) },
);
const labelName = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('__name__', '__x', 'le', 'quantile', '1a', 'a-b', '', 'é', 'a:b') },
);

const metricPlan: fc.Arbitrary<MetricPlan> = fc
  .record({
    kind: fc.constantFrom(...(Object.keys(KINDS) as KindName[])),
    name: metricName,
    help,
    labelNames: fc.array(labelName, { minLength: 1, maxLength: 3 }),
    constLabels: fc.array(fc.tuple(labelName, labelValue), { maxLength: 2 }),
  })
  .map(({ kind, labelNames, constLabels, ...rest }) => ({
    ...rest,
    kind,
    labelNames: KINDS[kind].vec ? labelNames : [],
    constLabels: Object.fromEntries(constLabels),
  }));

const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324),
);
const recordPlan: fc.Arbitrary<RecordPlan> = fc.record({
  metric: fc.nat(),
  values: fc.array(labelValue, { minLength: 3, maxLength: 3 }),
  amount: fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 100 })),
  intAmount: fc.integer({ min: 0, max: 1_000_000 }),
  gaugeValue: anyNumber,
  observation: fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constantFrom(0.005, 0.1, 1, 10, 11),
  ),
});

// ---------------------------------------------------------------------------------------------------------
// The rules the core enforces at creation, in the order it checks them.

type ErrorClass =
  | typeof InvalidNameError
  | typeof InvalidValueError
  | typeof InvalidMetricOptionsError
  | undefined;

function labelNameProblem(name: string, histogram: boolean, seen: Set<string>): boolean {
  const bad =
    !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ||
    name.startsWith('__') ||
    (histogram && name === 'le') ||
    seen.has(name);
  seen.add(name);
  return bad;
}

/** The error creating this metric must throw, or undefined when the options are valid. */
function creationError(plan: MetricPlan): ErrorClass {
  if (!VALID_NAME.test(plan.name)) return InvalidNameError;
  if (!isWellFormed(plan.help)) return InvalidValueError;
  if (plan.help === '') return InvalidMetricOptionsError;
  const histogram = plan.kind.startsWith('Histogram');
  const seen = new Set<string>();
  if (plan.labelNames.some((n) => labelNameProblem(n, histogram, seen))) return InvalidNameError;
  for (const [name, value] of Object.entries(plan.constLabels)) {
    if (labelNameProblem(name, histogram, seen)) return InvalidNameError;
    if (!isWellFormed(value)) return InvalidValueError;
  }
  return undefined;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The property.

const tally = {
  runs: 0,
  metricsCreated: 0,
  creationsRefused: 0,
  records: 0,
  recordsRefused: 0,
  seriesChecked: 0,
};

/** Families as plain data, sorted, so they compare with the model's expectation. */
function plain(families: readonly MetricFamily[]): ExpectedFamily[] {
  return families
    .map((f) => ({
      name: f.name,
      help: f.help,
      type: f.type,
      series: f.series
        .map((s) => {
          const out: Record<string, unknown> = { labels: s.labels.map((l) => ({ ...l })) };
          if ('upperBounds' in s) {
            out.upperBounds = Array.from(s.upperBounds);
            out.counts = Array.from(s.counts);
            out.sum = num(s.sum ?? 0);
            out.count = s.count;
          } else out.value = num((s as { value: number }).value);
          return out as unknown as ExpectedFamily['series'][number];
        })
        .sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1)),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** -0 is written as 0 in both formats. */
const num = (x: number): number => (x === 0 ? 0 : x);

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function scrapeAndCheck(registry: Registry, model: ExpositionModel, format: ExpositionFormat) {
  const body = utf8.decode(await writeExpositionBytes(registry.gather(), format));
  expect(plain(parseExposition(body, { syntax: format.name }))).toEqual(model.expected(format));
  // Independently of the parser: every line is metadata or a sample of a recorded family, and there are
  // exactly as many sample lines as recorded samples.
  const lines = body.split('\n');
  expect(lines.pop()).toBe('');
  if (format.name === 'openmetrics') expect(lines.pop()).toBe('# EOF');
  const names = model.sampleNames();
  const samples = lines.filter((l) => !l.startsWith('# HELP ') && !l.startsWith('# TYPE '));
  expect(samples.filter((line) => !names.has(line.slice(0, line.search(/[{ ]/))))).toEqual([]);
  expect(samples).toHaveLength(model.sampleCount());
}

async function fuzzCase(plans: readonly MetricPlan[], records: readonly RecordPlan[]): Promise<void> {
  tally.runs++;
  const registry = new Registry();
  const model = new ExpositionModel();
  const accepted: { metric: Metric; plan: MetricPlan }[] = [];
  for (const plan of plans) {
    const { ctor } = KINDS[plan.kind];
    const options = {
      name: plan.name,
      help: plan.help,
      labelNames: plan.labelNames,
      constLabels: plan.constLabels,
    };
    const expectedError = creationError(plan);
    const before = registry.metrics().length;
    const error = thrown(() => {
      const metric = registry.register(new ctor(options as never));
      accepted.push({ metric, plan });
      model.add(metric, plan, KINDS[plan.kind].operation);
    });
    if (error === undefined) {
      expect(expectedError).toBeUndefined();
      tally.metricsCreated++;
      continue;
    }
    tally.creationsRefused++;
    if (expectedError !== undefined) {
      expect(error).toBeInstanceOf(expectedError);
      // The message names the metric (or, for a bad name, the name itself).
      expect((error as Error).message).toContain(JSON.stringify(plan.name).slice(0, 40));
    } else {
      expect(error instanceof AlreadyRegisteredError || error instanceof RegistrationConflictError).toBe(
        true,
      );
    }
    expect(registry.metrics()).toHaveLength(before);
  }
  for (const r of records) {
    if (accepted.length === 0) break;
    const { metric, plan } = accepted[r.metric % accepted.length];
    const values = r.values.slice(0, plan.labelNames.length);
    const seriesBefore = metric.seriesCount;
    const error = thrown(() => model.record(metric, values, r));
    if (values.every(isWellFormed)) {
      expect(error).toBeUndefined();
      tally.records++;
    } else {
      expect(error).toBeInstanceOf(InvalidValueError);
      expect((error as Error).message).toContain('lone UTF-16 surrogate');
      expect(metric.seriesCount).toBe(seriesBefore);
      tally.recordsRefused++;
    }
  }
  tally.seriesChecked += 2 * model.seriesCount();
  await scrapeAndCheck(registry, model, TEXT_FORMAT);
  await scrapeAndCheck(registry, model, OPENMETRICS_FORMAT);
}

describe('exposition integrity', () => {
  // A case is one generated metric (name, HELP, label names and const labels) or one recording (label
  // values and a value), accepted or refused, each scraped in both formats.
  afterAll(() =>
    recordFigures('exposition-fuzz', {
      ...tally,
      cases: tally.metricsCreated + tally.creationsRefused + tally.records + tally.recordsRefused,
    }),
  );

  it(
    'scrapes back exactly what was recorded, in both formats, whatever the names, HELP and label values',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(metricPlan, { minLength: 1, maxLength: 5 }),
          fc.array(recordPlan, { minLength: 10, maxLength: 40 }),
          fuzzCase,
        ),
        { numRuns: scaled(2000, 40_000) },
      );
    },
    timeoutMs(60_000),
  );

  it('refuses a lone surrogate anywhere with a clear error, recording nothing', () => {
    const registry = new Registry();
    expect(() => registry.register(new Counter({ name: 'c_total', help: 'bad \ud800 help' }))).toThrow(
      'metric "c_total": HELP "bad \\ud800 help" contains a lone UTF-16 surrogate and cannot be encoded as UTF-8',
    );
    expect(() =>
      registry.register(new Counter({ name: 'c_total', help: 'C.', constLabels: { zone: '\udfff' } })),
    ).toThrow(InvalidValueError);
    const vec = registry.register(new CounterVec({ name: 'c_total', help: 'C.', labelNames: ['model'] }));
    expect(() => vec.labels('llama\ud83d').inc()).toThrow(
      'metric "c_total": value of label "model" "llama\\ud83d" contains a lone UTF-16 surrogate',
    );
    expect(() => vec.labels({ model: '\udc00' })).toThrow(InvalidValueError);
    expect(vec.seriesCount).toBe(0);
    expect(registry.metrics()).toEqual([vec]);
    expect(registry.gather()).toEqual([]);
  });
});
