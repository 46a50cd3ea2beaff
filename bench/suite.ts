/**
 * What a suite is and what it returns. A suite measures one area (record path, scrape, memory, ...) and
 * returns rows; `run.ts` prints and saves them. To add a suite, implement {@link Suite} in
 * `suites/<name>.ts` and list it in `suites/index.ts`.
 */
import type { Stats } from './harness.js';

/** The sides a row can compare. */
export type Side = 'dynametrics' | 'promClient' | 'floor';

/** A requirement on a row's ratio (prom-client / dynametrics; higher is better for dynametrics). */
export interface Target {
  /** The ratio must be at least this. */
  readonly minRatio: number;
  /** How the requirement reads, e.g. `>= 20x`. */
  readonly text: string;
}

/** One measured case. Every unit is lower-is-better (time, bytes). */
export interface ResultRow {
  /** Short id, e.g. `c2` or `e1d`; ids of the reference's prom-client cases are kept. */
  readonly id: string;
  /** What is measured, for people. */
  readonly title: string;
  readonly unit: string;
  /** What each side ran, when it is not obvious from the title. */
  readonly code?: Partial<Record<Side, string>>;
  readonly dynametrics?: Stats;
  readonly promClient?: Stats;
  /** A plain-JS reference (the reference's r1–r5), showing the floor a purpose-built design can reach. */
  readonly floor?: Stats;
  /** promClient.median / dynametrics.median: how many times faster (or smaller) dynametrics is. */
  readonly ratio?: number;
  /** The same ratio computed from the minimums. */
  readonly ratioOfMins?: number;
  readonly target?: Target;
  /** Whether the median ratio meets the target. */
  readonly pass?: boolean;
  /** Extra facts: output bytes, gzip bytes, event-loop behaviour, ... */
  readonly notes?: readonly string[];
  /** Machine-readable extras for the JSON file. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface SuiteContext {
  /** Timed samples per measure (scrape suites may take twice as many, as the reference did). */
  readonly repetitions: number;
  /** Short samples, for a smoke run; results are not comparable with a full run. */
  readonly quick: boolean;
  /** Progress output (stderr). */
  log(message: string): void;
}

export interface SuiteResult {
  readonly suite: string;
  readonly title: string;
  readonly rows: readonly ResultRow[];
  /** Method notes worth keeping with the numbers. */
  readonly notes?: readonly string[];
}

export interface Suite {
  /** Command-line name; also the JSON file name stem. */
  readonly name: string;
  readonly title: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}

/** Builds a row from stats, computing the ratios and the verdict. */
export function row(
  fields: Omit<ResultRow, 'ratio' | 'ratioOfMins' | 'pass'> & { readonly target?: Target },
): ResultRow {
  const { dynametrics: d, promClient: p, target } = fields;
  const ratio = d !== undefined && p !== undefined && d.median > 0 ? p.median / d.median : undefined;
  const ratioOfMins = d !== undefined && p !== undefined && d.min > 0 ? p.min / d.min : undefined;
  const pass = target !== undefined && ratio !== undefined ? ratio >= target.minRatio : undefined;
  return { ...fields, ratio, ratioOfMins, pass };
}

/** Stats of a single value (sizes, counts). */
export function single(value: number): Stats {
  return { median: value, min: value, max: value, mean: value, samples: [value] };
}

export function atLeast(minRatio: number): Target {
  return { minRatio, text: `>= ${minRatio}x` };
}
