/**
 * The lints of `promtool check metrics` as Prometheus 2.42 runs them (client_golang 1.14's promlint), with
 * the same messages, so a finding here is one promtool reports too: missing HELP, non-base and abbreviated
 * units, `_total` on counters and only on counters, histogram and summary suffixes and labels on other
 * types, a type name inside the metric name (every type, as 1.14 checks), colons and camelCase.
 *
 * Two differences, both deliberate: an exact repeat (a camelCase label on every series) is reported once,
 * and OpenMetrics input is linted too (promtool reads only the text format), its types mapped to the
 * nearest text type.
 */
import type { MetricFamily, MetricType } from '../core/model.js';
import type { Problem } from './problem.js';

/** Units and the base unit each should be expressed in (client_golang promlint's table). */
const UNITS: Readonly<Record<string, string>> = {
  amperes: 'amperes',
  bytes: 'bytes',
  celsius: 'celsius',
  grams: 'grams',
  joules: 'joules',
  kelvin: 'kelvin',
  meters: 'meters',
  metres: 'metres',
  seconds: 'seconds',
  volts: 'volts',
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
  kelvins: 'kelvin',
  fahrenheit: 'celsius',
  rankine: 'celsius',
  inches: 'meters',
  yards: 'meters',
  miles: 'meters',
  bits: 'bytes',
  calories: 'joules',
  pounds: 'grams',
  ounces: 'grams',
};

const UNIT_PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'deca',
  'hecto',
  'kilo',
  'kibi',
  'mega',
  'mibi',
  'giga',
  'gibi',
  'tera',
  'tebi',
  'peta',
  'pebi',
];

const UNIT_ABBREVIATIONS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];

/** The type names 1.14 looks for in every metric name, whatever the family's own type. */
const TYPE_NAMES = ['counter', 'gauge', 'summary', 'histogram', 'gauge_histogram'];

const CAMEL_CASE = /[a-z][A-Z]/;

/** The protobuf type promlint sees for a family of this type. */
type LintType = 'counter' | 'gauge' | 'summary' | 'histogram' | 'gauge_histogram' | 'untyped';

function lintType(type: MetricType): LintType {
  switch (type) {
    case 'gaugehistogram':
      return 'gauge_histogram';
    case 'info':
    case 'stateset':
      return 'gauge';
    default:
      return type;
  }
}

/** The first `_`-separated part of the name that is a unit, possibly with an SI or binary prefix. */
function metricUnit(name: string): { unit: string; base: string } | undefined {
  for (const part of name.split('_')) {
    if (Object.hasOwn(UNITS, part)) return { unit: part, base: UNITS[part] };
    for (const prefix of UNIT_PREFIXES) {
      const rest = part.slice(prefix.length);
      if (part.startsWith(prefix) && Object.hasOwn(UNITS, rest)) return { unit: part, base: UNITS[rest] };
    }
  }
  return undefined;
}

function hasPart(name: string, part: string): boolean {
  return name.includes(`_${part}_`) || name.endsWith(`_${part}`);
}

/** Every promlint problem of one family. */
export function promlint(family: MetricFamily): Problem[] {
  const { name } = family;
  const type = lintType(family.type);
  const problems: Problem[] = [];
  const add = (rule: string, message: string) =>
    problems.push({ metric: name, rule, group: 'promlint', message });
  const labelNames = new Set<string>();
  for (const s of family.series) for (const l of s.labels) labelNames.add(l.name);

  if (family.help === '') add('help', 'no help text');
  const unit = metricUnit(name);
  if (unit !== undefined && unit.unit !== unit.base) {
    add('base-unit', `use base unit "${unit.base}" instead of "${unit.unit}"`);
  }
  const total = name.endsWith('_total');
  if (type === 'counter' && !total) add('counter-total', 'counter metrics should have "_total" suffix');
  else if (type !== 'untyped' && type !== 'counter' && total) {
    add('non-counter-total', 'non-counter metrics should not have "_total" suffix');
  }
  if (type !== 'untyped') {
    const histogram = type === 'histogram';
    const summary = type === 'summary';
    if (!histogram && name.endsWith('_bucket')) {
      add('reserved-suffix', 'non-histogram metrics should not have "_bucket" suffix');
    }
    if (!histogram && !summary && name.endsWith('_count')) {
      add('reserved-suffix', 'non-histogram and non-summary metrics should not have "_count" suffix');
    }
    if (!histogram && !summary && name.endsWith('_sum')) {
      add('reserved-suffix', 'non-histogram and non-summary metrics should not have "_sum" suffix');
    }
    if (!histogram && labelNames.has('le')) {
      add('reserved-label', 'non-histogram metrics should not have "le" label');
    }
    if (!summary && labelNames.has('quantile')) {
      add('reserved-label', 'non-summary metrics should not have "quantile" label');
    }
  }
  const lower = name.toLowerCase();
  for (const t of TYPE_NAMES) {
    if (hasPart(lower, t)) add('type-in-name', `metric name should not include type '${t}'`);
  }
  if (name.includes(':')) add('colon', "metric names should not contain ':'");
  if (CAMEL_CASE.test(name))
    add('camel-case', "metric names should be written in 'snake_case' not 'camelCase'");
  if ([...labelNames].some((l) => CAMEL_CASE.test(l))) {
    add('camel-case', "label names should be written in 'snake_case' not 'camelCase'");
  }
  for (const abbreviation of UNIT_ABBREVIATIONS) {
    if (hasPart(lower, abbreviation))
      add('abbreviated-unit', 'metric names should not contain abbreviated units');
  }
  return problems;
}
