/**
 * Merging families from several sources into one exposition, the way client_golang's `Gatherers` does it
 * and Dynamo's combined scrape should have: families are merged by name; a family whose HELP or TYPE
 * disagrees with the first one of its name is dropped *alone* (the rest of the scrape is served); a series
 * whose label set was already seen is dropped and the first one kept. Every drop is reported.
 *
 * Checking every series for duplicates would cost a key string per series per scrape. Instead, the
 * contributions to a family are compared by their fixed labels (see {@link fixedLabels}): when they share
 * the same fixed label names with pairwise different values — the normal case, one metric name on many
 * endpoints — no two series can collide, and no key is built per series.
 */
import { fixedLabels, labelSetKey } from './label-set.js';
import type { Label, MetricFamily, Series } from './model.js';

export interface FamilySource {
  readonly families: readonly MetricFamily[];
  /** Where the families come from, for drop reports (e.g. `registry dynamo/backend/generate`). */
  readonly origin: string;
}

export type MergeDrop =
  | {
      readonly kind: 'conflicting-family';
      readonly family: string;
      readonly origin: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'duplicate-series';
      readonly family: string;
      readonly origin: string;
      readonly labels: readonly Label[];
    };

interface Contribution {
  readonly family: MetricFamily;
  readonly origin: string;
}

/** Merges the families of `sources`, earlier sources first; the result is sorted by family name. */
export function mergeFamilies(
  sources: readonly FamilySource[],
  onDrop?: (drop: MergeDrop) => void,
): MetricFamily[] {
  const byName = new Map<string, Contribution[]>();
  for (const source of sources) {
    for (const family of source.families) {
      if (family.series.length === 0) continue;
      const list = byName.get(family.name);
      if (list === undefined) {
        byName.set(family.name, [{ family, origin: source.origin }]);
        continue;
      }
      const first = list[0].family;
      if (first.type !== family.type || first.help !== family.help) {
        const reason =
          first.type !== family.type
            ? `TYPE ${family.type} disagrees with ${first.type} from ${list[0].origin}`
            : `HELP ${JSON.stringify(family.help)} disagrees with ${JSON.stringify(first.help)} from ${list[0].origin}`;
        onDrop?.({ kind: 'conflicting-family', family: family.name, origin: source.origin, reason });
        continue;
      }
      list.push({ family, origin: source.origin });
    }
  }
  const out: MetricFamily[] = [];
  for (const name of [...byName.keys()].sort()) {
    const list = byName.get(name)!;
    out.push(list.length === 1 ? list[0].family : combine(list, onDrop));
  }
  return out;
}

function combine(list: readonly Contribution[], onDrop?: (drop: MergeDrop) => void): MetricFamily {
  const first = list[0].family;
  const series: Series[] = [];
  if (canCollide(list)) {
    const seen = new Set<string>();
    for (const { family, origin } of list) {
      for (const s of family.series) {
        const key = labelSetKey(s.labels);
        if (seen.has(key)) {
          onDrop?.({ kind: 'duplicate-series', family: family.name, origin, labels: s.labels });
          continue;
        }
        seen.add(key);
        series.push(s);
      }
    }
  } else {
    for (const { family } of list) for (const s of family.series) series.push(s);
  }
  return {
    name: first.name,
    help: first.help,
    type: first.type,
    unit: first.unit,
    integer: list.every((c) => c.family.integer === true),
    series,
  };
}

/** False when the contributions' fixed labels prove their series pairwise distinct. */
function canCollide(list: readonly Contribution[]): boolean {
  let names: string | undefined;
  const values = new Set<string>();
  for (const { family } of list) {
    const fixed = fixedLabels(family);
    if (fixed.labels.length === 0) return true;
    if (names === undefined) names = fixed.names;
    else if (fixed.names !== names) return true;
    if (values.has(fixed.key)) return true;
    values.add(fixed.key);
  }
  return false;
}
