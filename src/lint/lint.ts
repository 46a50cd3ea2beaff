/**
 * Linting an exposition: parse it with the project's parser (noting every series it sees twice), then run
 * promtool's lints, the histogram structure checks and Dynamo's naming rules on each family. Engine
 * pass-through families (`vllm:`, `sglang:`, `trtllm_`, `lmcache:`, `kvbm_`) keep the names their engine
 * gives them (spec §4.1), so naming rules skip them unless asked; their structure is checked like any other.
 * Names the reference itself defines are exempt from Dynamo's naming rules, which some of them break.
 */
import type { MetricFamily } from '../core/model.js';
import { type ExpositionSyntax, parseExposition } from '../expfmt/parser.js';
import { EnginePrefix } from '../names/prefixes.js';
import { counterDecreases } from './counter-resets.js';
import { dynamoLabels, dynamoNaming } from './dynamo-naming.js';
import { histogramStructure } from './histogram-structure.js';
import { type Problem, sortedUnique } from './problem.js';
import { promlint } from './promlint.js';
import { REFERENCE_NAMES } from './reference-names.js';

export interface LintOptions {
  /** Apply Dynamo's naming and label rules (default true); false lints like promtool plus structure. */
  readonly dynamo?: boolean;
  /** Apply naming rules to engine pass-through families too (default false). */
  readonly engineNames?: boolean;
}

export interface LintReport {
  readonly families: number;
  readonly series: number;
  /** Sorted by metric, then message, without repeats. */
  readonly problems: readonly Problem[];
}

const ENGINE_PREFIXES: readonly string[] = Object.values(EnginePrefix);

export function isEngineFamily(name: string): boolean {
  return ENGINE_PREFIXES.some((p) => name.startsWith(p));
}

/** Parsed families, and a problem for each series the exposition repeats (Prometheus keeps the first). */
export function parseForLint(
  text: string,
  syntax: ExpositionSyntax,
): { families: MetricFamily[]; duplicates: Problem[] } {
  const duplicates: Problem[] = [];
  const families = parseExposition(text, {
    syntax,
    onDuplicateSeries: (metric, labels) =>
      duplicates.push({
        metric,
        labels: [...labels],
        rule: 'duplicate-series',
        group: 'structure',
        message: 'duplicate series: Prometheus keeps the first sample and drops this one',
      }),
  });
  return { families, duplicates };
}

/** Every problem of the families of one scrape, plus those of a later scrape of the same target. */
export function lintFamilies(
  families: readonly MetricFamily[],
  options: LintOptions & { duplicates?: readonly Problem[]; later?: readonly MetricFamily[] } = {},
): LintReport {
  const problems: Problem[] = [...(options.duplicates ?? [])];
  let series = 0;
  for (const family of families) {
    series += family.series.length;
    const naming = options.engineNames === true || !isEngineFamily(family.name);
    if (naming) problems.push(...promlint(family));
    if (naming && options.dynamo !== false && !REFERENCE_NAMES.has(family.name)) {
      problems.push(...dynamoNaming(family));
    }
    if (options.dynamo !== false) problems.push(...dynamoLabels(family));
    problems.push(...histogramStructure(family));
  }
  if (options.later !== undefined) problems.push(...counterDecreases(families, options.later));
  return { families: families.length, series, problems: sortedUnique(problems) };
}
