/**
 * Time ranges, refresh intervals, and the step and rate window a range implies. The rate window is
 * Grafana's `$__rate_interval`: at least four scrape intervals, so `rate` always has two samples even when
 * a scrape is missed, and never shorter than a step plus a scrape interval, so no sample falls between
 * steps. No DOM and no Node: shared by the page and the CLI.
 */

export interface Choice {
  readonly label: string;
  readonly ms: number;
}

export const RANGES: readonly Choice[] = [
  { label: 'last 5 minutes', ms: 5 * 60_000 },
  { label: 'last 15 minutes', ms: 15 * 60_000 },
  { label: 'last hour', ms: 60 * 60_000 },
  { label: 'last 6 hours', ms: 6 * 60 * 60_000 },
  { label: 'last 24 hours', ms: 24 * 60 * 60_000 },
];

export const DEFAULT_RANGE_MS = 15 * 60_000;

export const REFRESHES: readonly Choice[] = [
  { label: 'refresh off', ms: 0 },
  { label: 'every 2s', ms: 2_000 },
  { label: 'every 5s', ms: 5_000 },
  { label: 'every 15s', ms: 15_000 },
  { label: 'every minute', ms: 60_000 },
];

export const DEFAULT_REFRESH_MS = 5_000;

/** Points per series a chart asks for at most: about one per 4 pixels of a panel. */
export const MAX_POINTS = 240;

/** The step of a range query: a scrape interval, or coarser so the range holds at most {@link MAX_POINTS}. */
export function stepMs(rangeMs: number, scrapeIntervalMs: number): number {
  return Math.max(scrapeIntervalMs, Math.ceil(rangeMs / MAX_POINTS / 1000) * 1000);
}

/** Grafana's `$__rate_interval`: max(step + scrape interval, 4 × scrape interval). */
export function rateIntervalMs(step: number, scrapeIntervalMs: number): number {
  return Math.max(step + scrapeIntervalMs, 4 * scrapeIntervalMs);
}

/** The shortest span the charts show: while the data is younger, they still span this much. */
export const MIN_SPAN_MS = 60_000;

/**
 * The span the charts show, ending now: the chosen range, cut to start where the data starts, so that a
 * deployment started a minute ago fills the charts instead of a sliver at their right edge (Grafana draws
 * the empty part; a dashboard opened with the demo would be mostly empty for its first quarter hour).
 * `firstDataMs` is when the first scrape was stored, undefined when unknown; never shorter than
 * {@link MIN_SPAN_MS}.
 */
export function shownSpanMs(rangeMs: number, endMs: number, firstDataMs: number | undefined): number {
  if (firstDataMs === undefined || !Number.isFinite(firstDataMs)) return rangeMs;
  return Math.min(rangeMs, Math.max(MIN_SPAN_MS, endMs - firstDataMs));
}
