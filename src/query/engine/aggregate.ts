/**
 * Aggregation operators (`sum`, `avg`, `min`, `max`, `count`, `topk`, `bottomk` with `by`/`without`) as in
 * Prometheus 2.42's `aggregation()`, step by step:
 *
 * - groups are keyed by the `by` labels present, or by everything but the `without` labels and the name;
 *   they appear in the order their first series appears;
 * - `sum` adds left to right in input order (2.42 has no compensated summation); `avg` keeps a running
 *   mean `mean += v/n − mean/n`, with Prometheus's guards for infinities;
 * - `min`/`max` replace a NaN accumulator but never take a NaN over a number;
 * - `topk`/`bottomk` keep a heap per group with Go's heap operations and return the original series.
 */
import { EvaluationError } from '../errors.js';
import { type Labels, labelsKey, METRIC_NAME } from '../labels.js';
import type { Aggregate } from '../promql/ast.js';
import type { EvalContext } from './context.js';
import { bottomkLess, type HeapItem, heapPop, heapPush, type Less, topkLess } from './heap.js';
import {
  newStepSeries,
  type ScalarValue,
  StepCursor,
  StepOutput,
  type StepSeries,
  type VectorValue,
} from './values.js';

/** Per-step state of one topk/bottomk group. */
interface Group {
  heap: HeapItem[];
}

/** Go's `%v` for a float, for the overflow message. */
function goFloatText(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e21 || abs < 1e-4)) {
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(v);
}

/** A dense group number per input series and the output labels of each group, computed once. */
function grouping(ctx: EvalContext, node: Aggregate, series: readonly { labels: Labels }[]) {
  const names = new Set(node.grouping);
  const groupOf = new Int32Array(series.length);
  const groupLabels: Labels[] = [];
  const ids = new Map<string, number>();
  for (let i = 0; i < series.length; i++) {
    const labels = series[i].labels;
    const kept = node.without
      ? labels.filter((l) => !names.has(l.name) && l.name !== METRIC_NAME)
      : labels.filter((l) => names.has(l.name));
    const key = labelsKey(kept);
    let id = ids.get(key);
    if (id === undefined) {
      id = groupLabels.length;
      ids.set(key, id);
      groupLabels.push(ctx.memo.intern(kept));
    }
    groupOf[i] = id;
  }
  return { groupOf, groupLabels };
}

function kOf(f: number): number {
  if (!(f <= 2 ** 63 - 1024 && f >= -(2 ** 63))) {
    throw new EvaluationError(`Scalar value ${goFloatText(f)} overflows int64`);
  }
  return Math.trunc(f);
}

export async function evalAggregate(
  ctx: EvalContext,
  node: Aggregate,
  input: VectorValue,
  param: ScalarValue | undefined,
): Promise<VectorValue> {
  if (node.op === 'topk' || node.op === 'bottomk') return evalTopK(ctx, node, input, param!);
  const { groupOf, groupLabels } = grouping(ctx, node, input.series);
  const steps = ctx.numSteps;
  const groupCount = groupLabels.length;
  // One accumulator per (group, step). Visiting the input series in order keeps, for every group and
  // step, Prometheus's order of operations: the first value initialises, later ones accumulate.
  const value = new Float64Array(groupCount * steps);
  const mean = node.op === 'avg' ? new Float64Array(groupCount * steps) : value;
  const count = new Float64Array(groupCount * steps);
  const op = node.op;
  for (let i = 0; i < input.series.length; i++) {
    const { values, present } = input.series[i];
    const base = groupOf[i] * steps;
    for (let step = 0; step < steps; step++) {
      if (present[step] === 0) continue;
      const v = values[step];
      const at = base + step;
      const n = count[at];
      if (n === 0) {
        value[at] = v;
        mean[at] = v;
        count[at] = 1;
        continue;
      }
      count[at] = n + 1;
      switch (op) {
        case 'sum':
          value[at] += v;
          break;
        case 'avg':
          mean[at] = nextMean(mean[at], v, n + 1);
          break;
        case 'max':
          if (value[at] < v || Number.isNaN(value[at])) value[at] = v;
          break;
        case 'min':
          if (value[at] > v || Number.isNaN(value[at])) value[at] = v;
          break;
      }
    }
    await ctx.tick();
  }
  const result = op === 'avg' ? mean : op === 'count' ? count : value;
  const series: StepSeries[] = [];
  for (let g = 0; g < groupCount; g++) {
    const s = newStepSeries(groupLabels[g], steps);
    let points = 0;
    for (let step = 0; step < steps; step++) {
      if (count[g * steps + step] === 0) continue;
      s.present[step] = 1;
      s.values[step] = result[g * steps + step];
      points++;
    }
    ctx.addSamples(points);
    series.push(s);
  }
  return { type: 'vector', series };
}

/** Prometheus 2.42's running mean, with its guards for infinities. */
function nextMean(mean: number, v: number, n: number): number {
  if (mean === Number.POSITIVE_INFINITY || mean === Number.NEGATIVE_INFINITY) {
    const vInf = v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY;
    if (vInf && mean > 0 === v > 0) return mean;
    if (!vInf && !Number.isNaN(v)) return mean;
  }
  return mean + (v / n - mean / n);
}

async function evalTopK(
  ctx: EvalContext,
  node: Aggregate,
  input: VectorValue,
  param: ScalarValue,
): Promise<VectorValue> {
  const { groupOf, groupLabels } = grouping(ctx, node, input.series);
  const out = new StepOutput(ctx);
  const cursor = new StepCursor(input.series);
  const less: Less = node.op === 'bottomk' ? bottomkLess : topkLess;
  const groups: Group[] = groupLabels.map(() => ({ heap: [] }));
  const touched = new Int32Array(groupLabels.length).fill(-1);
  const order = new Int32Array(groupLabels.length);
  for (let step = 0; step < ctx.numSteps; step++) {
    const k = kOf(param.values[step]);
    if (k < 1) continue;
    let used = 0;
    cursor.at(step);
    for (let c = 0; c < cursor.length; c++) {
      const i = cursor.indices[c];
      const v = input.series[i].values[step];
      const id = groupOf[i];
      const g = groups[id];
      if (touched[id] !== step) {
        touched[id] = step;
        order[used++] = id;
        g.heap = [{ value: v, index: i }];
        continue;
      }
      pushK(node.op === 'topk', g.heap, v, i, k, less);
    }
    for (let u = 0; u < used; u++) {
      const sorted = [...groups[order[u]].heap].sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
      for (const item of sorted) out.add(step, input.series[item.index].labels, item.value);
    }
    await ctx.tick();
  }
  return out.result();
}

/** One input sample offered to a group's topk/bottomk heap (Prometheus 2.42's logic, Go's heap). */
function pushK(top: boolean, h: HeapItem[], v: number, index: number, k: number, less: Less): void {
  const head = h[0].value;
  const better = top ? head < v : head > v;
  if (h.length < k || better || Number.isNaN(head)) {
    if (h.length === k) {
      if (k === 1) {
        h[0] = { value: v, index };
        return;
      }
      heapPop(h, less);
    }
    heapPush(h, { value: v, index }, less);
  }
}
