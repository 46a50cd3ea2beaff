/**
 * Children: the series of a metric, and the label tree they hang from.
 *
 * A metric with k labels keeps a tree of {@link Branch}es: the root maps the first label value to a branch,
 * that branch maps the second value, and so on; the last level maps the last value to the child. A branch
 * holds the values that lead to it, shared by every child below it, so a child stores only its last value.
 * This keeps a counter series smaller than prom-client's while lookups stay one `Map.get` per label.
 */
import type { Descriptor } from './descriptor.js';
import { InvalidValueError, show } from './errors.js';
import type { Label, LabelLayout } from './model.js';

/** An inner node of a metric's label tree. */
export class Branch<C = unknown> {
  /**
   * Next label value -> branch one level down, or the child at the last level. After a collect it iterates
   * in ascending key order (code-unit order), so a scrape walks the tree in series order without sorting.
   */
  readonly next = new Map<string, Branch<C> | C>();

  /**
   * @param values the label values that lead to this branch, in slot order.
   * @param owner the metric the tree belongs to; children reach it through their branch, which saves a
   *   field on every series.
   */
  constructor(
    readonly values: readonly string[],
    readonly owner: ChildOwner,
  ) {}

  /**
   * Restores ascending key order in this branch and the `depth - 1` levels of branches below it. Called
   * only after inserts; checking the order is one comparison per entry and no field per branch, which keeps
   * the tree small (a sorted flag and a max key would cost 16 bytes per branch).
   */
  sort(depth: number): void {
    let previous: string | undefined;
    for (const key of this.next.keys()) {
      if (previous !== undefined && key < previous) {
        const entries = [...this.next].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        this.next.clear();
        for (const [k, node] of entries) this.next.set(k, node);
        break;
      }
      previous = key;
    }
    if (depth > 1) for (const node of this.next.values()) (node as Branch<C>).sort(depth - 1);
  }
}

/** What a child needs from its metric. */
export interface ChildOwner {
  readonly descriptor: Descriptor;
}

/** `performance.now()` is relative to this instant; creation times are stored relative to it (small integers). */
const TIME_ORIGIN_MS = performance.timeOrigin;

function nowMs(): number {
  return Math.round(performance.now());
}

/**
 * Base of every child: where it sits in the label tree, its creation time, and what the family model asks
 * of a series. Subclasses add the numbers and the recording methods.
 */
export abstract class ChildBase {
  /** Milliseconds since {@link TIME_ORIGIN_MS}; an integer so V8 stores it unboxed. */
  #createdMs = nowMs();

  /**
   * @param _metric the owning metric; it must be `branch.owner`, through which {@link metric} reads it
   *   (the parameter stays so every child type keeps one constructor shape).
   */
  constructor(
    _metric: ChildOwner,
    readonly branch: Branch,
    /** The value of the last label; empty for a metric without labels. */
    readonly last: string,
  ) {}

  /** The metric this series belongs to. */
  get metric(): ChildOwner {
    return this.branch.owner;
  }

  /** The label values of this series, in the metric's `labelNames` order. */
  get labelValues(): readonly string[] {
    return this.metric.descriptor.labelNames.length === 0 ? [] : [...this.branch.values, this.last];
  }

  /** The value of the label in `slot` (its index in `labelNames`). */
  labelValue(slot: number): string {
    const values = this.branch.values;
    return slot < values.length ? values[slot] : this.last;
  }

  /** The layout shared by every series of this metric. */
  get labelLayout(): LabelLayout {
    return this.metric.descriptor;
  }

  /** The exposed label pairs, sorted by name (const and variable labels). Built on demand. */
  get labels(): readonly Label[] {
    return this.metric.descriptor.labelsOf(this.labelValues);
  }

  /** OpenMetrics `_created`: seconds since the epoch at which this series was created or last reset. */
  get created(): number {
    return (TIME_ORIGIN_MS + this.#createdMs) / 1000;
  }

  /** Sets the series back to its initial state and moves its `_created` time to now. */
  reset(): void {
    this.#createdMs = nowMs();
    this.resetValues();
  }

  protected abstract resetValues(): void;

  /** The error thrown for a value the series cannot record; it names the metric and the series. */
  protected invalid(value: unknown, reason: string): InvalidValueError {
    const d = this.metric.descriptor;
    const pairs = d.labelNames.map((n, i) => `${n}=${show(this.labelValue(i))}`).join(',');
    const where = pairs ? `${d.name}{${pairs}}` : d.name;
    return new InvalidValueError(`metric ${show(where)}: ${reason}, got ${show(value)}`);
  }
}

/** Creates a child of a metric; every child type has this constructor. */
export type ChildClass<C extends ChildBase> = new (metric: ChildOwner, branch: Branch, last: string) => C;
