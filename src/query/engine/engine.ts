/**
 * The query engine: parses PromQL, reads what the query needs from the store, evaluates it with Prometheus
 * 2.42's semantics and returns results shaped like Prometheus's API values.
 *
 * Limits: a deadline per query (default 2 minutes, Prometheus's `--query.timeout`), a maximum number of
 * samples held at once (default 50 million, `--query.max-samples`), and for range queries a maximum number
 * of steps (11,000, the limit Prometheus's API enforces). Evaluation yields to the event loop regularly,
 * so a heavy query never stalls scraping or other requests.
 */
import { QueryError } from '../errors.js';
import { compareLabels, EMPTY_LABELS, type Labels } from '../labels.js';
import { documentedType, type Expr, typeOf } from '../promql/ast.js';
import { parsePromQL } from '../promql/parser.js';
import type { MemoryStore } from '../storage/store.js';
import { EvalContext, type StepGrid } from './context.js';
import { Evaluator } from './evaluator.js';
import { Selection } from './selection.js';
import type { Value } from './values.js';

export interface EngineOptions {
  /** How far back an instant selector looks for a sample, ms. Default 5 minutes. */
  readonly lookbackDeltaMs?: number;
  /** Most samples a query may hold in memory. Default 50,000,000. */
  readonly maxSamples?: number;
  /** Default per-query timeout, ms. Default 120,000. */
  readonly timeoutMs?: number;
  /** Most steps of a range query. Default 11,000. */
  readonly maxPointsPerSeries?: number;
}

export interface QueryOptions {
  /** Overrides the engine's timeout for this query (the API's `timeout` parameter). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface InstantSample {
  readonly labels: Labels;
  /** Evaluation time, ms. */
  readonly t: number;
  readonly v: number;
}

export interface RangeSeries {
  readonly labels: Labels;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: readonly InstantSample[] }
  | { readonly resultType: 'scalar'; readonly result: { readonly t: number; readonly v: number } }
  | { readonly resultType: 'string'; readonly result: { readonly t: number; readonly v: string } }
  | { readonly resultType: 'matrix'; readonly result: readonly RangeSeries[] };

export class QueryEngine {
  readonly lookbackDeltaMs: number;
  readonly maxSamples: number;
  readonly timeoutMs: number;
  readonly maxPointsPerSeries: number;

  constructor(
    readonly store: MemoryStore,
    options: EngineOptions = {},
  ) {
    this.lookbackDeltaMs = options.lookbackDeltaMs ?? 300_000;
    this.maxSamples = options.maxSamples ?? 50_000_000;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxPointsPerSeries = options.maxPointsPerSeries ?? 11_000;
  }

  /** Parses and type-checks without evaluating (throws the same errors a query would). */
  parse(query: string): Expr {
    return parsePromQL(query);
  }

  /** Evaluates `query` at `timeMs` (Prometheus's `/api/v1/query`). */
  async instantQuery(query: string, timeMs: number, options: QueryOptions = {}): Promise<QueryResult> {
    const expr = parsePromQL(query);
    const value = await this.#run(expr, { startMs: timeMs, endMs: timeMs, intervalMs: 1 }, options);
    switch (value.type) {
      case 'scalar':
        return { resultType: 'scalar', result: { t: timeMs, v: value.values[0] } };
      case 'string':
        return { resultType: 'string', result: { t: timeMs, v: value.value } };
      case 'matrix':
        return { resultType: 'matrix', result: value.series };
      case 'vector':
        return {
          resultType: 'vector',
          result: value.series.map((s) => ({ labels: s.labels, t: timeMs, v: s.values[0] })),
        };
    }
  }

  /** Evaluates `query` at every step from `startMs` to `endMs` (Prometheus's `/api/v1/query_range`). */
  async rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    options: QueryOptions = {},
  ): Promise<QueryResult> {
    if (!(stepMs > 0)) {
      throw new QueryError(
        'zero or negative query resolution step widths are not accepted. Try a positive integer',
        'bad_data',
      );
    }
    if (endMs < startMs) throw new QueryError('end timestamp must not be before start time', 'bad_data');
    if (Math.floor((endMs - startMs) / stepMs) > this.maxPointsPerSeries) {
      throw new QueryError(
        `exceeded maximum resolution of ${this.maxPointsPerSeries.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`,
        'bad_data',
      );
    }
    const expr = parsePromQL(query);
    const type = typeOf(expr);
    if (type !== 'scalar' && type !== 'vector') {
      throw new QueryError(
        `invalid expression type ${JSON.stringify(documentedType(type))} for range query, must be Scalar or instant Vector`,
        'bad_data',
      );
    }
    const grid = { startMs, endMs, intervalMs: stepMs };
    const value = await this.#run(expr, grid, options);
    const steps = Math.floor((endMs - startMs) / stepMs) + 1;
    if (value.type === 'scalar') {
      const t = new Float64Array(steps).map((_, i) => startMs + i * stepMs);
      return { resultType: 'matrix', result: [{ labels: EMPTY_LABELS, t, v: value.values }] };
    }
    if (value.type !== 'vector') throw new Error(`unexpected ${value.type} result of a range query`);
    const result: RangeSeries[] = [];
    for (const s of value.series) {
      let n = 0;
      for (let i = 0; i < steps; i++) n += s.present[i];
      if (n === 0) continue;
      const t = new Float64Array(n);
      const v = new Float64Array(n);
      let j = 0;
      for (let i = 0; i < steps; i++) {
        if (s.present[i] === 0) continue;
        t[j] = startMs + i * stepMs;
        v[j] = s.values[i];
        j++;
      }
      result.push({ labels: s.labels, t, v });
    }
    result.sort((a, b) => compareLabels(a.labels, b.labels));
    return { resultType: 'matrix', result };
  }

  async #run(expr: Expr, grid: StepGrid, options: QueryOptions): Promise<Value> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const ctx = new EvalContext(grid, {
      lookbackMs: this.lookbackDeltaMs,
      maxSamples: this.maxSamples,
      deadline: performance.now() + timeoutMs,
      signal: options.signal,
    });
    ctx.check();
    const selection = Selection.load(this.store, expr, ctx);
    return new Evaluator(ctx, selection).eval(expr);
  }
}
