/**
 * The function signatures of the supported PromQL subset, and the names of every other function Prometheus
 * 2.42 knows. A known-but-unsupported name fails with a "not supported" error naming it; a name 2.42 does
 * not know fails as Prometheus fails (`unknown function with name "…"`), even where the grammar package,
 * which follows newer Prometheus versions, knows it.
 */
import type { ValueType } from './ast.js';

export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  readonly returnType: ValueType;
}

function def(name: string, argTypes: readonly ValueType[], returnType: ValueType = 'vector'): FunctionDef {
  return Object.freeze({ name, argTypes: Object.freeze(argTypes), returnType });
}

/** Functions over a range vector, evaluated per series and step. */
export const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
] as const;

export type RangeFunctionName = (typeof RANGE_FUNCTIONS)[number];

export const SUPPORTED_FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  [
    ...RANGE_FUNCTIONS.map((name) => def(name, ['matrix'])),
    def('abs', ['vector']),
    def('clamp_min', ['vector', 'scalar']),
    def('clamp_max', ['vector', 'scalar']),
    def('histogram_quantile', ['scalar', 'vector']),
    def('vector', ['scalar']),
    def('scalar', ['vector'], 'scalar'),
    def('time', [], 'scalar'),
  ].map((f) => [f.name, f]),
);

/** Every other function name Prometheus 2.42 accepts. */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'absent',
  'absent_over_time',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'ceil',
  'changes',
  'clamp',
  'cos',
  'cosh',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'deg',
  'deriv',
  'exp',
  'floor',
  'histogram_count',
  'histogram_fraction',
  'histogram_sum',
  'holt_winters',
  'hour',
  'label_join',
  'label_replace',
  'ln',
  'log10',
  'log2',
  'minute',
  'month',
  'pi',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rad',
  'resets',
  'round',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_desc',
  'sqrt',
  'stddev_over_time',
  'stdvar_over_time',
  'tan',
  'tanh',
  'timestamp',
  'year',
]);

/** Aggregation operators of 2.42 that this engine does not implement. */
export const UNSUPPORTED_AGGREGATIONS: ReadonlySet<string> = new Set([
  'group',
  'stddev',
  'stdvar',
  'count_values',
  'quantile',
]);
