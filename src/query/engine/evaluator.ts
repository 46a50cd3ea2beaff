/**
 * The tree walk: evaluates each node over the whole step grid and hands the values to the operator
 * modules. The AST is already type-checked, so each case knows the kinds of its operands.
 */
import { type Expr, typeOf, unwrapParens } from '../promql/ast.js';
import { evalAggregate } from './aggregate.js';
import { scalarBinary, setBinary, vectorBinary, vectorScalarBinary } from './binary.js';
import type { EvalContext } from './context.js';
import { evalInstantFunction } from './instant-functions.js';
import type { Selection } from './selection.js';
import { evalMatrixSelector, evalRangeFunction, evalVectorSelector } from './selectors.js';
import {
  assertDistinctLabelSets,
  type ScalarValue,
  type StepSeries,
  type Value,
  type VectorValue,
} from './values.js';

export class Evaluator {
  constructor(
    private readonly ctx: EvalContext,
    private readonly selection: Selection,
  ) {}

  async eval(expr: Expr): Promise<Value> {
    const ctx = this.ctx;
    await ctx.tick();
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', values: new Float64Array(ctx.numSteps).fill(expr.value) };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr);
      case 'vector':
        return evalVectorSelector(ctx, expr, this.selection);
      case 'matrix':
        return evalMatrixSelector(ctx, expr, this.selection);
      case 'unary':
        return this.unary(expr.op, await this.eval(expr.expr));
      case 'aggregate': {
        const param = expr.param === undefined ? undefined : ((await this.eval(expr.param)) as ScalarValue);
        return evalAggregate(ctx, expr, (await this.eval(expr.expr)) as VectorValue, param);
      }
      case 'binary':
        return this.binary(expr);
      case 'call': {
        const matrixArg = expr.args.map(unwrapParens).find((a) => a.kind === 'matrix');
        if (matrixArg !== undefined && matrixArg.kind === 'matrix') {
          return evalRangeFunction(ctx, expr, matrixArg, this.selection);
        }
        const args: Value[] = [];
        for (const a of expr.args) args.push(await this.eval(a));
        return evalInstantFunction(ctx, expr.fn.name, args);
      }
    }
  }

  unary(op: '-' | '+', value: Value): Value {
    if (op === '+') return value;
    if (value.type === 'scalar') return { type: 'scalar', values: value.values.map((v) => -v) };
    if (value.type !== 'vector') throw new Error('unary minus on a non-numeric value');
    const series: StepSeries[] = value.series.map((s) => ({
      labels: this.ctx.memo.dropName(s.labels),
      values: s.values.map((v) => -v),
      present: s.present,
    }));
    assertDistinctLabelSets(this.ctx, series);
    return { type: 'vector', series };
  }

  async binary(expr: Expr & { kind: 'binary' }): Promise<Value> {
    const ctx = this.ctx;
    const lhs = await this.eval(expr.lhs);
    const rhs = await this.eval(expr.rhs);
    const lt = typeOf(expr.lhs);
    const rt = typeOf(expr.rhs);
    if (lt === 'scalar' && rt === 'scalar')
      return scalarBinary(ctx, expr, lhs as ScalarValue, rhs as ScalarValue);
    if (lt === 'vector' && rt === 'scalar') {
      return vectorScalarBinary(ctx, expr, lhs as VectorValue, rhs as ScalarValue, false);
    }
    if (lt === 'scalar' && rt === 'vector') {
      return vectorScalarBinary(ctx, expr, rhs as VectorValue, lhs as ScalarValue, true);
    }
    if (expr.op === 'and' || expr.op === 'or' || expr.op === 'unless') {
      return setBinary(ctx, expr, lhs as VectorValue, rhs as VectorValue);
    }
    return vectorBinary(ctx, expr, lhs as VectorValue, rhs as VectorValue);
  }
}
