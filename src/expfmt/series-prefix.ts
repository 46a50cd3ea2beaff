/**
 * Label text and cached line prefixes. Everything a writer derives from a series' labels (the escaped
 * `name{labels} ` prefix of each of its lines) is built once and kept on the series, keyed by the family
 * name the writer used, so a scrape of a long-lived series only formats numbers.
 */
import type { Label, Series } from '../core/model.js';
import { escapeLabelValue } from './escape.js';

/** Cache slots, one per writer variant. */
export const PrefixSlot = { Text: 0, OpenMetrics: 1, OpenMetricsCreated: 2 } as const;
export type PrefixSlot = (typeof PrefixSlot)[keyof typeof PrefixSlot];

/** `a="x",b="y"`: label pairs as written inside braces (no braces). */
export function labelPairsText(labels: readonly Label[]): string {
  let out = '';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    out += `${i === 0 ? '' : ','}${l.name}="${escapeLabelValue(l.value)}"`;
  }
  return out;
}

/** `name{pairs} ` or `name ` when there are no labels. */
export function samplePrefix(name: string, pairs: string): string {
  return pairs === '' ? `${name} ` : `${name}{${pairs}} `;
}

/** `name{pairs,extra="value"} `: a bucket or quantile line, the synthetic label last. */
export function samplePrefixWith(name: string, pairs: string, extraName: string, extraValue: string): string {
  return `${name}{${pairs}${pairs === '' ? '' : ','}${extraName}="${extraValue}"} `;
}

/**
 * Returns the cached prefixes of `series` for this slot and key, or builds them with `build(pairs)` (the
 * escaped label text) and caches them. `length` guards against a series whose bucket layout changed.
 */
export function cachedPrefixes(
  series: Series,
  slot: PrefixSlot,
  key: string,
  length: number,
  build: (pairs: string) => string[],
): readonly string[] {
  const cache = series.exposition;
  if (cache !== undefined) {
    const hit = cache.slots[slot];
    if (hit !== undefined && hit.key === key && hit.prefixes.length === length) return hit.prefixes;
  }
  const prefixes = build(labelPairsText(series.labels));
  if (Object.isExtensible(series)) {
    const slots = cache?.slots ?? [];
    slots[slot] = { key, prefixes };
    if (cache === undefined) series.exposition = { slots };
  }
  return prefixes;
}
