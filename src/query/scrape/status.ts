/** What `/api/v1/targets` reports about one scrape target, in Prometheus's terms. */
import type { Labels } from '../labels.js';

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface TargetStatus {
  /** The job, which Prometheus calls the scrape pool. */
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  /** Target labels attached to every sample: `instance` and `job`. */
  readonly labels: Labels;
  /** Labels before relabelling (`__address__`, `__metrics_path__`, `__scheme__`, `job`, …). */
  readonly discoveredLabels: Labels;
  readonly health: TargetHealth;
  readonly lastError: string;
  /** Start of the last scrape, ms since the epoch; undefined before the first. */
  readonly lastScrapeMs: number | undefined;
  /** Duration of the last scrape, seconds. */
  readonly lastScrapeDurationSeconds: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}
