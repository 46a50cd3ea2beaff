/**
 * Evaluating selectors and the functions that take a range vector.
 *
 * Instant vector selector at T: the newest sample with `t ≤ T − offset`, kept when `t ≥ T − offset − 5m`
 * (2.42's closed lookback) and not a staleness marker; the result carries the series' labels including
 * the name. Range vector at T: samples with `T − offset − range ≤ t ≤ T − offset` (closed at both ends in
 * 2.42), staleness markers removed. Range functions run per series over all steps with a sliding window,
 * like Prometheus's matrix-argument path, and drop the metric name except `last_over_time`.
 */
import type { Labels } from '../labels.js';
import type { Call, MatrixSelector, VectorSelector } from '../promql/ast.js';
import type { RangeFunctionName } from '../promql/functions.js';
import type { SampleBuffer } from '../storage/sample-buffer.js';
import type { EvalContext } from './context.js';
import { avgOverTime, maxOverTime, minOverTime, sumOverTime } from './over-time.js';
import { CounterResets, durationSeconds, extrapolatedRate, instantValue, type Window } from './rate.js';
import type { Selection } from './selection.js';
import {
  assertDistinctLabelSets,
  type MatrixValue,
  newStepSeries,
  type StepSeries,
  type VectorValue,
} from './values.js';

export async function evalVectorSelector(
  ctx: EvalContext,
  sel: VectorSelector,
  selection: Selection,
): Promise<VectorValue> {
  const out: StepSeries[] = [];
  const mint = ctx.startMs - sel.offsetMs - ctx.lookbackMs;
  const maxt = ctx.endMs - sel.offsetMs;
  for (const snapshot of selection.get(sel)) {
    const b = selection.samples(snapshot, mint, maxt, ctx);
    const { t, v } = b;
    const n = b.length;
    let series: StepSeries | undefined;
    let points = 0;
    let j = 0;
    for (let step = 0; step < ctx.numSteps; step++) {
      const ref = ctx.stepTime(step) - sel.offsetMs;
      while (j < n && t[j] <= ref) j++;
      const k = j - 1;
      if (k < 0 || t[k] < ref - ctx.lookbackMs || b.isStale(k)) continue;
      series ??= newStepSeries(snapshot.labels, ctx.numSteps);
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

/** The samples without staleness markers: the buffer's own arrays when there are none. */
function withoutStale(b: SampleBuffer): { t: Float64Array; v: Float64Array; n: number } {
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

const KIND: Record<RangeFunctionName, number> = {
  rate: 0,
  increase: 1,
  delta: 2,
  irate: 3,
  idelta: 4,
  avg_over_time: 5,
  sum_over_time: 6,
  min_over_time: 7,
  max_over_time: 8,
  count_over_time: 9,
  last_over_time: 10,
};

/** One range function over the window `[lo, hi)` (never empty); undefined means no output. */
function apply(
  kind: number,
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  w: Window,
): number | undefined {
  switch (kind) {
    case 0:
      return extrapolatedRate(t, v, lo, hi, w, true, true);
    case 1:
      return extrapolatedRate(t, v, lo, hi, w, true, false);
    case 2:
      return extrapolatedRate(t, v, lo, hi, w, false, false);
    case 3:
      return instantValue(t, v, lo, hi, true);
    case 4:
      return instantValue(t, v, lo, hi, false);
    case 5:
      return avgOverTime(v, lo, hi);
    case 6:
      return sumOverTime(v, lo, hi);
    case 7:
      return minOverTime(v, lo, hi);
    case 8:
      return maxOverTime(v, lo, hi);
    case 9:
      return hi - lo;
    default:
      return v[hi - 1];
  }
}

/** A range function (`rate(x[5m])` and the like) over all steps. */
export async function evalRangeFunction(
  ctx: EvalContext,
  call: Call,
  sel: MatrixSelector,
  selection: Selection,
): Promise<VectorValue> {
  const kind = KIND[call.fn.name as RangeFunctionName];
  const keepName = call.fn.name === 'last_over_time';
  const counter = kind === 0 || kind === 1;
  const offset = sel.selector.offsetMs;
  const window: Window = {
    rangeStartMs: 0,
    rangeEndMs: 0,
    rangeSeconds: durationSeconds(sel.rangeMs),
    resets: undefined,
  };
  const out: StepSeries[] = [];
  const mint = ctx.startMs - offset - sel.rangeMs;
  const maxt = ctx.endMs - offset;
  for (const snapshot of selection.get(sel.selector)) {
    const { t, v, n } = withoutStale(selection.samples(snapshot, mint, maxt, ctx));
    window.resets = counter ? new CounterResets(v, n) : undefined;
    let series: StepSeries | undefined;
    let points = 0;
    let lo = 0;
    let hi = 0;
    for (let step = 0; step < ctx.numSteps; step++) {
      const end = ctx.startMs + step * ctx.intervalMs - offset;
      const start = end - sel.rangeMs;
      while (hi < n && t[hi] <= end) hi++;
      while (lo < hi && t[lo] < start) lo++;
      if (hi === lo) continue;
      window.rangeStartMs = start;
      window.rangeEndMs = end;
      const value = apply(kind, t, v, lo, hi, window);
      if (value === undefined) continue;
      series ??= newStepSeries(keepName ? snapshot.labels : ctx.memo.dropName(snapshot.labels), ctx.numSteps);
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
export function evalMatrixSelector(ctx: EvalContext, sel: MatrixSelector, selection: Selection): MatrixValue {
  const maxt = ctx.startMs - sel.selector.offsetMs;
  const mint = maxt - sel.rangeMs;
  const series: { labels: Labels; t: Float64Array; v: Float64Array }[] = [];
  for (const snapshot of selection.get(sel.selector)) {
    const { t, v, n } = withoutStale(selection.samples(snapshot, mint, maxt, ctx));
    if (n > 0) {
      ctx.addSamples(n);
      series.push({ labels: snapshot.labels, t: t.slice(0, n), v: v.slice(0, n) });
    }
  }
  return { type: 'matrix', series };
}
