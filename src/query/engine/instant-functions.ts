/**
 * Functions of instant vectors and scalars: `abs`, `clamp_min`, `clamp_max`, `vector`, `scalar`, `time` and
 * `histogram_quantile`. They work step by step, keep input order, and drop the metric name where Prometheus
 * does (`abs`, clamps and `histogram_quantile`; the latter also drops `le`).
 */
import { parseGoFloat } from '../../expfmt/number.js';
import { EMPTY_LABELS, getLabel, type Labels, labelsKey, METRIC_NAME } from '../labels.js';
import type { EvalContext } from './context.js';
import { goMax, goMin } from './gomath.js';
import { type Bucket, bucketQuantile } from './histogram-quantile.js';
import { type ScalarValue, StepCursor, StepOutput, type Value, type VectorValue } from './values.js';

function mapValues(
  ctx: EvalContext,
  input: VectorValue,
  f: (v: number, step: number) => number,
): VectorValue {
  const out = new StepOutput(ctx);
  for (const s of input.series) {
    const labels = ctx.memo.dropName(s.labels);
    for (let step = 0; step < ctx.numSteps; step++) {
      if (s.present[step] === 1) out.add(step, labels, f(s.values[step], step));
    }
  }
  return out.result();
}

function timeValues(ctx: EvalContext): ScalarValue {
  const values = new Float64Array(ctx.numSteps);
  for (let step = 0; step < ctx.numSteps; step++) values[step] = ctx.stepTime(step) / 1000;
  return { type: 'scalar', values };
}

function scalarOf(ctx: EvalContext, input: VectorValue): ScalarValue {
  const values = new Float64Array(ctx.numSteps);
  const cursor = new StepCursor(input.series);
  for (let step = 0; step < ctx.numSteps; step++) {
    cursor.at(step);
    values[step] = cursor.length === 1 ? input.series[cursor.indices[0]].values[step] : Number.NaN;
  }
  return { type: 'scalar', values };
}

function vectorOf(ctx: EvalContext, input: ScalarValue): VectorValue {
  const out = new StepOutput(ctx);
  for (let step = 0; step < ctx.numSteps; step++) out.add(step, EMPTY_LABELS, input.values[step]);
  return out.result();
}

async function histogramQuantile(ctx: EvalContext, q: ScalarValue, input: VectorValue): Promise<VectorValue> {
  const n = input.series.length;
  const bounds = new Float64Array(n);
  const keys: (string | undefined)[] = [];
  const outLabels: Labels[] = [];
  for (let i = 0; i < n; i++) {
    const labels = input.series[i].labels;
    const ub = parseGoFloat(getLabel(labels, 'le'));
    if (ub === undefined) {
      keys.push(undefined);
      outLabels.push(EMPTY_LABELS);
      continue;
    }
    bounds[i] = ub;
    const rest = labels.filter((l) => l.name !== 'le' && l.name !== METRIC_NAME);
    // The name stays in the grouping key, so two histograms with equal labels are not mixed.
    keys.push(`${labelsKey(rest)}\u0000${getLabel(labels, METRIC_NAME)}`);
    outLabels.push(ctx.memo.intern(rest));
  }
  const out = new StepOutput(ctx);
  const cursor = new StepCursor(input.series);
  for (let step = 0; step < ctx.numSteps; step++) {
    cursor.at(step);
    const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
    for (let c = 0; c < cursor.length; c++) {
      const i = cursor.indices[c];
      const key = keys[i];
      if (key === undefined) continue;
      let g = groups.get(key);
      if (g === undefined) {
        g = { labels: outLabels[i], buckets: [] };
        groups.set(key, g);
      }
      g.buckets.push({ upperBound: bounds[i], count: input.series[i].values[step] });
    }
    for (const g of groups.values()) out.add(step, g.labels, bucketQuantile(q.values[step], g.buckets));
    await ctx.tick();
  }
  return out.result();
}

/** Evaluates a supported instant function given its evaluated arguments. */
export async function evalInstantFunction(
  ctx: EvalContext,
  name: string,
  args: readonly Value[],
): Promise<Value> {
  switch (name) {
    case 'abs':
      return mapValues(ctx, args[0] as VectorValue, Math.abs);
    case 'clamp_min': {
      const min = (args[1] as ScalarValue).values;
      return mapValues(ctx, args[0] as VectorValue, (v, step) => goMax(min[step], v));
    }
    case 'clamp_max': {
      const max = (args[1] as ScalarValue).values;
      return mapValues(ctx, args[0] as VectorValue, (v, step) => goMin(max[step], v));
    }
    case 'vector':
      return vectorOf(ctx, args[0] as ScalarValue);
    case 'scalar':
      return scalarOf(ctx, args[0] as VectorValue);
    case 'time':
      return timeValues(ctx);
    case 'histogram_quantile':
      return histogramQuantile(ctx, args[0] as ScalarValue, args[1] as VectorValue);
    default:
      throw new Error(`no implementation for function ${name}`);
  }
}
