/**
 * Values during evaluation. Like Prometheus's evaluator, every node is evaluated over all steps at once:
 * a scalar is one number per step, an instant vector is a list of series with an optional value per step.
 * Series keep the order in which Prometheus would produce them (storage order for selectors, input order
 * for functions and binary operators, first appearance for aggregation groups), because that order is the
 * order of floating-point additions in `sum` and `avg`.
 */
import { EvaluationError } from '../errors.js';
import type { Labels } from '../labels.js';
import type { EvalContext } from './context.js';

/** One series of an instant vector over the step grid. */
export interface StepSeries {
  readonly labels: Labels;
  readonly values: Float64Array;
  /** 1 where the series has a value at that step. */
  readonly present: Uint8Array;
}

export interface ScalarValue {
  readonly type: 'scalar';
  readonly values: Float64Array;
}

export interface VectorValue {
  readonly type: 'vector';
  readonly series: readonly StepSeries[];
}

export interface StringValue {
  readonly type: 'string';
  readonly value: string;
}

/** A range selector's samples at the single evaluation time of an instant query. */
export interface MatrixValue {
  readonly type: 'matrix';
  readonly series: readonly { readonly labels: Labels; readonly t: Float64Array; readonly v: Float64Array }[];
}

export type Value = ScalarValue | VectorValue | StringValue | MatrixValue;

export function newStepSeries(labels: Labels, numSteps: number): StepSeries {
  return { labels, values: new Float64Array(numSteps), present: new Uint8Array(numSteps) };
}

/**
 * Collects a node's output step by step into series keyed by label set, failing as Prometheus does when
 * one step produces the same label set twice.
 */
export class StepOutput {
  readonly #byKey = new Map<string, StepSeries>();
  readonly #series: StepSeries[] = [];

  constructor(private readonly ctx: EvalContext) {}

  add(step: number, labels: Labels, value: number): void {
    this.set(this.series(labels), step, value);
  }

  /** The output series for a label set, created on first use; callers may keep it to skip the lookup. */
  series(labels: Labels): StepSeries {
    const key = this.ctx.memo.key(labels);
    let s = this.#byKey.get(key);
    if (s === undefined) {
      s = newStepSeries(labels, this.ctx.numSteps);
      this.#byKey.set(key, s);
      this.#series.push(s);
    }
    return s;
  }

  set(s: StepSeries, step: number, value: number): void {
    if (s.present[step] === 1)
      throw new EvaluationError('vector cannot contain metrics with the same labelset');
    s.present[step] = 1;
    s.values[step] = value;
    this.ctx.addSamples(1);
  }

  result(): VectorValue {
    return { type: 'vector', series: this.#series };
  }
}

/**
 * The indices of the series present at a step, in series order, reusing one buffer: Prometheus's
 * per-step input vector without allocating one per step.
 */
export class StepCursor {
  readonly indices: Int32Array;
  length = 0;

  constructor(readonly series: readonly StepSeries[]) {
    this.indices = new Int32Array(series.length);
  }

  at(step: number): this {
    let n = 0;
    const series = this.series;
    for (let i = 0; i < series.length; i++) if (series[i].present[step] === 1) this.indices[n++] = i;
    this.length = n;
    return this;
  }
}

/** Fails when two series of a whole-range result share a label set (Prometheus's `ContainsSameLabelset`). */
export function assertDistinctLabelSets(ctx: EvalContext, series: readonly StepSeries[]): void {
  const seen = new Set<string>();
  for (const s of series) {
    const key = ctx.memo.key(s.labels);
    if (seen.has(key)) throw new EvaluationError('vector cannot contain metrics with the same labelset');
    seen.add(key);
  }
}
