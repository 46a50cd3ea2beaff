/**
 * The one generic metric: a family of series (children) of one child type, looked up by label values.
 *
 * Every concrete type (Counter, IntGaugeVec, Histogram, ...) is this class with a child class as its
 * parameter. Resolving label values returns a stable child handle whose recording methods touch only
 * numbers; the lookup walks one `Map` per label position, so no key string is built and no two label
 * sets can ever collide, whatever characters the values hold.
 */
import type { Descriptor } from './descriptor.js';
import { OVERFLOW_LABEL_VALUE } from './descriptor.js';
import { InvalidValueError, LabelCardinalityError, show } from './errors.js';
import type { Label, MetricFamily, Series, SeriesExpositionCache } from './model.js';
import { isWellFormed } from './validate.js';

/** Label values given by name. */
export type LabelValues<L extends readonly string[]> = { readonly [K in L[number]]: string };

/** Label values given by position, in `labelNames` order. */
export type PositionalLabelValues<L extends readonly string[]> = L extends readonly []
  ? []
  : { -readonly [K in keyof L]: string } & string[];

/** What every child (one series) offers its metric. */
export interface Child {
  readonly labelValues: readonly string[];
  /** Sets the series back to its initial state and moves its `_created` time to now. */
  reset(): void;
}

/** Base of every child: the label values, the exposed labels and the writer cache. */
export abstract class ChildBase implements Child {
  exposition: SeriesExpositionCache | undefined = undefined;
  created: number = Date.now() / 1000;

  constructor(
    readonly metric: Metric<ChildBase>,
    readonly labelValues: readonly string[],
  ) {}

  /** The exposed label pairs, sorted by name (const and variable labels). Built on demand. */
  get labels(): readonly Label[] {
    return this.metric.descriptor.labelsOf(this.labelValues);
  }

  abstract reset(): void;

  /** The error thrown for a value the series cannot record. */
  protected invalid(value: unknown, reason: string): InvalidValueError {
    const labels = this.labels
      .filter((l) => this.metric.descriptor.constLabels.every((c) => c.name !== l.name))
      .map((l) => `${l.name}=${show(l.value)}`)
      .join(',');
    const where = labels ? `${this.metric.descriptor.name}{${labels}}` : this.metric.descriptor.name;
    return new InvalidValueError(`metric ${show(where)}: ${reason}, got ${show(value)}`);
  }
}

export type ChildClass<C extends ChildBase> = new (metric: Metric<C>, values: readonly string[]) => C;

type Node<C> = Map<string, Node<C> | C>;

const NO_VALUES: readonly string[] = Object.freeze([]);

/** A metric: one descriptor and the series recorded under it. */
export class Metric<C extends ChildBase = ChildBase, L extends readonly string[] = readonly string[]> {
  /** Label sets refused because the metric reached `maxSeries` (they were recorded into the overflow series). */
  refusedSeries = 0;

  readonly #childClass: ChildClass<C>;
  readonly #arity: number;
  #root: Node<C> = new Map();
  #single: C | undefined;
  #children = new Set<C>();
  #family: MetricFamily | undefined;
  #dirty = true;

  constructor(
    readonly descriptor: Descriptor,
    childClass: ChildClass<C>,
  ) {
    this.#childClass = childClass;
    this.#arity = descriptor.labelNames.length;
    if (this.#arity === 0) {
      this.#single = new childClass(this as unknown as Metric<C>, NO_VALUES);
      this.#children.add(this.#single);
    }
  }

  /** The number of series currently held. */
  get seriesCount(): number {
    return this.#children.size;
  }

