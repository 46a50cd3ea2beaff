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

/** The labels every series of a family shares, and the strings that identify them. */
export interface FixedLabels {
  /** Sorted by name. */
  readonly labels: readonly Label[];
  /** Their names, comma-separated. */
  readonly names: string;
  /** Their {@link labelSetKey}. */
  readonly key: string;
}

const NO_FIXED_LABELS: FixedLabels = Object.freeze({ labels: [], names: '', key: '' });

/**
 * Fixed labels by label layout. A registry builds a new family object on every gather, but the layout of
 * its series is the metric's descriptor, which lives as long as the metric: keyed by it, the const labels
 * are described once per metric instead of once per scrape.
 */
const byLayout = new WeakMap<LabelLayout, FixedLabels>();

function describeFixed(labels: readonly Label[]): FixedLabels {
  if (labels.length === 0) return NO_FIXED_LABELS;
  return { labels, names: labels.map((l) => l.name).join(','), key: labelSetKey(labels) };
}

/**
 * The labels that carry the same value on every series of a family (sorted by name): a registry metric's
 * const labels, or what an engine's label injection added. For registry families this is a cache lookup;
 * other families (parsed text) are scanned.
 */
export function fixedLabels(family: MetricFamily): FixedLabels {
  const series = family.series;
  if (series.length === 0) return NO_FIXED_LABELS;
  const layout = series[0].labelLayout;
  if (layout !== undefined && sharesLayout(series, layout)) {
    let fixed = byLayout.get(layout);
    if (fixed === undefined) {
      fixed = describeFixed(layout.layout.flatMap((e) => ('label' in e ? [e.label] : [])));
      byLayout.set(layout, fixed);
    }
    return fixed;
  }
  return describeFixed(commonLabels(series));
}

function sharesLayout(series: MetricFamily['series'], layout: LabelLayout): boolean {
  for (let i = 1; i < series.length; i++) if (series[i].labelLayout !== layout) return false;
  return true;
}

function commonLabels(series: MetricFamily['series']): Label[] {
  let candidates = new Map(series[0].labels.map((l) => [l.name, l.value]));
  for (let i = 1; i < series.length && candidates.size > 0; i++) {
    const next = new Map<string, string>();
    for (const l of series[i].labels) if (candidates.get(l.name) === l.value) next.set(l.name, l.value);
    candidates = next;
  }
  return [...candidates].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));
}
