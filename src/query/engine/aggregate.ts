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
import { type ScalarValue, StepCursor, StepOutput, type VectorValue } from './values.js';

interface Group {
  readonly labels: Labels;
  value: number;
  mean: number;
  count: number;
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

/** Group key and output labels of each input series, computed once per series. */
function grouping(ctx: EvalContext, node: Aggregate, series: readonly { labels: Labels }[]) {
  const names = new Set(node.grouping);
  const keys: string[] = [];
  const groupLabels: Labels[] = [];
  const interned = new Map<string, Labels>();
  for (const s of series) {
    const kept = node.without
      ? s.labels.filter((l) => !names.has(l.name) && l.name !== METRIC_NAME)
      : s.labels.filter((l) => names.has(l.name));
    const key = labelsKey(kept);
    keys.push(key);
    let labels = interned.get(key);
    if (labels === undefined) {
      labels = ctx.memo.intern(kept);
      interned.set(key, labels);
    }
    groupLabels.push(labels);
  }
  return { keys, groupLabels };
}

export async function evalAggregate(
  ctx: EvalContext,
  node: Aggregate,
  input: VectorValue,
  param: ScalarValue | undefined,
): Promise<VectorValue> {
  const { keys, groupLabels } = grouping(ctx, node, input.series);
  const out = new StepOutput(ctx);
  const cursor = new StepCursor(input.series);
  const isK = node.op === 'topk' || node.op === 'bottomk';
  const less: Less = node.op === 'bottomk' ? bottomkLess : topkLess;
  for (let step = 0; step < ctx.numSteps; step++) {
    let k = 0;
    if (isK) {
      const f = param!.values[step];
      if (!(f <= 2 ** 63 - 1024 && f >= -(2 ** 63))) {
        throw new EvaluationError(`Scalar value ${goFloatText(f)} overflows int64`);
      }
      k = Math.trunc(f);
      if (k < 1) continue;
    }
    const groups = new Map<string, Group>();
    const ordered: Group[] = [];
    cursor.at(step);
    for (let c = 0; c < cursor.length; c++) {
      const i = cursor.indices[c];
      const v = input.series[i].values[step];
      const group = groups.get(keys[i]);
      if (group === undefined) {
        const g: Group = {
          labels: groupLabels[i],
          value: v,
          mean: v,
          count: 1,
          heap: isK ? [{ value: v, index: i }] : [],
        };
        groups.set(keys[i], g);
        ordered.push(g);
        continue;
      }
      accumulate(node.op, group, v, i, k, less);
    }
    for (const g of ordered) {
      switch (node.op) {
        case 'avg':
          out.add(step, g.labels, g.mean);
          break;
        case 'count':
          out.add(step, g.labels, g.count);
          break;
        case 'topk':
        case 'bottomk': {
          const sorted = [...g.heap].sort((a, b) => (less(b, a) ? -1 : less(a, b) ? 1 : 0));
          for (const item of sorted) out.add(step, input.series[item.index].labels, item.value);
          break;
        }
        default:
          out.add(step, g.labels, g.value);
      }
    }
    await ctx.tick();
  }
  return out.result();
}

function accumulate(op: Aggregate['op'], g: Group, v: number, index: number, k: number, less: Less): void {
  switch (op) {
    case 'sum':
      g.value += v;
      return;
    case 'avg': {
      g.count++;
      const meanInf = g.mean === Number.POSITIVE_INFINITY || g.mean === Number.NEGATIVE_INFINITY;
      if (meanInf) {
        const vInf = v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY;
        if (vInf && g.mean > 0 === v > 0) return;
        if (!vInf && !Number.isNaN(v)) return;
      }
      g.mean += v / g.count - g.mean / g.count;
      return;
    }
    case 'count':
      g.count++;
      return;
    case 'max':
      if (g.value < v || Number.isNaN(g.value)) g.value = v;
      return;
    case 'min':
      if (g.value > v || Number.isNaN(g.value)) g.value = v;
      return;
    default: {
      // topk / bottomk
      const h = g.heap;
      const top = h[0].value;
      const better = op === 'topk' ? top < v : top > v;
      if (h.length < k || better || Number.isNaN(top)) {
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
  }
}
