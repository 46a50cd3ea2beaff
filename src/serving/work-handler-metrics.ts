/**
 * The work-handler metrics of a served endpoint (reference spec §6.1), on the endpoint's registry so they
 * carry its auto labels plus the extra labels the backend supplies (typically `model`, `model_name`).
 * {@link RequestAccounting} keeps the update rules in one place, so every path of a request — success,
 * handler error, client abort, worker-side cancellation, transport failure — ends the same way: in-flight
 * back down and the duration observed exactly once.
 */
import type { IntCounter, IntCounterVec } from '../core/counter.js';
import type { IntGauge } from '../core/gauge.js';
import type { Histogram } from '../core/histogram.js';
import { REQUEST_DURATION_BUCKETS, WorkHandlerErrorType, WorkHandlerMetric } from '../names/component.js';
import type { Endpoint } from '../runtime/endpoint.js';
import type { WorkHandlerErrorKind } from './wire.js';

export class WorkHandlerMetrics {
  readonly requests: IntCounter;
  readonly inflight: IntGauge;
  readonly duration: Histogram;
  readonly requestBytes: IntCounter;
  readonly responseBytes: IntCounter;
  readonly errors: IntCounterVec<readonly ['error_type']>;
  readonly cancellations: IntCounter;

  constructor(endpoint: Endpoint, labels: Readonly<Record<string, string>> = {}) {
    const m = endpoint.metrics;
    const options = { constLabels: labels };
    this.requests = m.createIntCounter(
      WorkHandlerMetric.REQUESTS_TOTAL,
      'Total number of requests processed by work handler',
      options,
    );
    this.inflight = m.createIntGauge(
      WorkHandlerMetric.INFLIGHT_REQUESTS,
      'Number of requests currently being processed by work handler',
      options,
    );
    this.duration = m.createHistogram(
      WorkHandlerMetric.REQUEST_DURATION_SECONDS,
      'Time spent processing requests by work handler',
      {
        ...options,
        buckets: REQUEST_DURATION_BUCKETS,
      },
    );
    this.requestBytes = m.createIntCounter(
      WorkHandlerMetric.REQUEST_BYTES_TOTAL,
      'Total number of bytes received in requests by work handler',
      options,
    );
    this.responseBytes = m.createIntCounter(
      WorkHandlerMetric.RESPONSE_BYTES_TOTAL,
      'Total number of bytes sent in responses by work handler',
      options,
    );
    this.errors = m.createIntCounterVec(
      WorkHandlerMetric.ERRORS_TOTAL,
      'Total number of errors in work handler processing',
      ['error_type'],
      options,
    );
    this.cancellations = m.createIntCounter(
      WorkHandlerMetric.CANCELLATION_TOTAL,
      'Total number of requests cancelled by work handler',
      options,
    );
    // Every error type exists at zero from the start, so dashboards and alerts see the series.
    for (const type of Object.values(WorkHandlerErrorType)) this.errors.labels(type);
  }

  /** Starts accounting for a request whose raw message has `bytes` bytes. */
  begin(bytes: number): RequestAccounting {
    return new RequestAccounting(this, bytes);
  }
}

/** One request's accounting; {@link end} is idempotent, so every exit path may call it. */
export class RequestAccounting {
  readonly #started = performance.now();
  #ended = false;
  #cancelled = false;

  constructor(
    private readonly metrics: WorkHandlerMetrics,
    bytes: number,
  ) {
    metrics.requests.inc();
    metrics.inflight.inc();
    metrics.requestBytes.inc(bytes);
  }

  sent(bytes: number): void {
    this.metrics.responseBytes.inc(bytes);
  }

  error(kind: WorkHandlerErrorKind): void {
    this.metrics.errors.labels(kind).inc();
  }

  /** Marks the request cancelled (client abort, disconnect or worker shutdown); counted once at the end. */
  cancel(): void {
    this.#cancelled = true;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#cancelled) this.metrics.cancellations.inc();
    this.metrics.inflight.dec();
    this.metrics.duration.observe((performance.now() - this.#started) / 1000);
  }
}
