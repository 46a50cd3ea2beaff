/** Reading numbers out of parsed expositions by family name and label values. */
import type { MetricFamily, Series } from '../../../src/core/model.js';

function matching(
  families: readonly MetricFamily[],
  name: string,
  labels: Readonly<Record<string, string>>,
): Series[] {
  const family = families.find((f) => f.name === name);
  return (family?.series ?? []).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels.some((l) => l.name === k && l.value === v)),
  );
}

/** The value of the first series of `name` with these labels (others may differ), or undefined. */
export function seriesValue(
  families: readonly MetricFamily[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const [series] = matching(families, name, labels);
  return series === undefined ? undefined : (series as { value: number }).value;
}

/** The sum over every series of `name` with these labels: values, or histogram counts. */
export function seriesSum(
  families: readonly MetricFamily[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  return matching(families, name, labels).reduce(
    (sum, s) => sum + ('value' in s ? s.value : ((s as { count?: number }).count ?? 0)),
    0,
  );
}

/** Series in all families. */
export function seriesCount(families: readonly MetricFamily[]): number {
  return families.reduce((n, f) => n + f.series.length, 0);
}
