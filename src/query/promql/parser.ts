/**
 * PromQL text → typed AST, using the Prometheus project's own grammar (`@prometheus-io/lezer-promql`) and
 * then applying Prometheus 2.42's semantic checks with its messages and positions.
 *
 * The grammar follows current Prometheus, so it accepts things 2.42 does not (durations as numbers,
 * `anchored`, `fill(...)`, quoted label names); those fail here as they fail in 2.42. It also binds a
 * signed number tighter than `^` (`-2^2` would be 4); Prometheus applies `^` first (-4), and so do we.
 * Subqueries and `@` are valid PromQL this engine does not evaluate: they fail as "not supported".
 */
import { parser as lezer } from '@prometheus-io/lezer-promql';
import {
  type AggregateOp,
  type BinaryOp,
  type Cardinality,
  documentedType,
  type Expr,
  isComparison,
  isSetOperator,
  typeOf,
  type ValueType,
  type VectorMatching,
} from './ast.js';
import { SUPPORTED_FUNCTIONS, UNSUPPORTED_AGGREGATIONS, UNSUPPORTED_FUNCTIONS } from './functions.js';
import { parseNumber } from './literals.js';
import { childrenOf, exprChildren, ParseContext, type SyntaxNode } from './parse-context.js';
import { matrixSelector, offsetExpr, stringValue, vectorSelector } from './parse-selectors.js';
import { describeSyntaxError, lexerProblem } from './syntax-errors.js';

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const SUPPORTED_AGGREGATIONS = new Set<string>(['sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk']);

/** Parses and type-checks a PromQL expression. Throws `PromQLParseError` or `NotSupportedError`. */
export function parsePromQL(query: string): Expr {
  const ctx: ParseContext = new ParseContext(query);
  const tree = lezer.parse(query);
  let errorAt = -1;
  tree.iterate({
    enter(n) {
      if (errorAt < 0 && n.type.isError) errorAt = n.from;
      return errorAt < 0;
    },
  });
  const lexical = lexerProblem(query);
  if (errorAt >= 0 || lexical !== undefined || query.trim() === '') {
    const problem = describeSyntaxError(query, errorAt < 0 ? undefined : errorAt);
    ctx.fail({ start: problem.pos, end: problem.pos }, problem.message);
  }
  const top = exprChildren(tree.topNode)[0];
  if (top === undefined) ctx.fail({ start: 0, end: 0 }, 'no expression found in input');
  return new Builder(ctx).expr(top);
}

class Builder {
  constructor(private readonly ctx: ParseContext) {}

