/**
 * What a suite is and what it returns. A suite measures one area (record path, scrape, memory, ...) and
 * returns rows; `run.ts` prints and saves them. To add a suite, implement {@link Suite} in
 * `suites/<name>.ts` and list it in `suites/index.ts`.
 */
import type { Stats } from './harness.js';

/** The sides a row can compare. */
export type Side = 'dynametrics' | 'promClient' | 'floor' | 'baseline';

/**
 * A requirement on one figure of a row; exactly one bound is set. Most rows compare with prom-client
 * (`minRatio`); a row that weighs a general path of dynametrics against a simpler one producing the same
 * output sets `maxOverhead`; a row that processes bytes sets `minThroughput`.
 */
export interface Target {
  /** prom-client / dynametrics must be at least this. */
  readonly minRatio?: number;
  /** dynametrics / baseline must be at most this. */
  readonly maxOverhead?: number;
  /** Megabytes (10^6 bytes) per second, from the median time and the row's `bytes`, must be at least this. */
  readonly minThroughput?: number;
  /** How the requirement reads, e.g. `>= 20x`, `<= 1.5x`, `>= 50 MB/s`. */
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
  /**
   * The same output produced by a simpler path of dynametrics itself (e.g. one flat registry instead of
   * the runtime's tree of registries): what the general path costs on top of it.
   */
  readonly baseline?: Stats;
  /** promClient.median / dynametrics.median: how many times faster (or smaller) dynametrics is. */
  readonly ratio?: number;
  /** The same ratio computed from the minimums. */
  readonly ratioOfMins?: number;
  /** dynametrics.median / baseline.median: how many times the simpler path's cost the general one takes. */
  readonly overhead?: number;
  /** The same overhead computed from the minimums. */
  readonly overheadOfMins?: number;
  /** Input bytes handled by one operation of a throughput row (the unit is then milliseconds). */
  readonly bytes?: number;
  /** MB/s (10^6 bytes per second) from `bytes` and the median time of dynametrics. */
  readonly throughput?: number;
  /** The same throughput from the minimum time. */
  readonly throughputOfMin?: number;
  readonly target?: Target;
  /** Whether the median figure meets the target. */
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

type Derived =
  | 'ratio'
  | 'ratioOfMins'
  | 'overhead'
  | 'overheadOfMins'
  | 'throughput'
  | 'throughputOfMin'
  | 'pass';

const quotient = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b !== undefined && b > 0 ? a / b : undefined;

/** MB/s of `bytes` handled in `ms` milliseconds. */
const megabytesPerSecond = (bytes: number | undefined, ms: number | undefined): number | undefined =>
  bytes === undefined ? undefined : quotient(bytes / 1e6, ms === undefined ? undefined : ms / 1000);

/** Builds a row from stats, computing the ratios, overheads, throughputs and the verdict. */
export function row(fields: Omit<ResultRow, Derived>): ResultRow {
  const { dynametrics: d, promClient: p, baseline: b, bytes } = fields;
  const derived = {
    ratio: quotient(p?.median, d?.median),
    ratioOfMins: quotient(p?.min, d?.min),
    overhead: quotient(d?.median, b?.median),
    overheadOfMins: quotient(d?.min, b?.min),
    throughput: megabytesPerSecond(bytes, d?.median),
    throughputOfMin: megabytesPerSecond(bytes, d?.min),
  };
  const judged = judgedFigure({ ...fields, ...derived });
  return { ...fields, ...derived, pass: judged?.met };
}

/** The figure a row's target judges, the same figure from the minimums, and whether the median meets it. */
export interface JudgedFigure {
  readonly value: number;
  readonly ofBest?: number;
  readonly bound: number;
  /** Whether larger values are better (ratio, throughput) or worse (overhead). */
  readonly higherIsBetter: boolean;
  readonly met: boolean;
  /** How the figure prints: `x` for ratios and overheads, `MB/s` for throughput. */
  readonly unit: 'x' | 'MB/s';
}

/** The figure the target of `r` is about, or undefined when the row has no target or no such figure. */
export function judgedFigure(r: Omit<ResultRow, 'pass'>): JudgedFigure | undefined {
  const t = r.target;
  if (t === undefined) return undefined;
  if (t.minRatio !== undefined) return judge(r.ratio, r.ratioOfMins, t.minRatio, true, 'x');
  if (t.maxOverhead !== undefined) return judge(r.overhead, r.overheadOfMins, t.maxOverhead, false, 'x');
  if (t.minThroughput !== undefined)
    return judge(r.throughput, r.throughputOfMin, t.minThroughput, true, 'MB/s');
  return undefined;
}

function judge(
  value: number | undefined,
  ofBest: number | undefined,
  bound: number,
  higherIsBetter: boolean,
  unit: JudgedFigure['unit'],
): JudgedFigure | undefined {
  if (value === undefined) return undefined;
  const met = higherIsBetter ? value >= bound : value <= bound;
  return { value, ofBest, bound, higherIsBetter, met, unit };
}

/** Stats of a single value (sizes, counts). */
export function single(value: number): Stats {
  return { median: value, min: value, max: value, mean: value, samples: [value] };
}

export function atLeast(minRatio: number): Target {
  return { minRatio, text: `>= ${minRatio}x` };
}

/** dynametrics may take at most `maxOverhead` times the baseline's time. */
export function atMostTimes(maxOverhead: number): Target {
  return { maxOverhead, text: `<= ${maxOverhead}x` };
}

/** dynametrics must handle at least `minThroughput` MB/s. */
export function atLeastMBps(minThroughput: number): Target {
  return { minThroughput, text: `>= ${minThroughput} MB/s` };
}
