/**
 * The inverted index: for every label name and value, the series that carry it. Selecting with matchers
 * starts from the postings of matchers that cannot match a missing label (they narrow the candidates), then
 * checks every matcher on each candidate, as Prometheus's `PostingsForMatchers` does.
 */
import type { LabelMatcher } from './matcher.js';
import type { MemSeries } from './series.js';

export class Postings {
  readonly #byName = new Map<string, Map<string, Set<MemSeries>>>();
  readonly #all = new Set<MemSeries>();

  add(series: MemSeries): void {
    this.#all.add(series);
    for (const l of series.labels) {
      let values = this.#byName.get(l.name);
      if (values === undefined) {
        values = new Map();
        this.#byName.set(l.name, values);
      }
      let set = values.get(l.value);
      if (set === undefined) {
        set = new Set();
        values.set(l.value, set);
      }
      set.add(series);
    }
  }

  delete(series: MemSeries): void {
    this.#all.delete(series);
    for (const l of series.labels) {
      const values = this.#byName.get(l.name);
      const set = values?.get(l.value);
      if (values === undefined || set === undefined) continue;
      set.delete(series);
      if (set.size === 0) values.delete(l.value);
      if (values.size === 0) this.#byName.delete(l.name);
    }
  }

  get all(): ReadonlySet<MemSeries> {
    return this.#all;
  }

  /** Label names in use. */
  names(): IterableIterator<string> {
    return this.#byName.keys();
  }

  /** Values in use for a label name. */
  values(name: string): IterableIterator<string> {
    return (this.#byName.get(name) ?? new Map<string, Set<MemSeries>>()).keys();
  }

  /** The series matching every matcher, in no particular order. */
  select(matchers: readonly LabelMatcher[]): MemSeries[] {
    // The smallest postings list of a matcher that rejects '' bounds the candidates; every matcher is then
    // checked on each candidate, which also covers the intersection with the other lists.
    let candidates: ReadonlySet<MemSeries> = this.#all;
    for (const m of matchers) {
      if (m.matches('')) continue;
      const set = this.#postingsFor(m);
      if (set.size < candidates.size) candidates = set;
      if (set.size === 0) return [];
    }
    const out: MemSeries[] = [];
    for (const s of candidates) {
      if (matchesAll(s, matchers)) out.push(s);
    }
    return out;
  }

  /** Series having a value accepted by a matcher that rejects the empty value. */
  #postingsFor(m: LabelMatcher): ReadonlySet<MemSeries> {
    const values = this.#byName.get(m.name);
    if (values === undefined) return new Set();
    if (m.type === '=') return values.get(m.value) ?? new Set();
    const union = new Set<MemSeries>();
    for (const [value, set] of values) {
      if (!m.matches(value)) continue;
      for (const s of set) union.add(s);
    }
    return union;
  }
}

export function matchesAll(series: MemSeries, matchers: readonly LabelMatcher[]): boolean {
  for (const m of matchers) {
    let value = '';
    for (const l of series.labels) {
      if (l.name === m.name) {
        value = l.value;
        break;
      }
    }
    if (!m.matches(value)) return false;
  }
  return true;
}
