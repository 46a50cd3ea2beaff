/**
 * Gauges: values that go up and down. `Gauge`/`GaugeVec` hold doubles (`set` accepts any number, NaN and
 * infinities included, because some gauges legitimately report them; `inc`/`dec` need finite amounts so a
 * bad delta cannot poison the value forever). `IntGauge`/`IntGaugeVec` accept only safe integers and clamp
 * to +-(2^53 - 1).
 */

import { ChildBase } from './child.js';
import { Descriptor, type MetricKind, type MetricOptions } from './descriptor.js';
import { Metric } from './metric.js';
import type { ScalarSeries } from './model.js';
import { startTimer } from './timer.js';

/** One gauge series. */
export class GaugeChild extends ChildBase implements ScalarSeries {
  value = 0;

  set(value: number): void {
    if (typeof value !== 'number') throw this.invalid(value, 'gauge values must be numbers');
    this.value = value;
  }

  inc(amount = 1): void {
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw this.invalid(amount, 'gauge increments must be finite numbers');
    }
    this.value += amount;
  }

  dec(amount = 1): void {
    this.inc(typeof amount === 'number' ? -amount : amount);
  }

  /** Sets the gauge to the current Unix time in seconds. */
  setToCurrentTime(): void {
    this.set(Date.now() / 1000);
  }

  /** Starts a timer; calling the returned function sets the gauge to the elapsed seconds and returns them. */
  startTimer(): () => number {
    return startTimer((seconds) => this.set(seconds));
  }

  protected resetValues(): void {
    this.value = 0;
  }
}

const MAX = Number.MAX_SAFE_INTEGER;

/** One integer gauge series; clamps to +-(2^53 - 1). */
export class IntGaugeChild extends GaugeChild {
  override set(value: number): void {
    if (!Number.isSafeInteger(value)) throw this.invalid(value, 'integer gauge values must be safe integers');
    this.value = value;
  }

  override inc(amount = 1): void {
    if (!Number.isSafeInteger(amount))
      throw this.invalid(amount, 'integer gauge increments must be safe integers');
    const next = this.value + amount;
    this.value = Math.max(-MAX, Math.min(MAX, next));
  }

  /** Sets the gauge to the current Unix time in whole seconds. */
  override setToCurrentTime(): void {
    this.set(Math.floor(Date.now() / 1000));
  }

  /** Starts a timer; the gauge is set to the elapsed whole seconds (rounded down). */
  override startTimer(): () => number {
    return startTimer((seconds) => this.set(Math.floor(seconds)));
  }
}

type SingleOptions = Omit<MetricOptions, 'labelNames'>;

const kinds = {
  Gauge: { kind: 'Gauge', type: 'gauge', integer: false, requireLabels: false },
  IntGauge: { kind: 'IntGauge', type: 'gauge', integer: true, requireLabels: false },
  GaugeVec: { kind: 'GaugeVec', type: 'gauge', integer: false, requireLabels: true },
  IntGaugeVec: { kind: 'IntGaugeVec', type: 'gauge', integer: true, requireLabels: true },
} as const satisfies Record<string, MetricKind>;

/** The unlabelled gauges: one series, recorded through the metric itself. */
abstract class SingleGauge<C extends GaugeChild> extends Metric<C, readonly []> {
  /** The only series. */
  readonly child: C = this.labels();

  set(value: number): void {
    this.child.set(value);
  }

  inc(amount?: number): void {
    this.child.inc(amount);
  }

  dec(amount?: number): void {
    this.child.dec(amount);
  }

  setToCurrentTime(): void {
    this.child.setToCurrentTime();
  }

  startTimer(): () => number {
    return this.child.startTimer();
  }

  get value(): number {
    return this.child.value;
  }
}

/** A gauge with a single series. */
export class Gauge extends SingleGauge<GaugeChild> {
  constructor(options: SingleOptions) {
    super(new Descriptor(kinds.Gauge, options), GaugeChild);
  }
}

/** An integer gauge with a single series. */
export class IntGauge extends SingleGauge<IntGaugeChild> {
  constructor(options: SingleOptions) {
    super(new Descriptor(kinds.IntGauge, options), IntGaugeChild);
  }
}

/** A family of gauges keyed by label values. */
export class GaugeVec<const L extends readonly string[] = readonly string[]> extends Metric<GaugeChild, L> {
  constructor(options: MetricOptions<L> & { readonly labelNames: L }) {
    super(new Descriptor(kinds.GaugeVec, options), GaugeChild);
  }
}

/** A family of integer gauges keyed by label values. */
export class IntGaugeVec<const L extends readonly string[] = readonly string[]> extends Metric<
  IntGaugeChild,
  L
> {
  constructor(options: MetricOptions<L> & { readonly labelNames: L }) {
    super(new Descriptor(kinds.IntGaugeVec, options), IntGaugeChild);
  }
}
