/**
 * Binary operators, following Prometheus 2.42's `scalarBinop`, `VectorscalarBinop`, `VectorBinop`,
 * `VectorAnd`, `VectorOr` and `VectorUnless` step by step:
 *
 * - arithmetic drops the metric name; comparisons keep the left value (the vector's value when the scalar
 *   is on the left) and filter, or return 1/0 and drop the name with `bool`;
 * - vector matching pairs series by the `on` labels, or by all labels but the `ignoring` ones and the name;
 *   `group_left`/`group_right` make the other side the "one" side and copy its `group_x` labels;
 * - duplicates on the "one" side and ambiguous one-to-one matches fail with Prometheus's messages;
 * - `and`/`or`/`unless` compare signatures only and keep the left series (plus unmatched right ones for
 *   `or`), in input order.
 */
import { EvaluationError } from '../errors.js';
import { getLabel, type Labels, labelsKey, labelsString, METRIC_NAME } from '../labels.js';
import type { Binary, BinaryOp, VectorMatching } from '../promql/ast.js';
import { isComparison } from '../promql/ast.js';
import type { EvalContext } from './context.js';
import { goPow } from './gomath.js';
import { type ScalarValue, StepCursor, StepOutput, type StepSeries, type VectorValue } from './values.js';

/** The value of `lhs op rhs`, and whether a comparison holds (always true for arithmetic). */
function elemBinop(op: BinaryOp, lhs: number, rhs: number): [number, boolean] {
  switch (op) {
    case '+':
      return [lhs + rhs, true];
    case '-':
      return [lhs - rhs, true];
    case '*':
      return [lhs * rhs, true];
    case '/':
      return [lhs / rhs, true];
    case '%':
      return [lhs % rhs, true];
    case '^':
      return [goPow(lhs, rhs), true];
    case '==':
      return [lhs, lhs === rhs];
    case '!=':
      return [lhs, lhs !== rhs];
    case '>':
      return [lhs, lhs > rhs];
    case '<':
      return [lhs, lhs < rhs];
    case '>=':
      return [lhs, lhs >= rhs];
    case '<=':
      return [lhs, lhs <= rhs];
    default:
      throw new EvaluationError(`operator ${JSON.stringify(op)} not allowed for operations between vectors`);
  }
}

const dropsName = (op: BinaryOp): boolean => !isComparison(op);

export function scalarBinary(
  ctx: EvalContext,
  node: Binary,
  lhs: ScalarValue,
  rhs: ScalarValue,
): ScalarValue {
  const values = new Float64Array(ctx.numSteps);
  for (let step = 0; step < ctx.numSteps; step++) {
    const [value, keep] = elemBinop(node.op, lhs.values[step], rhs.values[step]);
    values[step] = isComparison(node.op) ? (keep ? 1 : 0) : value;
  }
  return { type: 'scalar', values };
}

/** Vector ⨯ scalar, with the scalar on the right, or on the left when `swap`. */
export async function vectorScalarBinary(
  ctx: EvalContext,
  node: Binary,
  vector: VectorValue,
  scalar: ScalarValue,
  swap: boolean,
): Promise<VectorValue> {
  const out = new StepOutput(ctx);
  const comparison = isComparison(node.op);
  const drop = dropsName(node.op) || node.returnBool;
  for (const s of vector.series) {
    const labels = drop ? ctx.memo.dropName(s.labels) : s.labels;
    for (let step = 0; step < ctx.numSteps; step++) {
      if (s.present[step] === 0) continue;
      let lv = s.values[step];
      let rv = scalar.values[step];
      if (swap) [lv, rv] = [rv, lv];
      let [value, keep] = elemBinop(node.op, lv, rv);
      if (comparison && swap) value = rv;
      if (node.returnBool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) out.add(step, labels, value);
    }
    await ctx.tick();
  }
  // Built series by series for speed: for a single step (instant queries) the order is the input order,
  // exactly as Prometheus produces it.
  return out.result();
}

/** Signature of a series for matching: the `on` labels, or all but the `ignoring` labels and the name. */
function signatureFn(matching: VectorMatching): (labels: Labels) => string {
  const names = new Set(matching.labels);
  if (matching.on) return (labels) => labelsKey(labels.filter((l) => names.has(l.name)));
  return (labels) => labelsKey(labels.filter((l) => !names.has(l.name) && l.name !== METRIC_NAME));
}

function signatures(series: readonly StepSeries[], sig: (labels: Labels) => string): string[] {
  return series.map((s) => sig(s.labels));
}

