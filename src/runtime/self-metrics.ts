/**
 * The runtime's own metrics, on the runtime registry (so they carry `worker_id`): uptime, refreshed on
 * every scrape, and what the metrics system itself did — scrapes by format and outcome and how long they
 * took, callbacks that failed and why, series and families dropped by the merge, label sets refused by
 * series limits.
 */

import type { IntCounter, IntCounterVec } from '../core/counter.js';
import type { Gauge } from '../core/gauge.js';
import type { HistogramVec } from '../core/histogram.js';
import type { MergeDrop } from '../core/merge.js';
import type { Metric } from '../core/metric.js';
import { RuntimeMetric } from '../names/component.js';
import { SCRAPE_DURATION_BUCKETS, ScrapeOutcome, SelfMetric } from '../names/self.js';
import {
  CALLBACK_FAILURE_CAUSES,
  CALLBACK_KINDS,
  type CallbackFailureCause,
  type CallbackKind,
} from './combined-scrape.js';

const EXPOSITION_FORMATS = ['text', 'openmetrics'] as const;

import type { MetricsRegistry } from './metrics-registry.js';
import type { MetricsScope } from './metrics-scope.js';

export class RuntimeSelfMetrics {
  readonly uptime: Gauge;
  readonly scrapes: IntCounterVec<readonly ['format', 'outcome']>;
  readonly scrapeDuration: HistogramVec<readonly ['format']>;
  readonly callbackFailures: IntCounterVec<readonly ['callback', 'cause']>;
  readonly droppedSeries: IntCounter;
  readonly droppedFamilies: IntCounter;
  readonly refusedSeries: IntCounter;
  readonly #refusedSeen = new WeakMap<Metric, number>();

  constructor(scope: MetricsScope) {
    this.uptime = scope.createGauge(
      RuntimeMetric.UPTIME_SECONDS,
      'Total uptime of the DistributedRuntime in seconds',
    );
    this.scrapes = scope.createIntCounterVec(
      SelfMetric.SCRAPES_TOTAL,
      'Scrapes of /metrics served, by exposition format and outcome.',
      ['format', 'outcome'],
    );
    this.scrapeDuration = scope.createHistogramVec(
      SelfMetric.SCRAPE_DURATION_SECONDS,
      'Time to gather, merge, encode and compress one scrape of /metrics.',
      ['format'],
      { buckets: SCRAPE_DURATION_BUCKETS },
    );
    this.callbackFailures = scope.createIntCounterVec(
      SelfMetric.CALLBACK_FAILURES_TOTAL,
      'Metrics callbacks that failed during a scrape, by kind of callback and cause.',
      ['callback', 'cause'],
    );
    this.droppedSeries = scope.createIntCounter(
      SelfMetric.DROPPED_SERIES_TOTAL,
      'Series dropped from a scrape because an identical series came earlier.',
    );
    this.droppedFamilies = scope.createIntCounter(
      SelfMetric.DROPPED_FAMILIES_TOTAL,
      'Metric families dropped from a scrape because their HELP or TYPE disagreed with an earlier family of the same name.',
    );
    this.refusedSeries = scope.createIntCounter(
      SelfMetric.REFUSED_SERIES_TOTAL,
      'Label sets recorded into an overflow series because their metric reached its series limit.',
    );
    // Every series exists from the start, at zero, so dashboards and alerts see them before the first event.
    for (const format of EXPOSITION_FORMATS) {
      for (const outcome of Object.values(ScrapeOutcome)) this.scrapes.labels(format, outcome);
      this.scrapeDuration.labels(format);
    }
    for (const kind of CALLBACK_KINDS)
      for (const cause of CALLBACK_FAILURE_CAUSES) this.callbackFailures.labels(kind, cause);
  }

  scrapeServed(format: string, outcome: string, seconds: number): void {
    this.scrapes.labels(format, outcome).inc();
    if (outcome === 'success') this.scrapeDuration.labels(format).observe(seconds);
  }

  callbackFailed(kind: CallbackKind, cause: CallbackFailureCause): void {
    this.callbackFailures.labels(kind, cause).inc();
  }

  dropped(drop: MergeDrop): void {
    (drop.kind === 'duplicate-series' ? this.droppedSeries : this.droppedFamilies).inc();
  }

  /** Adds what every metric below `registries` refused since the last call. */
  countRefusedSeries(registries: readonly MetricsRegistry[]): void {
    let added = 0;
    for (const r of registries) {
      for (const metric of r.registry.metrics()) {
        const now = metric.refusedSeries;
        const before = this.#refusedSeen.get(metric) ?? 0;
        if (now > before) {
          added += now - before;
          this.#refusedSeen.set(metric, now);
        }
      }
    }
    if (added > 0) this.refusedSeries.inc(added);
  }
}
