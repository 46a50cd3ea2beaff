/**
 * Histograms with classic cumulative buckets. A child keeps per-bucket counts in a `Float64Array` (one slot
 * per bound plus `+Inf`), so `observe` is a bucket search and three additions; cumulative counts are built
 * when a scrape asks for them. Only finite observations are accepted: a NaN or infinity would make `_sum`
 * useless forever.
 */

import { type Branch, ChildBase, type ChildOwner } from './child.js';
import { Descriptor, type MetricKind, type MetricOptions } from './descriptor.js';
import { Metric } from './metric.js';
import type { HistogramSeries } from './model.js';
import { startTimer } from './timer.js';

/** Options of histograms: the common ones plus the bucket upper bounds (`+Inf` is implicit). */
export interface HistogramOptions<L extends readonly string[] = readonly string[]> extends MetricOptions<L> {
  /** Finite, strictly increasing upper bounds; default {@link DEFAULT_BUCKETS}. */
  readonly buckets?: readonly number[];
}

/** Past this many bounds a binary search beats a linear scan. */
const LINEAR_SEARCH_LIMIT = 24;

/** One histogram series. */
export class HistogramChild extends ChildBase implements HistogramSeries {
  /** Non-cumulative count per bucket; the last slot is the `+Inf` bucket. */
  readonly bucketCounts: Float64Array;
  sum = 0;
  count = 0;
  readonly #bounds: Float64Array;

  constructor(metric: ChildOwner, branch: Branch, last: string) {
    super(metric, branch, last);
    this.#bounds = metric.descriptor.bounds;
    this.bucketCounts = new Float64Array(this.#bounds.length + 1);
  }

  /** Records one observation, which must be a finite number. */
  observe(value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw this.invalid(value, 'histogram observations must be finite numbers');
    }
    const bounds = this.#bounds;
    const n = bounds.length;
    let i = 0;
    if (n <= LINEAR_SEARCH_LIMIT) {
      while (i < n && value > bounds[i]) i++;
    } else {
      let hi = n;
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (value > bounds[mid]) i = mid + 1;
        else hi = mid;
      }
    }
    this.bucketCounts[i]++;
    this.sum += value;
    this.count++;
  }

  /** Starts a timer; calling the returned function observes the elapsed seconds and returns them. */
  startTimer(): () => number {
    return startTimer((seconds) => this.observe(seconds));
  }

  get upperBounds(): readonly number[] {
    return this.metric.descriptor.upperBounds;
  }

  /** Cumulative counts, one per upper bound including `+Inf`. */
  get counts(): Float64Array {
    const src = this.bucketCounts;
    const out = new Float64Array(src.length);
    let total = 0;
    for (let i = 0; i < src.length; i++) {
      total += src[i];
      out[i] = total;
    }
    return out;
  }

  protected resetValues(): void {
    this.bucketCounts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

const kinds = {
  Histogram: { kind: 'Histogram', type: 'histogram', integer: false, requireLabels: false },
  HistogramVec: { kind: 'HistogramVec', type: 'histogram', integer: false, requireLabels: true },
} as const satisfies Record<string, MetricKind>;

/** A histogram with a single series. */
export class Histogram extends Metric<HistogramChild, readonly []> {
  /** The only series. */
  readonly child: HistogramChild = this.labels();

  constructor(options: Omit<HistogramOptions, 'labelNames'>) {
    super(new Descriptor(kinds.Histogram, options), HistogramChild);
  }

  observe(value: number): void {
    this.child.observe(value);
  }

  startTimer(): () => number {
    return this.child.startTimer();
  }
}

/** A family of histograms keyed by label values. */
export class HistogramVec<const L extends readonly string[] = readonly string[]> extends Metric<
  HistogramChild,
  L
> {
  constructor(options: HistogramOptions<L> & { readonly labelNames: L }) {
    super(new Descriptor(kinds.HistogramVec, options), HistogramChild);
  }
}
