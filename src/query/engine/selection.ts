/**
 * Reading from storage, once per query and before evaluation (Prometheus's `populateSeries`): for every
 * selector, the matching series in label order with a snapshot of the chunks the whole query can need,
 * from the first step minus offset and lookback (or range) to the last step minus offset. Samples are
 * decoded series by series during evaluation into one reused buffer, so a query holds one series' samples
 * at a time (as Prometheus's iterators do), and appends that land while a query yields do not change its
 * answer halfway.
 */
import type { Expr, VectorSelector } from '../promql/ast.js';
import { SampleBuffer } from '../storage/sample-buffer.js';
import type { SeriesSnapshot } from '../storage/series.js';
import type { MemoryStore } from '../storage/store.js';
import type { EvalContext } from './context.js';

export class Selection {
  readonly #data = new Map<VectorSelector, SeriesSnapshot[]>();
  readonly #buffer = new SampleBuffer(0);

  private constructor(private readonly store: MemoryStore) {}

  /** The series of one selector node, in label order. */
  get(selector: VectorSelector): readonly SeriesSnapshot[] {
    return this.#data.get(selector) ?? [];
  }

  /**
   * Decodes one series' samples in `[mint, maxt]` into a buffer shared by the whole query: valid until the
   * next call. The samples are counted against the query's budget while in use.
   */
  samples(series: SeriesSnapshot, mint: number, maxt: number, ctx: EvalContext): SampleBuffer {
    const buffer = this.#buffer;
    ctx.releaseSamples(buffer.length);
    buffer.clear();
    series.read(mint, maxt, buffer, this.store.decodedCache);
    ctx.addSamples(buffer.length);
    return buffer;
  }

  /** Snapshots what every selector in `expr` needs. */
  static load(store: MemoryStore, expr: Expr, ctx: EvalContext): Selection {
    const selection = new Selection(store);
    const visit = (e: Expr): void => {
      switch (e.kind) {
        case 'vector':
          selection.#select(e, ctx.lookbackMs, ctx);
          return;
        case 'matrix':
          selection.#select(e.selector, e.rangeMs, ctx);
          return;
        case 'call':
          for (const a of e.args) visit(a);
          return;
        case 'aggregate':
          if (e.param !== undefined) visit(e.param);
          visit(e.expr);
          return;
        case 'binary':
          visit(e.lhs);
          visit(e.rhs);
          return;
        case 'unary':
        case 'paren':
          visit(e.expr);
          return;
        default:
          return;
      }
    };
    visit(expr);
    return selection;
  }

  #select(sel: VectorSelector, lookbackMs: number, ctx: EvalContext): void {
    const mint = ctx.startMs - sel.offsetMs - lookbackMs;
    const maxt = ctx.endMs - sel.offsetMs;
    const out: SeriesSnapshot[] = [];
    for (const series of this.store.select(sel.matchers)) {
      if (series.lastT < mint || series.minTime > maxt) continue;
      out.push(series.snapshot(mint, maxt));
    }
    this.#data.set(sel, out);
  }
}
