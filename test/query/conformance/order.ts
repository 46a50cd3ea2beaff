/**
 * Which results may legitimately differ in the last bits between Prometheus 2.42 and us, and why.
 *
 * 2.42 adds `sum` (and averages `avg`) left to right in the order series reach the aggregation. Series read
 * from persisted blocks arrive sorted by labels, and we read them in that order too, so most aggregations
 * match bit for bit. But some nodes hand their output on in an order that is random in Prometheus itself:
 * in range queries, everything evaluated through its `rangeEval` (aggregations, binary operators,
 * instant-vector functions) comes out of a Go map; and `histogram_quantile`'s output order, and `topk`'s
 * order among ties, are random in instant queries too. A `sum`/`avg` over such input depends on an
 * addition order that Prometheus does not fix (two runs of Prometheus can disagree), so only for those
 * comparisons a relative difference of 1e-9 is tolerated; the count of such comparisons is reported.
 */
import { type Expr, typeOf, unwrapParens } from '../../../src/query/promql/ast.js';
import { parsePromQL } from '../../../src/query/promql/parser.js';

/** True when the series order of `e`'s output is not fixed in Prometheus 2.42. */
function randomOrder(e: Expr, range: boolean): boolean {
  const n = unwrapParens(e);
  switch (n.kind) {
    case 'vector':
    case 'matrix':
    case 'number':
    case 'string':
      return false;
    case 'call':
      if (n.args.some((a) => unwrapParens(a).kind === 'matrix')) return false; // per-series, storage order
      if (n.fn.name === 'histogram_quantile') return true;
      if (n.fn.name === 'vector' || n.fn.returnType === 'scalar') return false;
      return range || n.args.some((a) => randomOrder(a, range));
    case 'aggregate':
      return range || n.op === 'topk' || n.op === 'bottomk' || randomOrder(n.expr, range);
    case 'unary':
      return randomOrder(n.expr, range);
    case 'binary':
      if (typeOf(n) === 'scalar') return false;
      return range || randomOrder(n.lhs, range) || randomOrder(n.rhs, range);
    default:
      return true;
  }
}

/** True when some `sum`, `avg`, `topk` or `bottomk` consumes series in an order Prometheus does not fix. */
function dependsOnOrder(e: Expr, range: boolean): boolean {
  const n = unwrapParens(e);
  switch (n.kind) {
    case 'aggregate': {
      const sensitive = n.op === 'sum' || n.op === 'avg' || n.op === 'topk' || n.op === 'bottomk';
      if (sensitive && randomOrder(n.expr, range)) return true;
      return dependsOnOrder(n.expr, range) || (n.param !== undefined && dependsOnOrder(n.param, range));
    }
    case 'call':
      return n.args.some((a) => dependsOnOrder(a, range));
    case 'binary':
      return dependsOnOrder(n.lhs, range) || dependsOnOrder(n.rhs, range);
    case 'unary':
    case 'paren':
      return dependsOnOrder(n.expr, range);
    default:
      return false;
  }
}

export function orderDependent(query: string, range: boolean): boolean {
  try {
    return dependsOnOrder(parsePromQL(query), range);
  } catch {
    return false;
  }
}
