/**
 * The life of one frontend request in metrics (reference spec §6.2): created at handler entry, it raises
 * `inflight_requests`, `active_requests` and `queued_requests`; the first token-bearing chunk lowers
 * `queued_requests`; {@link end} — reached on every path — lowers what is still raised, counts
 * `requests_total` with the outcome, observes `request_duration_seconds`, and counts a cancellation. A
 * request nobody marked ends as `status="error"`, `error_type="internal"`, as upstream.
 */
import { FrontendErrorType, RequestStatus } from '../names/frontend.js';
import type { FrontendMetrics } from './metrics.js';

export type FrontendErrorTypeName = (typeof FrontendErrorType)[keyof typeof FrontendErrorType];

export class RequestGuard {
  readonly startedAt: number;
  #status: string = RequestStatus.ERROR;
  #errorType: FrontendErrorTypeName = FrontendErrorType.INTERNAL;
  #queued = true;
  #ended = false;

  constructor(
    /** Undefined when the frontend runs with metrics off (the throughput benchmark's baseline). */
    private readonly metrics: FrontendMetrics | undefined,
    /** Lower-cased, as upstream labels request-path metrics. */
    readonly model: string,
    readonly endpoint: string,
    readonly requestType: string,
    /** Milliseconds, monotonic: the frontend's clock (virtual in tests, so timings are exact). */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
    if (metrics === undefined) return;
    metrics.requestsStarted.labels(endpoint, model, requestType).inc();
    metrics.inflight.labels(model).inc();
    metrics.active.labels(model).inc();
    metrics.queued.labels(model).inc();
  }

  /** Seconds since handler entry. */
  elapsed(): number {
    return this.elapsedMs() / 1000;
  }

  /** Milliseconds since handler entry: differences of these stay exact where seconds would round. */
  elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  /** The first token arrived: the request is no longer queued. */
  firstToken(): void {
    if (!this.#queued) return;
    this.#queued = false;
    this.metrics?.queued.labels(this.model).dec();
  }

  markOk(): void {
    this.#status = RequestStatus.SUCCESS;
    this.#errorType = FrontendErrorType.NONE;
  }

  markError(type: FrontendErrorTypeName): void {
    this.#status = RequestStatus.ERROR;
    this.#errorType = type;
  }

  get errorType(): FrontendErrorTypeName {
    return this.#errorType;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const m = this.metrics;
    if (m === undefined) return;
    this.firstToken();
    m.inflight.labels(this.model).dec();
    m.active.labels(this.model).dec();
    m.requests.labels(this.model, this.endpoint, this.requestType, this.#status, this.#errorType).inc();
    m.requestDuration.labels(this.model).observe(this.elapsed());
    if (this.#errorType === FrontendErrorType.CANCELLED)
      m.cancellations.labels(this.model, this.endpoint, this.requestType).inc();
    else if (this.#errorType === FrontendErrorType.OVERLOAD)
      m.rejections.labels(this.model, this.endpoint).inc();
  }
}
