/**
 * The one generic metric: a family of series (children) of one child type, looked up by label values.
 *
 * Every concrete type (Counter, IntGaugeVec, Histogram, ...) is this class with a child class as its
 * parameter. Resolving label values returns a stable child handle whose recording methods touch only
 * numbers; the lookup walks one `Map` per label position (see {@link Branch}), so no key string is built
 * and no two label sets can ever collide, whatever characters the values hold.
 */
import { Branch, type ChildBase, type ChildClass } from './child.js';
import type { Descriptor } from './descriptor.js';
import { OVERFLOW_LABEL_VALUE } from './descriptor.js';
import { InvalidValueError, LabelCardinalityError, show } from './errors.js';
import type { MetricFamily, Series } from './model.js';
import { isWellFormed } from './validate.js';

/** Label values given by name. */
export type LabelValues<L extends readonly string[]> = { readonly [K in L[number]]: string };

/** Label values given by position, in `labelNames` order. */
export type PositionalLabelValues<L extends readonly string[]> = L extends readonly []
  ? []
  : { -readonly [K in keyof L]: string } & string[];

type LookupByName = (root: Branch, given: object) => unknown;

/**
 * Compiles the by-name lookup of a metric's children: `(root, given) => child | undefined`. Generated code
 * reads `given.<label>` with fixed property names, which V8 turns into monomorphic loads; a generic loop
 * over `given[names[i]]` is several times slower. It also counts the keys of `given`, so an object with an
 * extra label never matches. Label names are validated identifiers (`[a-zA-Z_][a-zA-Z0-9_]*`, no `__`
 * prefix), so they are safe to embed in source text.
 */
function compileLookupByName(names: readonly string[]): LookupByName {
  let body = `let keys = 0; for (const _ in given) keys++; if (keys !== ${names.length}) return undefined; let node = root;`;
  names.forEach((name, i) => {
    body += ` node = node.next.get(given.${name});`;
    if (i < names.length - 1) body += ' if (node === undefined) return undefined;';
  });
  return new Function('root', 'given', `${body} return node;`) as LookupByName;
}

/** Appends the children below `branch` (which has `depth` levels below it) to `out`, in tree order. */
function collectLeaves(branch: Branch, depth: number, out: ChildBase[]): void {
  if (depth === 1) for (const child of branch.next.values()) out.push(child as ChildBase);
  else for (const next of branch.next.values()) collectLeaves(next as Branch, depth - 1, out);
}

function compareInSlotOrder(a: ChildBase, b: ChildBase, order: readonly number[]): number {
  for (const slot of order) {
    const x = a.labelValue(slot);
    const y = b.labelValue(slot);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A metric: one descriptor and the series recorded under it. */
export class Metric<C extends ChildBase = ChildBase, L extends readonly string[] = readonly string[]> {
  /** Label sets refused because the metric reached `maxSeries` (they were recorded into the overflow series). */
  refusedSeries = 0;

  readonly #childClass: ChildClass<C>;
  readonly #arity: number;
  readonly #lookupByName: LookupByName;
  #root: Branch = new Branch([], this);
  #single: C | undefined;
  #count = 0;
  /** Set by inserts, which may break the key order of a branch; the next collect checks and re-sorts. */
  #unsorted = false;

  constructor(
    readonly descriptor: Descriptor,
    childClass: ChildClass<C>,
  ) {
    this.#childClass = childClass;
    this.#arity = descriptor.labelNames.length;
    this.#lookupByName = compileLookupByName(descriptor.labelNames);
    if (this.#arity === 0) {
      this.#single = new childClass(this, this.#root, '');
      this.#count = 1;
    }
  }

  /** The number of series currently held. */
  get seriesCount(): number {
    return this.#count;
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
        let node = this.#root.next.get(first);
        for (let i = 1; i < arity && node !== undefined; i++)
          node = (node as Branch).next.get(args[i] as string);
        if (node !== undefined) return node as C;
      }
      return this.#create(args as string[]);
    }
    if (typeof first === 'object' && first !== null && args.length === 1) {
      const given = first as Record<string, unknown>;
      if (arity > 0) {
        const hit = this.#lookupByName(this.#root, given);
        if (hit !== undefined) return hit as C;
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
    const path: Branch[] = [this.#root];
    for (let i = 0; i < values.length - 1; i++) {
      const next = path[i].next.get(values[i]) as Branch | undefined;
      if (next === undefined) return false;
      path.push(next);
    }
    const leaf = path[path.length - 1];
    if (!leaf.next.delete(values[values.length - 1])) return false;
    for (let i = path.length - 1; i > 0 && path[i].next.size === 0; i--)
      path[i - 1].next.delete(values[i - 1]);
    this.#count--;
    return true;
  }

  /** Removes every series of a labelled metric, or resets the single series of an unlabelled one. */
  clear(): void {
    if (this.#single !== undefined) {
      this.#single.reset();
      return;
    }
    this.#root = new Branch([], this);
    this.#count = 0;
    this.#unsorted = false;
  }

  /** Every current series, in label-tree order. */
  *children(): Generator<C> {
    if (this.#single !== undefined) {
      yield this.#single;
      return;
    }
    const walk = function* (branch: Branch, depth: number, arity: number): Generator<C> {
      for (const node of branch.next.values()) {
        if (depth === arity - 1) yield node as C;
        else yield* walk(node as Branch, depth + 1, arity);
      }
    };
    yield* walk(this.#root, 0, this.#arity);
  }

  /**
   * The family of this metric with its series in stable order (by label values, compared in label-name
   * order), or undefined when it has no series. The returned object is not changed afterwards; a series
   * created or removed later shows in the next call's result.
   *
   * Nothing is cached between calls: the label tree is kept in key order, so the series list is one walk
   * of it, and not keeping a sorted copy saves 8 bytes per series. Only a metric whose label names are not
   * declared in sorted order needs a sort on top of the walk.
   */
  collect(): MetricFamily | undefined {
    if (this.#count === 0) return undefined;
    const d = this.descriptor;
    let series: ChildBase[];
    if (this.#single !== undefined) series = [this.#single];
    else {
      if (this.#unsorted) {
        this.#root.sort(this.#arity);
        this.#unsorted = false;
      }
      series = [];
      collectLeaves(this.#root, this.#arity, series);
      if (!d.namesSorted) series.sort((a, b) => compareInSlotOrder(a, b, d.slotOrder));
    }
    return Object.freeze({
      name: d.name,
      help: d.help,
      type: d.type,
      unit: d.unit,
      integer: d.integer,
      series: series as unknown as readonly Series[],
    });
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
    if (this.#count >= d.maxSeries) {
      this.refusedSeries++;
      const overflow = new Array<string>(this.#arity).fill(OVERFLOW_LABEL_VALUE);
      return this.#find(overflow) ?? this.#insert(overflow);
    }
    return this.#insert(values);
  }

  #find(values: readonly string[]): C | undefined {
    let node: Branch | C | undefined = this.#root;
    for (let i = 0; i < values.length && node !== undefined; i++)
      node = (node as Branch).next.get(values[i]) as C;
    return node as C | undefined;
  }

  #insert(values: string[]): C {
    let branch = this.#root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = branch.next.get(values[i]) as Branch | undefined;
      if (next === undefined) {
        next = new Branch(Object.freeze(values.slice(0, i + 1)), this);
        branch.next.set(values[i], next);
      }
      branch = next;
    }
    const last = values[values.length - 1];
    const child = new this.#childClass(this, branch, last);
    branch.next.set(last, child);
    this.#unsorted = true;
    this.#count++;
    return child;
  }
}
