/**
 * Reading from storage, once per query and before evaluation (Prometheus's `populateSeries`): for every
 * selector, the matching series in label order, with the samples the whole query can need, i.e. from the
 * first step minus offset and lookback (or range) to the last step minus offset. Evaluation then works on
 * this snapshot only, so appends that land while a query yields do not change its answer halfway.
 */
import type { Labels } from '../labels.js';
import type { Expr, VectorSelector } from '../promql/ast.js';
import { SampleBuffer } from '../storage/sample-buffer.js';
import type { MemoryStore } from '../storage/store.js';
import type { EvalContext } from './context.js';

export interface SelectedSeries {
  readonly labels: Labels;
  readonly samples: SampleBuffer;
}

export class Selection {
  readonly #data = new Map<VectorSelector, SelectedSeries[]>();

  /** The data of one selector node. */
  get(selector: VectorSelector): readonly SelectedSeries[] {
    return this.#data.get(selector) ?? [];
  }

  /** Reads what every selector in `expr` needs. */
  static async load(store: MemoryStore, expr: Expr, ctx: EvalContext): Promise<Selection> {
    const selection = new Selection();
    const visit = async (e: Expr): Promise<void> => {
      switch (e.kind) {
        case 'vector':
          await selection.#read(store, e, ctx.lookbackMs, ctx);
          return;
        case 'matrix':
          await selection.#read(store, e.selector, e.rangeMs, ctx);
          return;
        case 'call':
          for (const a of e.args) await visit(a);
          return;
        case 'aggregate':
          if (e.param !== undefined) await visit(e.param);
          await visit(e.expr);
          return;
        case 'binary':
          await visit(e.lhs);
          await visit(e.rhs);
          return;
        case 'unary':
        case 'paren':
          await visit(e.expr);
          return;
        default:
          return;
      }
    };
    await visit(expr);
    return selection;
  }

  async #read(store: MemoryStore, sel: VectorSelector, lookbackMs: number, ctx: EvalContext): Promise<void> {
    const mint = ctx.startMs - sel.offsetMs - lookbackMs;
    const maxt = ctx.endMs - sel.offsetMs;
    const out: SelectedSeries[] = [];
    for (const series of store.select(sel.matchers)) {
      if (series.lastT < mint || series.minTime > maxt) continue;
      const samples = new SampleBuffer(16);
      series.read(mint, maxt, samples);
      if (samples.length === 0) continue;
      ctx.addSamples(samples.length);
      out.push({ labels: series.labels, samples });
      await ctx.tick();
    }
    this.#data.set(sel, out);
  }
}
