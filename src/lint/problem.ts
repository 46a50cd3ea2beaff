/**
 * A problem found in an exposition: which family (and series, when it is one series' problem), which rule
 * and a message. Problems sort and print the way `promtool check metrics` prints its lints, `<metric>
 * <message>` by metric name then message, so output from both tools reads and diffs alike.
 */
import type { Label } from '../core/model.js';
import { escapeLabelValue } from '../expfmt/escape.js';

/** Where a rule comes from: promtool's promlint, the structure Prometheus relies on, or Dynamo's naming. */
export type RuleGroup = 'promlint' | 'structure' | 'dynamo';

export interface Problem {
  /** The family name as the text format 0.0.4 writes it. */
  readonly metric: string;
  /** The series, when the problem is one series' rather than the family's. */
  readonly labels?: readonly Label[];
  /** A short rule id, e.g. `counter-total`, `missing-inf`, `dynamo-prefix`. */
  readonly rule: string;
  readonly group: RuleGroup;
  readonly message: string;
}

/** `metric{a="b"}`: the family name, with the series' labels when there are any. */
export function problemSubject(p: Problem): string {
  if (p.labels === undefined || p.labels.length === 0) return p.metric;
  return `${p.metric}{${p.labels.map((l) => `${l.name}="${escapeLabelValue(l.value)}"`).join(',')}}`;
}

/** promtool's order: by metric name, then by message; ties (several series) by their labels. */
export function compareProblems(a: Problem, b: Problem): number {
  return (
    compare(a.metric, b.metric) ||
    compare(a.message, b.message) ||
    compare(problemSubject(a), problemSubject(b))
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts problems and drops exact repeats (promtool prints a camelCase label once per series; we once). */
export function sortedUnique(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of [...problems].sort(compareProblems)) {
    const key = `${problemSubject(p)}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