export async function setBinary(
  ctx: EvalContext,
  node: Binary,
  lhs: VectorValue,
  rhs: VectorValue,
): Promise<VectorValue> {
  const sig = signatureFn(node.matching!);
  const lsig = signatures(lhs.series, sig);
  const rsig = signatures(rhs.series, sig);
  const out = new StepOutput(ctx);
  const lc = new StepCursor(lhs.series);
  const rc = new StepCursor(rhs.series);
  for (let step = 0; step < ctx.numSteps; step++) {
    lc.at(step);
    rc.at(step);
    const rightSigs = new Set<string>();
    for (let c = 0; c < rc.length; c++) rightSigs.add(rsig[rc.indices[c]]);
    const emitLeft = (i: number) => out.add(step, lhs.series[i].labels, lhs.series[i].values[step]);
    if (node.op === 'and') {
      if (lc.length > 0 && rc.length > 0) {
        for (let c = 0; c < lc.length; c++) if (rightSigs.has(lsig[lc.indices[c]])) emitLeft(lc.indices[c]);
      }
    } else if (node.op === 'unless') {
      for (let c = 0; c < lc.length; c++) if (!rightSigs.has(lsig[lc.indices[c]])) emitLeft(lc.indices[c]);
    } else {
      const leftSigs = new Set<string>();
      for (let c = 0; c < lc.length; c++) {
        leftSigs.add(lsig[lc.indices[c]]);
        emitLeft(lc.indices[c]);
      }
      for (let c = 0; c < rc.length; c++) {
        const j = rc.indices[c];
        if (!leftSigs.has(rsig[j])) out.add(step, rhs.series[j].labels, rhs.series[j].values[step]);
      }
    }
    await ctx.tick();
  }
  return out.result();
}

/** The result labels of a matched pair (Prometheus's `resultMetric`), memoised per pair. */
function resultLabels(node: Binary, many: Labels, one: Labels): Labels {
  const matching = node.matching!;
  let out = dropsName(node.op) ? many.filter((l) => l.name !== METRIC_NAME) : [...many];
  if (matching.card === 'one-to-one') {
    const names = new Set(matching.labels);
    out = matching.on ? out.filter((l) => names.has(l.name)) : out.filter((l) => !names.has(l.name));
  }
  for (const name of matching.include) {
    out = out.filter((l) => l.name !== name);
    const v = getLabel(one, name);
    if (v !== '') out.push({ name, value: v });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (node.returnBool) out = out.filter((l) => l.name !== METRIC_NAME);
  return out;
}

export async function vectorBinary(
  ctx: EvalContext,
  node: Binary,
  lhs: VectorValue,
  rhs: VectorValue,
): Promise<VectorValue> {
  const matching = node.matching!;
  const swapped = matching.card === 'one-to-many';
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;
  const sig = signatureFn(matching);
  const manySig = signatures(many.series, sig);
  const oneSig = signatures(one.series, sig);
  const out = new StepOutput(ctx);
  const mc = new StepCursor(many.series);
  const oc = new StepCursor(one.series);
  const pairLabels = new Map<string, Labels>();
  for (let step = 0; step < ctx.numSteps; step++) {
    mc.at(step);
    oc.at(step);
    if (mc.length === 0 || oc.length === 0) continue;
    const oneBySig = new Map<string, number>();
    for (let c = 0; c < oc.length; c++) {
      const j = oc.indices[c];
      const dup = oneBySig.get(oneSig[j]);
      if (dup !== undefined) {
        const s = one.series[j];
        const matched = matching.on
          ? s.labels.filter((l) => matching.labels.includes(l.name))
          : s.labels.filter((l) => !matching.labels.includes(l.name) && l.name !== METRIC_NAME);
        throw new EvaluationError(
          `found duplicate series for the match group ${labelsString(matched)} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${labelsString(s.labels)}, ${labelsString(one.series[dup].labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneBySig.set(oneSig[j], j);
    }
    const matched = new Map<string, Set<string> | null>();
    for (let c = 0; c < mc.length; c++) {
      const i = mc.indices[c];
      const j = oneBySig.get(manySig[i]);
      if (j === undefined) continue;
      const ms = many.series[i];
      const os = one.series[j];
      let vl = ms.values[step];
      let vr = os.values[step];
      if (swapped) [vl, vr] = [vr, vl];
      let [value, keep] = elemBinop(node.op, vl, vr);
      if (node.returnBool) value = keep ? 1 : 0;
      else if (!keep) continue;
      const pairKey = `${ctx.memo.key(ms.labels)}\u0000${ctx.memo.key(os.labels)}`;
      let labels = pairLabels.get(pairKey);
      if (labels === undefined) {
        labels = ctx.memo.intern(resultLabels(node, ms.labels, os.labels));
        pairLabels.set(pairKey, labels);
      }
      const inserted = matched.get(manySig[i]);
      if (matching.card === 'one-to-one') {
        if (inserted !== undefined) {
          throw new EvaluationError(
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
          );
        }
        matched.set(manySig[i], null);
      } else {
        const key = ctx.memo.key(labels);
        if (inserted === undefined || inserted === null) {
          matched.set(manySig[i], new Set([key]));
        } else if (inserted.has(key)) {
          throw new EvaluationError(
            'multiple matches for labels: grouping labels must ensure unique matches',
          );
        } else {
          inserted.add(key);
        }
      }
      out.add(step, labels, value);
    }
    await ctx.tick();
  }
  return out.result();
}