  /**
   * Returns the child for these label values, creating it on first use. Values may be given by position
   * (`labels('GET', '200')`) or by name (`labels({ method: 'GET', code: '200' })`). Keep the returned handle
   * to record without any lookup. The values are copied; the caller's object is never kept.
   */
  labels(values: LabelValues<L>): C;
  labels(...values: PositionalLabelValues<L>): C;
  labels(...args: unknown[]): C {
    const arity = this.#arity;
    const first = args[0];
    if (typeof first === 'string') {
      if (args.length === arity) {
        let node: Node<C> | C | undefined = this.#root.get(first);
        for (let i = 1; i < arity && node !== undefined; i++) node = (node as Node<C>).get(args[i] as string);
        if (node !== undefined) return node as C;
      }
      return this.#create(args as string[]);
    }
    if (typeof first === 'object' && first !== null && args.length === 1) {
      const names = this.descriptor.labelNames;
      const given = first as Record<string, unknown>;
      let keys = 0;
      for (const _ in given) keys++;
      if (keys === arity && arity > 0) {
        let node: Node<C> | C | undefined = this.#root;
        for (let i = 0; i < arity && node !== undefined; i++)
          node = (node as Node<C>).get(given[names[i]] as string);
        if (node !== undefined) return node as C;
      }
      return this.#create(this.#valuesFromObject(given));
    }
    if (args.length === 0 && this.#single !== undefined) return this.#single;
    return this.#create(args as string[]);
  }

  /** Removes the series with these label values; returns whether it existed. Its handle stops being exposed. */
  remove(values: LabelValues<L>): boolean;
  remove(...values: PositionalLabelValues<L>): boolean;
  remove(...args: unknown[]): boolean {
    if (this.#arity === 0) return false;
    const values =
      typeof args[0] === 'object' && args[0] !== null
        ? this.#valuesFromObject(args[0] as Record<string, unknown>)
        : (args as string[]);
    if (values.length !== this.#arity) return false;
    const path: Node<C>[] = [this.#root];
    for (let i = 0; i < values.length - 1; i++) {
      const next = path[i].get(values[i]) as Node<C> | undefined;
      if (next === undefined) return false;
      path.push(next);
    }
    const leaf = path[path.length - 1];
    const child = leaf.get(values[values.length - 1]) as C | undefined;
    if (child === undefined) return false;
    leaf.delete(values[values.length - 1]);
    for (let i = path.length - 1; i > 0 && path[i].size === 0; i--) path[i - 1].delete(values[i - 1]);
    this.#children.delete(child);
    this.#dirty = true;
    return true;
  }

  /** Removes every series of a labelled metric, or resets the single series of an unlabelled one. */
  clear(): void {
    if (this.#single !== undefined) {
      this.#single.reset();
      return;
    }
    this.#root = new Map();
    this.#children.clear();
    this.#dirty = true;
  }

  /** Every current series, in no particular order. */
  children(): IterableIterator<C> {
    return this.#children.values();
  }

  /**
   * The family of this metric with its series in stable order (by label values in label-name order), or
   * undefined when it has no series. The returned object and its series array are not changed afterwards;
   * a series created or removed later shows in the next call's result.
   */
  collect(): MetricFamily | undefined {
    if (this.#dirty) {
      this.#dirty = false;
      const d = this.descriptor;
      const series = [...this.#children].sort((a, b) => d.compareValues(a.labelValues, b.labelValues));
      this.#family =
        series.length === 0
          ? undefined
          : Object.freeze({
              name: d.name,
              help: d.help,
              type: d.type,
              unit: d.unit,
              integer: d.integer,
              series: Object.freeze(series) as unknown as readonly Series[],
            });
    }
    return this.#family;
  }

  #valuesFromObject(given: Record<string, unknown>): string[] {
    const names = this.descriptor.labelNames;
    for (const key in given) {
      if (!names.includes(key)) {
        throw new LabelCardinalityError(
          `metric ${show(this.descriptor.name)}: unknown label ${show(key)}; label names are ${show(names)}`,
        );
      }
    }
    return names.map((n) => {
      if (!Object.hasOwn(given, n)) {
        throw new LabelCardinalityError(
          `metric ${show(this.descriptor.name)}: missing label ${show(n)}; label names are ${show(names)}`,
        );
      }
      return given[n] as string;
    });
  }

  /** The slow path: validate, copy, enforce the series limit, and insert a new child. */
  #create(values: string[]): C {
    const d = this.descriptor;
    if (values.length !== this.#arity) {
      throw new LabelCardinalityError(
        `metric ${show(d.name)}: expected ${this.#arity} label value(s) for ${show(d.labelNames)}, got ${values.length}: ${show(values)}`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'string') {
        throw new InvalidValueError(
          `metric ${show(d.name)}: value of label ${show(d.labelNames[i])} must be a string, got ${show(v)}`,
        );
      }
      if (!isWellFormed(v)) {
        throw new InvalidValueError(
          `metric ${show(d.name)}: value of label ${show(d.labelNames[i])} ${show(v)} contains a lone UTF-16 surrogate`,
        );
      }
    }
    if (this.#children.size >= d.maxSeries) {
      this.refusedSeries++;
      const overflow = new Array<string>(this.#arity).fill(OVERFLOW_LABEL_VALUE);
      return this.#find(overflow) ?? this.#insert(overflow);
    }
    return this.#insert(values);
  }

  #find(values: readonly string[]): C | undefined {
    let node: Node<C> | C | undefined = this.#root;
    for (let i = 0; i < values.length && node !== undefined; i++) node = (node as Node<C>).get(values[i]);
    return node as C | undefined;
  }

  #insert(values: string[]): C {
    const frozen = Object.freeze(values.slice());
    const child = new this.#childClass(this as unknown as Metric<C>, frozen);
    let node = this.#root;
    for (let i = 0; i < frozen.length - 1; i++) {
      let next = node.get(frozen[i]) as Node<C> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(frozen[i], next);
      }
      node = next;
    }
    node.set(frozen[frozen.length - 1], child);
    this.#children.add(child);
    this.#dirty = true;
    return child;
  }
}
