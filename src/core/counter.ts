/**
 * Counters: monotonically increasing totals. `Counter`/`CounterVec` hold doubles; `IntCounter`/
 * `IntCounterVec` accept only safe integers and saturate at `Number.MAX_SAFE_INTEGER` (2^53 - 1), the way
 * the reference clamps its 64-bit integers instead of wrapping.
 */

import { ChildBase } from './child.js';
import { Descriptor, type MetricKind, type MetricOptions } from './descriptor.js';
import { Metric } from './metric.js';
import type { ScalarSeries } from './model.js';

/** One counter series. */
export class CounterChild extends ChildBase implements ScalarSeries {
  value = 0;

  /** Adds `amount` (default 1), which must be a finite number >= 0. */
  inc(amount = 1): void {
    if (typeof amount !== 'number' || !(amount >= 0 && amount < Number.POSITIVE_INFINITY)) {
      throw this.invalid(amount, 'counter increments must be finite numbers >= 0');
    }
    this.value += amount;
  }

  protected resetValues(): void {
    this.value = 0;
  }
}

/** One integer counter series; saturates at 2^53 - 1. */
export class IntCounterChild extends CounterChild {
  override inc(amount = 1): void {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw this.invalid(amount, 'integer counter increments must be safe integers >= 0');
    }
    const next = this.value + amount;
    this.value = Math.min(next, Number.MAX_SAFE_INTEGER);
  }
}

type SingleOptions = Omit<MetricOptions, 'labelNames'>;

const kinds = {
  Counter: { kind: 'Counter', type: 'counter', integer: false, requireLabels: false },
  IntCounter: { kind: 'IntCounter', type: 'counter', integer: true, requireLabels: false },
  CounterVec: { kind: 'CounterVec', type: 'counter', integer: false, requireLabels: true },
  IntCounterVec: { kind: 'IntCounterVec', type: 'counter', integer: true, requireLabels: true },
} as const satisfies Record<string, MetricKind>;

/** The unlabelled counters: one series, recorded through the metric itself. */
abstract class SingleCounter<C extends CounterChild> extends Metric<C, readonly []> {
  /** The only series. */
  readonly child: C = this.labels();

  inc(amount?: number): void {
    this.child.inc(amount);
  }

  get value(): number {
    return this.child.value;
  }
}

/** A counter with a single series. */
export class Counter extends SingleCounter<CounterChild> {
  constructor(options: SingleOptions) {
    super(new Descriptor(kinds.Counter, options), CounterChild);
  }
}

/** An integer counter with a single series. */
export class IntCounter extends SingleCounter<IntCounterChild> {
  constructor(options: SingleOptions) {
    super(new Descriptor(kinds.IntCounter, options), IntCounterChild);
  }
}

/** A family of counters keyed by label values. */
export class CounterVec<const L extends readonly string[] = readonly string[]> extends Metric<
  CounterChild,
  L
> {
  constructor(options: MetricOptions<L> & { readonly labelNames: L }) {
    super(new Descriptor(kinds.CounterVec, options), CounterChild);
  }
}

/** A family of integer counters keyed by label values. */
export class IntCounterVec<const L extends readonly string[] = readonly string[]> extends Metric<
  IntCounterChild,
  L
> {
  constructor(options: MetricOptions<L> & { readonly labelNames: L }) {
    super(new Descriptor(kinds.IntCounterVec, options), IntCounterChild);
  }
}
