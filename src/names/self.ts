/**
 * Self-metrics of the metrics system (ours; upstream has none): how scrapes went and what they had to
 * drop. Short names under the `dynamo_component_` prefix, following the suffix rules of spec §4.2.
 */
export const SelfMetric = {
  /** Scrapes served, by `format` (`text`, `openmetrics`) and `outcome` (`success`, `error`, `timeout`, `rejected`). */
  SCRAPES_TOTAL: 'metrics_scrapes_total',
  /** Time to gather, merge, encode and compress one scrape, by `format`. */
  SCRAPE_DURATION_SECONDS: 'metrics_scrape_duration_seconds',
  /** Callbacks that failed, by `callback` (`update`, `expfmt`, `engine`) and `cause`. */
  CALLBACK_FAILURES_TOTAL: 'metrics_callback_failures_total',
  /** Series dropped because an identical series came earlier in the scrape. */
  DROPPED_SERIES_TOTAL: 'metrics_dropped_series_total',
  /** Families dropped because their HELP or TYPE disagreed with an earlier family of the same name. */
  DROPPED_FAMILIES_TOTAL: 'metrics_dropped_families_total',
  /** Label sets recorded into an overflow series because their metric reached its series limit. */
  REFUSED_SERIES_TOTAL: 'metrics_refused_series_total',
} as const;

/** Outcomes of a scrape. */
export const ScrapeOutcome = {
  SUCCESS: 'success',
  ERROR: 'error',
  TIMEOUT: 'timeout',
  REJECTED: 'rejected',
} as const;

/** Buckets of the scrape duration histogram, 1 ms to 30 s. */
export const SCRAPE_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
]);
