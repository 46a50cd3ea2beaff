/**
 * Label sets as the query engine sees them: the metric name is the label `__name__`, pairs are sorted by
 * name, and no value is empty (Prometheus treats `x{a=""}` as `x`). A label set is an immutable array, so
 * the engine can memoise anything derived from one (its key, its set without `__name__`) by identity.
 *
 * Ordering follows Go's `labels.Compare`, which compares strings byte by byte in UTF-8. JavaScript compares
 * UTF-16 code units, which disagrees for characters above U+FFFF against U+E000–U+FFFF, so the comparison
 * falls back to code points when it meets a surrogate.
 */
import type { Label } from '../core/model.js';

export type { Label };

/** A sorted, immutable label set including `__name__` when the series has a name. */
export type Labels = readonly Label[];

export const METRIC_NAME = '__name__';

export const EMPTY_LABELS: Labels = Object.freeze([]);

/** Go's byte-wise string order (UTF-8), computed without encoding. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–U+DFFF) encode code points above U+FFFF, which sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Go's `labels.Compare`: pair by pair, name then value; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x.name !== y.name) return compareStrings(x.name, y.name);
    if (x.value !== y.value) return compareStrings(x.value, y.value);
  }
  return a.length - b.length;
}

/** A collision-free string key for a label set (names cannot contain `=`, values are length-prefixed). */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) key += `${l.name}=${l.value.length}:${l.value}`;
  return key;
}

/** The value of a label, or `''` when absent (Prometheus's `Get`). */
export function getLabel(labels: Labels, name: string): string {
  for (const l of labels) if (l.name === name) return l.value;
  return '';
}

/** Builds a sorted label set from pairs, dropping empty values; later duplicates win. */
export function labelsFrom(pairs: Iterable<Label>): Labels {
  const byName = new Map<string, string>();
  for (const p of pairs) byName.set(p.name, p.value);
  const out: Label[] = [];
  for (const [name, value] of byName) if (value !== '') out.push({ name, value });
  out.sort((a, b) => compareStrings(a.name, b.name));
  return Object.freeze(out);
}

/** Builds a label set from a plain record, e.g. `{ __name__: 'up', job: 'x' }`. */
export function labelsFromRecord(record: Readonly<Record<string, string>>): Labels {
  return labelsFrom(Object.entries(record).map(([name, value]) => ({ name, value })));
}

/** The label set as a plain record, in label order (the JSON shape of the HTTP API). */
export function labelsToRecord(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

/** Prometheus's text form `{a="b", c="d"}`, used in error messages. */
export function labelsString(labels: Labels): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}

/**
 * Memoised derivations of label sets, valid for one query: the engine keeps each input label set as one
 * array across all steps, so deriving once per array keeps per-step work to a map lookup.
 */
export class LabelsMemo {
  readonly #keys = new WeakMap<Labels, string>();
  readonly #withoutName = new WeakMap<Labels, Labels>();
  readonly #interned = new Map<string, Labels>();

  key(labels: Labels): string {
    let k = this.#keys.get(labels);
    if (k === undefined) {
      k = labelsKey(labels);
      this.#keys.set(labels, k);
    }
    return k;
  }

  /** The label set without `__name__`; the same array for the same input. */
  dropName(labels: Labels): Labels {
    let out = this.#withoutName.get(labels);
    if (out === undefined) {
      out = labels.some((l) => l.name === METRIC_NAME)
        ? this.intern(labels.filter((l) => l.name !== METRIC_NAME))
        : labels;
      this.#withoutName.set(labels, out);
    }
    return out;
  }

  /** One shared array per distinct label set, so later derivations hit the caches. */
  intern(labels: Labels): Labels {
    const k = labelsKey(labels);
    let out = this.#interned.get(k);
    if (out === undefined) {
      out = Object.isFrozen(labels) ? labels : Object.freeze(labels.slice());
      this.#interned.set(k, out);
      this.#keys.set(out, k);
    }
    return out;
  }
}
