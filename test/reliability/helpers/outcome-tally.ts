/**
 * The load generator's side of the churn test: every request's outcome, as the client saw it, classified
 * the way the frontend's README says it classifies requests (`status` and `error_type` of
 * `dynamo_frontend_requests_total`), independently of the frontend's own accounting.
 */
import type { RequestResult } from '../../../src/load/generator.js';

/** The `error_type` of a request that failed with this HTTP status before its stream began. */
const ERROR_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'validation',
  413: 'validation',
  404: 'not_found',
  429: 'overload',
  500: 'internal',
  501: 'not_implemented',
  // 502 is also `truncated_stream` when a worker process dies; these workers run in process and cannot.
  502: 'backend_error',
  503: 'unavailable',
  504: 'response_timeout',
};

/** `status/error_type` of a request, as `requests_total` labels it. */
export function frontendClass(r: RequestResult): string {
  if (r.outcome === 'ok') return 'success/';
  if (r.outcome === 'cancelled') return 'error/cancelled';
  // An SSE error event after a 200: the engine failed mid-stream.
  if (r.status === 200) return 'error/backend_error';
  if (typeof r.status === 'number') return `error/${ERROR_TYPE_BY_STATUS[r.status] ?? `http_${r.status}`}`;
  return `error/${r.status ?? 'unknown'}`;
}

export class OutcomeTally {
  /** Requests by `status/error_type`. */
  readonly byClass = new Map<string, number>();
  sent = 0;
  /** Requests that received a token before they ended (the frontend observed their TTFT). */
  firstTokens = 0;
  cancelled = 0;
  /** Engine failures: requests that ended in `backend_error`. */
  backendErrors = 0;

  readonly add = (r: RequestResult): void => {
    this.sent++;
    const cls = frontendClass(r);
    this.byClass.set(cls, (this.byClass.get(cls) ?? 0) + 1);
    if (r.outcome === 'ok' || r.outcome === 'cancelled' || r.status === 200) this.firstTokens++;
    if (r.outcome === 'cancelled') this.cancelled++;
    if (cls === 'error/backend_error') this.backendErrors++;
  };
}
