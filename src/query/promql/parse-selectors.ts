/**
 * Selectors in the tree: instant vector selectors with their label matchers, range selectors and the
 * `offset` modifier, with Prometheus 2.42's checks and messages (a selector needs one matcher that rejects
 * the empty value, the metric name may be given once, durations must be positive, ranges only follow
 * vector selectors, `offset` comes after the range and only once).
 */
import { METRIC_NAME } from '../labels.js';
import { LabelMatcher, type MatchType, RegexCompileError } from '../storage/matcher.js';
import type { Expr, MatrixSelector, VectorSelector } from './ast.js';
import { parseDuration, unquoteString } from './literals.js';
import { childrenOf, type ParseContext, type SyntaxNode } from './parse-context.js';

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

export function stringValue(ctx: ParseContext, node: SyntaxNode): string {
  const text = ctx.text(node);
  const parsed = unquoteString(text);
  if (!parsed.ok) ctx.fail(node, `error unquoting string ${JSON.stringify(text)}: ${parsed.error}`);
  return parsed.value;
}

function matcher(ctx: ParseContext, node: SyntaxNode): LabelMatcher {
  if (node.name !== 'UnquotedLabelMatcher') {
    const literal = node.name === 'QuotedLabelName' ? node : (node.getChild('QuotedLabelName') ?? node);
    ctx.fail(
      literal,
      `unexpected string ${JSON.stringify(ctx.text(literal))} in label matching, expected identifier or "}"`,
    );
  }
  const name = ctx.text(node.getChild('LabelName')!);
  const opNode = node.getChild('MatchOp')?.firstChild;
  const value = node.getChild('StringLiteral');
  if (opNode == null || value === null) ctx.fail(node, 'unexpected end of input inside braces');
  try {
    return new LabelMatcher(MATCH_OPS[opNode.name], name, stringValue(ctx, value));
  } catch (e) {
    if (e instanceof RegexCompileError) ctx.fail(node, `error parsing regexp: ${e.message}`);
    throw e;
  }
}

export function vectorSelector(ctx: ParseContext, node: SyntaxNode): VectorSelector {
  const identifier = node.getChild('Identifier');
  const name = identifier === null ? undefined : ctx.text(identifier);
  const matchers: LabelMatcher[] = [];
  const braces = node.getChild('LabelMatchers');
  if (braces !== null) for (const m of childrenOf(braces)) matchers.push(matcher(ctx, m));
  if (name !== undefined) {
    const named = matchers.find((m) => m.name === METRIC_NAME);
    if (named !== undefined) {
      ctx.fail(
        node,
        `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(named.value)}`,
      );
    }
    matchers.push(new LabelMatcher('=', METRIC_NAME, name));
  } else if (!matchers.some((m) => !m.matches(''))) {
    ctx.fail(node, 'vector selector must contain at least one non-empty matcher');
  }
  return { kind: 'vector', pos: ctx.range(node), name, matchers, offsetMs: 0 };
}

/** A duration in brackets or after `offset`: a single literal such as `5m` or `1h30m`. */
function durationMs(ctx: ParseContext, node: SyntaxNode): number {
  const children = childrenOf(node);
  const literal = children.length === 1 ? children[0] : undefined;
  if (literal === undefined || literal.name !== 'NumberDurationLiteralInDurationContext') {
    ctx.fail(node, `unexpected ${JSON.stringify(ctx.text(node))} in duration`);
  }
  const text = ctx.text(literal);
  if (/^\d+$/.test(text) && text !== '0') ctx.fail(literal, `bad duration syntax: ${JSON.stringify(text)}`);
  const parsed = parseDuration(text);
  if (!parsed.ok) ctx.fail(literal, parsed.error);
  if (parsed.value === 0) ctx.fail(literal, 'duration must be greater than 0');
  return parsed.value;
}

/** Where the `[` of a range selector is, for Prometheus's error position. */
function bracketPos(ctx: ParseContext, duration: SyntaxNode): { start: number; end: number } {
  let p = duration.from - 1;
  while (p > 0 && ctx.query[p] !== '[') p--;
  return { start: p, end: duration.to };
}

export function matrixSelector(
  ctx: ParseContext,
  node: SyntaxNode,
  build: (n: SyntaxNode) => Expr,
): MatrixSelector {
  const inner = node.firstChild!;
  const duration = node.getChild('DurationExpr');
  if (duration === null) ctx.fail(node, 'unexpected end of input');
  if (inner.name === 'OffsetExpr')
    ctx.fail(bracketPos(ctx, duration), 'no offset modifiers allowed before range');
  if (inner.name === 'UnaryExpr' && inner.lastChild?.name === 'VectorSelector') {
    // The grammar reads `-x[5m]` as `(-x)[5m]`; Prometheus reads `-(x[5m])` and rejects the unary minus.
    ctx.fail(
      inner,
      'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    );
  }
  const selector = inner.name === 'VectorSelector' ? build(inner) : undefined;
  if (selector === undefined || selector.kind !== 'vector') {
    if (inner.name !== 'VectorSelector') build(inner); // report errors inside first, as Prometheus does
    ctx.fail(bracketPos(ctx, duration), 'ranges only allowed for vector selectors');
  }
  return { kind: 'matrix', pos: ctx.range(node), selector, rangeMs: durationMs(ctx, duration) };
}

/** The signed duration of an `offset` modifier. */
function offsetMs(ctx: ParseContext, node: SyntaxNode): number {
  const sign = node.getChild('UnaryOp');
  if (sign === null) return durationMs(ctx, node);
  const nested = node.getChild('OffsetDurationExpr');
  if (nested === null) ctx.fail(node, 'unexpected end of input');
  const ms = offsetMs(ctx, nested);
  return ctx.text(sign) === '-' ? -ms : ms;
}

/**
 * An `offset` modifier. `targetNode` overrides the modified expression: the grammar reads `-x offset 1m` as
 * `(-x) offset 1m`, Prometheus as `-(x offset 1m)`, so the caller passes the operand of the minus.
 */
export function offsetExpr(
  ctx: ParseContext,
  node: SyntaxNode,
  build: (n: SyntaxNode) => Expr,
  targetNode: SyntaxNode = node.firstChild!,
): VectorSelector | MatrixSelector {
  const target = build(targetNode);
  const durationNode = node.getChild('OffsetDurationExpr');
  if (durationNode === null) ctx.fail({ start: node.to, end: node.to }, 'unexpected end of input');
  const offset = offsetMs(ctx, durationNode);
  const selector = target.kind === 'matrix' ? target.selector : target;
  if (selector.kind !== 'vector') {
    ctx.fail(
      node,
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    );
  }
  if (selector.offsetMs !== 0) ctx.fail(node, 'offset may not be set multiple times');
  const moved: VectorSelector = { ...selector, offsetMs: offset };
  if (target.kind === 'matrix') return { ...target, pos: ctx.range(node), selector: moved };
  return { ...moved, pos: ctx.range(node) };
}
