/**
 * Evaluating selectors and the functions that take a range vector.
 *
 * Instant vector selector at T: the newest sample with `t ≤ T − offset`, kept when `t ≥ T − offset − 5m`
 * (2.42's closed lookback) and not a staleness marker; the result carries the series' labels including
 * the name. Range vector at T: samples with `T − offset − range ≤ t ≤ T − offset` (closed at both ends in
 * 2.42), staleness markers removed. Range functions run per series over all steps with a sliding window,
 * like Prometheus's matrix-argument path, and drop the metric name except `last_over_time`.
 */
import type { Call, MatrixSelector, VectorSelector } from '../promql/ast.js';
import type { RangeFunctionName } from '../promql/functions.js';
import type { EvalContext } from './context.js';
import { avgOverTime, maxOverTime, minOverTime, sumOverTime } from './over-time.js';
import { durationSeconds, extrapolatedRate, instantValue, type Window } from './rate.js';
import type { SelectedSeries } from './selection.js';
import {
  assertDistinctLabelSets,
  type MatrixValue,
  newStepSeries,
  type StepSeries,
  type VectorValue,
} from './values.js';

type RangeImpl = (t: Float64Array, v: Float64Array, lo: number, hi: number, w: Window) => number | undefined;

const RANGE_IMPLS: Record<RangeFunctionName, RangeImpl> = {
  rate: (t, v, lo, hi, w) => extrapolatedRate(t, v, lo, hi, w, true, true),
  increase: (t, v, lo, hi, w) => extrapolatedRate(t, v, lo, hi, w, true, false),
  delta: (t, v, lo, hi, w) => extrapolatedRate(t, v, lo, hi, w, false, false),
  irate: (t, v, lo, hi) => instantValue(t, v, lo, hi, true),
  idelta: (t, v, lo, hi) => instantValue(t, v, lo, hi, false),
  avg_over_time: (_t, v, lo, hi) => avgOverTime(v, lo, hi),
  sum_over_time: (_t, v, lo, hi) => sumOverTime(v, lo, hi),
  min_over_time: (_t, v, lo, hi) => minOverTime(v, lo, hi),
  max_over_time: (_t, v, lo, hi) => maxOverTime(v, lo, hi),
  count_over_time: (_t, _v, lo, hi) => hi - lo,
  last_over_time: (_t, v, _lo, hi) => v[hi - 1],
};

export async function evalVectorSelector(
  ctx: EvalContext,
  sel: VectorSelector,
  data: readonly SelectedSeries[],
): Promise<VectorValue> {
  const out: StepSeries[] = [];
  for (const s of data) {
    const { t, v } = s.samples;
    const n = s.samples.length;
    let series: StepSeries | undefined;
    let points = 0;
    let j = 0;
    for (let step = 0; step < ctx.numSteps; step++) {
      const ref = ctx.stepTime(step) - sel.offsetMs;
      while (j < n && t[j] <= ref) j++;
      const k = j - 1;
      if (k < 0 || t[k] < ref - ctx.lookbackMs || s.samples.isStale(k)) continue;
      series ??= newStepSeries(s.labels, ctx.numSteps);
      series.present[step] = 1;
      series.values[step] = v[k];
      points++;
    }
    if (series !== undefined) {
      ctx.addSamples(points);
      out.push(series);
    }
    await ctx.tick();
  }
  return { type: 'vector', series: out };
}

/** The samples of a series without staleness markers (shared when there are none). */
function withoutStale(s: SelectedSeries): { t: Float64Array; v: Float64Array; n: number } {
  const b = s.samples;
  let stale = 0;
  for (let i = 0; i < b.length; i++) if (b.isStale(i)) stale++;
  if (stale === 0) return { t: b.t, v: b.v, n: b.length };
  const t = new Float64Array(b.length - stale);
  const v = new Float64Array(b.length - stale);
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    if (b.isStale(i)) continue;
    t[n] = b.t[i];
    v[n] = b.v[i];
    n++;
  }
  return { t, v, n };
}

/** A range function (`rate(x[5m])` and the like) over all steps. */
export async function evalRangeFunction(
  ctx: EvalContext,
  call: Call,
  sel: MatrixSelector,
  data: readonly SelectedSeries[],
): Promise<VectorValue> {
  const impl = RANGE_IMPLS[call.fn.name as RangeFunctionName];
  const keepName = call.fn.name === 'last_over_time';
  const offset = sel.selector.offsetMs;
  const window: Window = { rangeStartMs: 0, rangeEndMs: 0, rangeSeconds: durationSeconds(sel.rangeMs) };
  const out: StepSeries[] = [];
  for (const s of data) {
    const { t, v, n } = withoutStale(s);
    let series: StepSeries | undefined;
    let points = 0;
    let lo = 0;
    let hi = 0;
    for (let step = 0; step < ctx.numSteps; step++) {
      const ts = ctx.stepTime(step);
      const maxt = ts - offset;
      const mint = maxt - sel.rangeMs;
      while (hi < n && t[hi] <= maxt) hi++;
      while (lo < hi && t[lo] < mint) lo++;
      if (hi === lo) continue;
      window.rangeStartMs = mint;
      window.rangeEndMs = maxt;
      const value = impl(t, v, lo, hi, window);
      if (value === undefined) continue;
      series ??= newStepSeries(keepName ? s.labels : ctx.memo.dropName(s.labels), ctx.numSteps);
      series.present[step] = 1;
      series.values[step] = value;
      points++;
    }
    if (series !== undefined) {
      ctx.addSamples(points);
      out.push(series);
    }
    await ctx.tick();
  }
  assertDistinctLabelSets(ctx, out);
  return { type: 'vector', series: out };
}

/** A bare range selector as the result of an instant query. */
export function evalMatrixSelector(
  ctx: EvalContext,
  sel: MatrixSelector,
  data: readonly SelectedSeries[],
): MatrixValue {
  const maxt = ctx.startMs - sel.selector.offsetMs;
  const mint = maxt - sel.rangeMs;
  const series: { labels: (typeof data)[number]['labels']; t: Float64Array; v: Float64Array }[] = [];
  for (const s of data) {
    const { t, v, n } = withoutStale(s);
    let lo = 0;
    while (lo < n && t[lo] < mint) lo++;
    let hi = lo;
    while (hi < n && t[hi] <= maxt) hi++;
    if (hi > lo) series.push({ labels: s.labels, t: t.slice(lo, hi), v: v.slice(lo, hi) });
  }
  return { type: 'matrix', series };
}
