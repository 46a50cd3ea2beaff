/** Identity of label sets: a collision-free key, and the labels every series of a family shares. */
import type { Label, LabelLayout, MetricFamily } from './model.js';

/**
 * A key that is equal for two sorted label sets exactly when they are equal: names cannot contain `=`,
 * and each value is prefixed by its length, so no choice of characters can make two sets collide.
 */
export function labelSetKey(labels: readonly Label[]): string {
  let key = '';
  for (const l of labels) key += `${l.name}=${l.value.length}:${l.value}`;
  return key;
}

const fixedCache = new WeakMap<MetricFamily, readonly Label[]>();

/**
 * The labels that carry the same value on every series of a family (sorted by name): a registry metric's
 * const labels, or what an engine's label injection added. Cached per family object, and registries
 * return the same family object until a series is added or removed, so this is cheap on every scrape.
 */
export function fixedLabels(family: MetricFamily): readonly Label[] {
  const cached = fixedCache.get(family);
  if (cached !== undefined) return cached;
  const fixed = computeFixedLabels(family);
  fixedCache.set(family, fixed);
  return fixed;
}

function computeFixedLabels(family: MetricFamily): readonly Label[] {
  const series = family.series;
  if (series.length === 0) return [];
  const layout: LabelLayout | undefined = series[0].labelLayout;
  if (layout !== undefined && series.every((s) => s.labelLayout === layout)) {
    return layout.layout.flatMap((e) => ('label' in e ? [e.label] : []));
  }
  let candidates = new Map(series[0].labels.map((l) => [l.name, l.value]));
  for (let i = 1; i < series.length && candidates.size > 0; i++) {
    const next = new Map<string, string>();
    for (const l of series[i].labels) if (candidates.get(l.name) === l.value) next.set(l.name, l.value);
    candidates = next;
  }
  return [...candidates].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));
}
