/**
 * One target's scrape loop and its staleness bookkeeping, following Prometheus 2.42's `scrapeLoop`:
 *
 * - every sample is stored at the scrape's start time unless the exposition gave its own timestamp;
 * - a series written by the previous successful scrape and missing from this one gets a staleness marker
 *   at this scrape's time; a failed scrape counts as empty, so every series goes stale;
 * - series with explicit timestamps are never marked stale;
 * - the report series `up`, `scrape_duration_seconds`, `scrape_samples_scraped`,
 *   `scrape_samples_post_metric_relabeling` and `scrape_series_added` are written after each scrape;
 * - when the target is removed, markers for everything (report series included) are written at the time
 *   of the next scheduled scrape, about two intervals later, in case the target comes back meanwhile.
 */
import { type Labels, labelsFrom, labelsKey, METRIC_NAME } from '../labels.js';
import type { MemSeries } from '../storage/series.js';
import type { MemoryStore } from '../storage/store.js';
import { flattenFamilies } from './flatten.js';
import type { TargetStatus } from './status.js';
import type { ScrapeTarget } from './target.js';

export interface LoopConfig {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Fail the scrape when it has more samples than this (0: no limit). */
  readonly sampleLimit: number;
  readonly now: () => number;
}

/** Rejects when `work` takes longer than the scrape timeout (in-process sources can hang too). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('context deadline exceeded')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

export class TargetLoop {
  readonly targetLabels: Labels;
  /** Series written (without explicit timestamps) by the last scrape, by label key. */
  #previous = new Map<string, MemSeries>();
  #health: TargetStatus['health'] = 'unknown';
  #lastError = '';
  #lastScrapeMs: number | undefined;
  #lastDuration = 0;
  readonly #reportLabels: Labels[];

  constructor(
    readonly target: ScrapeTarget,
    readonly config: LoopConfig,
    private readonly store: MemoryStore,
  ) {
    this.targetLabels = labelsFrom([
      { name: 'instance', value: target.instance },
      { name: 'job', value: target.job },
    ]);
    this.#reportLabels = REPORT_NAMES.map((name) =>
      labelsFrom([...this.targetLabels, { name: METRIC_NAME, value: name }]),
    );
  }

  /** Scrapes once, stores the samples, staleness markers and report series. */
  async scrape(signal: AbortSignal): Promise<void> {
    const { now, timeoutMs, sampleLimit } = this.config;
    const start = now();
    let error = '';
    let samples: ReturnType<typeof flattenFamilies> | undefined;
    try {
      const collected = await withTimeout(this.target.collect(timeoutMs, signal), timeoutMs);
      samples = flattenFamilies(collected.families, {
        syntax: collected.syntax,
        synthesizeInfBucket: collected.synthesizeInfBucket,
        created: collected.created,
        targetLabels: this.targetLabels,
      });
      if (sampleLimit > 0 && samples.length > sampleLimit) {
        error = 'sample limit exceeded';
        samples = undefined;
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const duration = (now() - start) / 1000;
    const current = new Map<string, MemSeries>();
    let added = 0;
    if (samples !== undefined) {
      const seen = new Set<string>();
      for (const s of samples) {
        const key = labelsKey(s.labels);
        if (seen.has(key)) continue; // a duplicate series: the first one wins
        seen.add(key);
        const series = this.#previous.get(key) ?? this.store.series(s.labels);
        if (s.timestampMs !== undefined) {
          this.store.appendTo(series, s.timestampMs, s.value);
          continue;
        }
        this.store.appendTo(series, start, s.value);
        current.set(key, series.removed ? this.store.series(s.labels) : series);
        if (!this.#previous.has(key)) added++;
      }
    }
    for (const [key, series] of this.#previous)
      if (!current.has(key)) this.store.appendStaleTo(series, start);
    this.#previous = current;
    const scraped = samples?.length ?? 0;
    this.#report(start, [samples === undefined ? 0 : 1, duration, scraped, scraped, added]);
    this.#health = samples === undefined ? 'down' : 'up';
    this.#lastError = error;
    this.#lastScrapeMs = start;
    this.#lastDuration = duration;
  }

  #report(t: number, values: readonly number[]): void {
    for (let i = 0; i < values.length; i++) this.store.append(this.#reportLabels[i], t, values[i]);
  }

  /** Marks every series of this target stale at `t` (the target went away). */
  markAllStale(t: number): void {
    for (const series of this.#previous.values()) this.store.appendStaleTo(series, t);
    this.#previous.clear();
    for (const labels of this.#reportLabels) this.store.appendStale(labels, t);
  }

  status(): TargetStatus {
    return {
      scrapePool: this.target.job,
      scrapeUrl: this.target.url,
      labels: this.targetLabels,
      discoveredLabels: this.target.discoveredLabels,
      health: this.#health,
      lastError: this.#lastError,
      lastScrapeMs: this.#lastScrapeMs,
      lastScrapeDurationSeconds: this.#lastDuration,
      intervalMs: this.config.intervalMs,
      timeoutMs: this.config.timeoutMs,
    };
  }
}