  readonly expr = (node: SyntaxNode): Expr => {
    const ctx: ParseContext = this.ctx;
    switch (node.name) {
      case 'NumberDurationLiteral':
        return this.number(node);
      case 'StringLiteral':
        return { kind: 'string', pos: ctx.range(node), value: stringValue(ctx, node) };
      case 'VectorSelector':
        return vectorSelector(ctx, node);
      case 'MatrixSelector':
        return matrixSelector(ctx, node, this.expr);
      case 'OffsetExpr': {
        const target = node.firstChild!;
        if (target.name !== 'UnaryExpr') return offsetExpr(ctx, node, this.expr);
        // `-x offset 1m` is `-(x offset 1m)` in Prometheus.
        const operand = exprChildren(target)[0];
        return this.unary(target, offsetExpr(ctx, node, this.expr, operand), ctx.range(node));
      }
      case 'ParenExpr':
        return { kind: 'paren', pos: ctx.range(node), expr: this.expr(exprChildren(node)[0]) };
      case 'UnaryExpr':
        return this.unary(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'SubqueryExpr':
        return ctx.unsupported(node, 'subquery syntax');
      case 'StepInvariantExpr':
        return ctx.unsupported(node, 'the @ modifier');
      default: {
        // Newer syntax (anchored, smoothed): 2.42 sees an identifier it does not expect.
        const last = node.lastChild ?? node;
        return ctx.fail(last, `unexpected identifier ${JSON.stringify(ctx.text(last))}`);
      }
    }
  };

  number(node: SyntaxNode): Expr {
    const { sign, value } = this.numberParts(node);
    return { kind: 'number', pos: this.ctx.range(node), value: sign === '-' ? value * -1 : value };
  }

  /** A number literal's optional sign (the grammar attaches it) and unsigned value. */
  numberParts(node: SyntaxNode): { sign: string; value: number; start: number } {
    const ctx: ParseContext = this.ctx;
    const text = ctx.text(node);
    const sign = text[0] === '-' || text[0] === '+' ? text[0] : '';
    const body = text.slice(sign.length).trimStart();
    const start = node.to - body.length;
    if (/^\d+(y|w|d|h|m|s|ms)/.test(body) && !/^0[xX]/.test(body)) {
      ctx.fail({ start, end: node.to }, `unexpected duration ${JSON.stringify(body)}`);
    }
    if (body.includes('_')) {
      ctx.fail(
        { start, end: node.to },
        `bad number or duration syntax: ${JSON.stringify(body.split('_')[0])}`,
      );
    }
    const parsed = parseNumber(body);
    if (!parsed.ok) ctx.fail({ start, end: node.to }, parsed.error);
    return { sign, value: parsed.value, start };
  }

  /** A unary expression; `built` is its operand when the caller already built it (see `OffsetExpr`). */
  unary(node: SyntaxNode, built?: Expr, range = this.ctx.range(node)): Expr {
    const ctx: ParseContext = this.ctx;
    const op = ctx.text(node.getChild('UnaryOp')!) as '-' | '+';
    const inner = built ?? this.expr(exprChildren(node)[0]);
    if (inner.kind === 'number') {
      // Prometheus folds a sign into a number literal.
      return { kind: 'number', pos: range, value: op === '-' ? inner.value * -1 : inner.value };
    }
    const t = typeOf(inner);
    if (t !== 'scalar' && t !== 'vector') {
      ctx.fail(
        node,
        `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(t))}`,
      );
    }
    return { kind: 'unary', pos: range, op, expr: inner };
  }

  binary(node: SyntaxNode): Expr {
    const ctx: ParseContext = this.ctx;
    const [lhsNode, rhsNode] = exprChildren(node);
    const children = childrenOf(node);
    const opNode = children.find((c) => BINARY_OPS[c.name] !== undefined);
    if (opNode === undefined) {
      const other = children.find((c) => !c.type.is('Expr'))!;
      return ctx.fail(other, `unexpected ${JSON.stringify(ctx.text(other))}`);
    }
    const fill = node.getChild('FillModifier');
    if (fill !== null)
      ctx.fail(fill, `unexpected identifier ${JSON.stringify(ctx.text(fill.firstChild ?? fill))}`);
    const op = BINARY_OPS[opNode.name];
    // The grammar reads `-2 ^ 2` as `(-2) ^ 2`; Prometheus reads it as `-(2 ^ 2)`.
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[-+]/.test(ctx.text(lhsNode))) {
      const { sign, value, start } = this.numberParts(lhsNode);
      const base: Expr = { kind: 'number', pos: { start, end: lhsNode.to }, value };
      const pow = this.checkedBinary(node, op, base, rhsNode, opNode);
      return { kind: 'unary', pos: ctx.range(node), op: sign as '-' | '+', expr: pow };
    }
    return this.checkedBinary(node, op, this.expr(lhsNode), rhsNode, opNode);
  }

  checkedBinary(node: SyntaxNode, op: BinaryOp, lhs: Expr, rhsNode: SyntaxNode, opNode: SyntaxNode): Expr {
    const ctx: ParseContext = this.ctx;
    const rhs = this.expr(rhsNode);
    const returnBool = node.getChild('BoolModifier') !== null;
    const matchingNode = node.getChild('MatchingModifierClause');
    const opRange = { start: opNode.from, end: opNode.to };
    let matching = matchingNode === null ? undefined : this.matching(matchingNode);
    if (returnBool && !isComparison(op))
      ctx.fail(opRange, 'bool modifier can only be used on comparison operators');
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    if (isComparison(op) && !returnBool && lt === 'scalar' && rt === 'scalar') {
      ctx.fail(opRange, 'comparisons between scalars must use BOOL modifier');
    }
    if (matching?.on) {
      const both = matching.labels.find((l) => matching!.include.includes(l));
      if (both !== undefined)
        ctx.fail(opRange, `label ${JSON.stringify(both)} must not occur in ON and GROUP clause at once`);
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      ctx.fail(lhs.pos, 'binary expression must contain only scalar and instant vector types');
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      ctx.fail(rhs.pos, 'binary expression must contain only scalar and instant vector types');
    }
    if (lt !== 'vector' || rt !== 'vector') {
      if (matching !== undefined && matching.labels.length > 0) {
        ctx.fail(node, 'vector matching only allowed between instant vectors');
      }
      matching = undefined;
    } else {
      matching ??= { card: 'one-to-one', on: false, labels: [], include: [] };
      if (isSetOperator(op)) {
        if (matching.card === 'one-to-many' || matching.card === 'many-to-one') {
          ctx.fail(node, `no grouping allowed for ${JSON.stringify(op)} operation`);
        }
        matching = { ...matching, card: 'many-to-many' };
      }
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOperator(op)) {
      ctx.fail(node, `set operator ${JSON.stringify(op)} not allowed in binary scalar expression`);
    }
    return { kind: 'binary', pos: ctx.range(node), op, lhs, rhs, returnBool, matching };
  }

