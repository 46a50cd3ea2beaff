/**
 * The typed syntax tree the evaluator walks. The parser builds it from the Prometheus grammar's lezer tree
 * and type-checks it, so every node here is valid PromQL of the supported subset: the evaluator never has
 * to re-check argument kinds or matching modifiers.
 */
import type { PositionRange } from '../errors.js';
import type { LabelMatcher } from '../storage/matcher.js';
import type { FunctionDef } from './functions.js';

/** What an expression evaluates to, as Prometheus names them in messages. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Prometheus's `DocumentedType`: the words used in error messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

interface NodeBase {
  readonly pos: PositionRange;
}

export interface NumberLiteral extends NodeBase {
  readonly kind: 'number';
  readonly value: number;
}

export interface StringLiteral extends NodeBase {
  readonly kind: 'string';
  readonly value: string;
}

export interface VectorSelector extends NodeBase {
  readonly kind: 'vector';
  /** The metric name when written before the braces (also present as a `__name__` matcher). */
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  /** `offset`, in milliseconds; may be negative. */
  readonly offsetMs: number;
}

export interface MatrixSelector extends NodeBase {
  readonly kind: 'matrix';
  readonly selector: VectorSelector;
  readonly rangeMs: number;
}

export interface Call extends NodeBase {
  readonly kind: 'call';
  readonly fn: FunctionDef;
  readonly args: readonly Expr[];
}

export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'topk' | 'bottomk';

export interface Aggregate extends NodeBase {
  readonly kind: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** k of topk/bottomk. */
  readonly param: Expr | undefined;
  /** Grouping labels, sorted (Prometheus sorts them before evaluation). */
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

export function isSetOperator(op: BinaryOp): op is SetOp {
  return op === 'and' || op === 'or' || op === 'unless';
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** How the series of two vectors are paired: `on`/`ignoring` labels and `group_left`/`group_right`. */
export interface VectorMatching {
  readonly card: Cardinality;
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Extra labels copied from the "one" side (`group_left(a, b)`). */
  readonly include: readonly string[];
}

export interface Binary extends NodeBase {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Present when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
}

export interface Unary extends NodeBase {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export interface Paren extends NodeBase {
  readonly kind: 'paren';
  readonly expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

/** The value type of an expression. */
export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'vector';
    case 'matrix':
      return 'matrix';
    case 'call':
      return e.fn.returnType;
    case 'aggregate':
      return 'vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}

/** Removes any number of enclosing parentheses. */
export function unwrapParens(e: Expr): Expr {
  let out = e;
  while (out.kind === 'paren') out = out.expr;
  return out;
}
