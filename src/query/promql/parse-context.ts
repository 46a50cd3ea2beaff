/**
 * What the tree-to-AST builders share: the query text, the lezer node type, and error constructors that
 * attach Prometheus-style positions.
 */
import type { parser } from '@prometheus-io/lezer-promql';
import { NotSupportedError, type PositionRange, PromQLParseError } from '../errors.js';

export type SyntaxTree = ReturnType<typeof parser.parse>;
export type SyntaxNode = SyntaxTree['topNode'];

export class ParseContext {
  constructor(readonly query: string) {}

  text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  range(node: SyntaxNode): PositionRange {
    return { start: node.from, end: node.to };
  }

  fail(at: SyntaxNode | PositionRange, reason: string): never {
    const pos = 'from' in at ? this.range(at) : at;
    throw new PromQLParseError(this.query, pos, reason);
  }

  unsupported(at: SyntaxNode | PositionRange, feature: string): never {
    const pos = 'from' in at ? this.range(at) : at;
    throw new NotSupportedError(this.query, pos, feature);
  }
}

/** The children of a node, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

/** The children that are expressions (the grammar's `Expr` group). */
export function exprChildren(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((c) => c.type.is('Expr'));
}