  matching(node: SyntaxNode): VectorMatching {
    const lists = node.getChildren('GroupingLabels').map((g) => this.labelList(g));
    const on = node.getChild('On') !== null;
    let card: Cardinality = 'one-to-one';
    if (node.getChild('GroupLeft') !== null) card = 'many-to-one';
    if (node.getChild('GroupRight') !== null) card = 'one-to-many';
    return { card, on, labels: lists[0] ?? [], include: lists[1] ?? [] };
  }

  labelList(node: SyntaxNode): string[] {
    return childrenOf(node).map((c) => {
      if (c.name !== 'LabelName') {
        this.ctx.fail(
          c,
          `unexpected string ${JSON.stringify(this.ctx.text(c))} in grouping opts, expected identifier`,
        );
      }
      return this.ctx.text(c);
    });
  }

  call(node: SyntaxNode): Expr {
    const ctx: ParseContext = this.ctx;
    const name = ctx.text(node.getChild('FunctionIdentifier')!);
    const args = exprChildren(node.getChild('FunctionCallBody')!);
    const fn = SUPPORTED_FUNCTIONS.get(name);
    if (fn === undefined) {
      if (UNSUPPORTED_FUNCTIONS.has(name)) ctx.unsupported(node, `function ${JSON.stringify(name)}`);
      ctx.fail(node, `unknown function with name ${JSON.stringify(name)}`);
    }
    if (args.length !== fn.argTypes.length) {
      ctx.fail(
        node,
        `expected ${fn.argTypes.length} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`,
      );
    }
    const built = args.map((a, i) =>
      this.expectType(a, fn.argTypes[i], `call to function ${JSON.stringify(name)}`),
    );
    return { kind: 'call', pos: ctx.range(node), fn, args: built };
  }

  expectType(node: SyntaxNode, want: ValueType, context: string): Expr {
    const e = this.expr(node);
    const got = typeOf(e);
    if (got !== want) {
      this.ctx.fail(e.pos, `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`);
    }
    return e;
  }

  aggregate(node: SyntaxNode): Expr {
    const ctx: ParseContext = this.ctx;
    const op = ctx.text(node.getChild('AggregateOp')!).toLowerCase();
    if (UNSUPPORTED_AGGREGATIONS.has(op)) ctx.unsupported(node, `aggregation ${JSON.stringify(op)}`);
    if (!SUPPORTED_AGGREGATIONS.has(op))
      ctx.fail(node.getChild('AggregateOp')!, `unexpected identifier ${JSON.stringify(op)}`);
    const args = exprChildren(node.getChild('FunctionCallBody')!);
    if (args.length === 0) ctx.fail(node, 'no arguments for aggregate expression provided');
    const wanted = op === 'topk' || op === 'bottomk' ? 2 : 1;
    if (args.length !== wanted) {
      ctx.fail(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`,
      );
    }
    const modifier = node.getChild('AggregateModifier');
    const grouping = modifier === null ? [] : this.labelList(modifier.getChild('GroupingLabels')!);
    const expr = this.expectType(args[wanted - 1], 'vector', 'aggregation expression');
    const param = wanted === 2 ? this.expectType(args[0], 'scalar', 'aggregation parameter') : undefined;
    return {
      kind: 'aggregate',
      pos: ctx.range(node),
      op: op as AggregateOp,
      expr,
      param,
      grouping: [...grouping].sort(),
      without: modifier?.getChild('Without') !== null && modifier !== null,
    };
  }
}
