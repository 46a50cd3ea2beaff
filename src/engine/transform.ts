/**
 * Filtering, renaming and label injection of engine families, on the parsed model (upstream did it line
 * by line on text, which is why its output could break). A family's name decides whether it is kept and
 * what it is called, and every sample name follows from the family name, so HELP, TYPE and samples are
 * always renamed together. Decisions are memoised per name: engines expose the same families every scrape.
 */
import type { Label, MetricFamily, Series } from '../core/model.js';
import { isValidMetricName } from '../core/validate.js';
import { Lru } from '../util/lru.js';
import type { ResolvedEngineOptions } from './options.js';

/** Maps a family name to its new name, or `null` when the family is dropped. */
export type NameRule = (name: string) => string | null;

const MAX_NAMES = 4096;

function compileNameRule(
  include: readonly string[],
  exclude: readonly string[],
  addPrefix: string,
): NameRule {
  const decided = new Map<string, string | null>();
  const decide = (name: string): string | null => {
    if (exclude.some((p) => name.startsWith(p))) return null;
    const matched = include.find((p) => name.startsWith(p));
    if (include.length > 0 && matched === undefined) return null;
    if (addPrefix === '') return name;
    const base = matched === undefined ? name : name.slice(matched.length);
    const renamed = base.startsWith(addPrefix) ? base : addPrefix + base;
    return isValidMetricName(renamed) ? renamed : null;
  };
  return (name) => {
    let result = decided.get(name);
    if (result === undefined) {
      result = decide(name);
      if (decided.size >= MAX_NAMES) decided.clear();
      decided.set(name, result);
    }
    return result;
  };
}

/** Compiled name rules, shared between registrations with the same filters (a bounded LRU, as upstream). */
const rules = new Lru<string, NameRule>(64);

export function nameRule(
  include: readonly string[],
  exclude: readonly string[],
  addPrefix: string,
): NameRule {
  const key = JSON.stringify([include, exclude, addPrefix]);
  let rule = rules.get(key);
  if (rule === undefined) {
    rule = compileNameRule(include, exclude, addPrefix);
    rules.set(key, rule);
  }
  return rule;
}

/**
 * Adds `inject` (sorted) to sorted `labels`; a label the series already has keeps its own value (the
 * source wins over injected labels).
 */
export function injectLabels(labels: readonly Label[], inject: readonly Label[]): Label[] {
  const out: Label[] = [];
  let i = 0;
  let j = 0;
  while (i < labels.length || j < inject.length) {
    if (j >= inject.length || (i < labels.length && labels[i].name < inject[j].name)) out.push(labels[i++]);
    else if (i >= labels.length || inject[j].name < labels[i].name) out.push(inject[j++]);
    else {
      out.push(labels[i++]);
      j++;
    }
  }
  return out;
}

/** Applies the options to freshly parsed families (their series objects are updated in place). */
export function transformFamilies(
  families: readonly MetricFamily[],
  options: ResolvedEngineOptions,
): MetricFamily[] {
  const rule = nameRule(options.include, options.exclude, options.addPrefix);
  const out: MetricFamily[] = [];
  for (const family of families) {
    const name = rule(family.name);
    if (name === null) continue;
    if (options.inject.length > 0) {
      for (const s of family.series)
        (s as { labels: readonly Label[] }).labels = injectLabels(s.labels, options.inject);
    }
    out.push(name === family.name ? family : { ...family, name, series: family.series as Series[] });
  }
  return out;
}
