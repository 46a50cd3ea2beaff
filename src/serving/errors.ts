import { DynametricsError } from '../core/errors.js';

/**
 * A request that did not complete, from the caller's side. `kind` says what happened:
 * `unreachable` (no connection), `not_found` (no such endpoint on the worker), `rejected` (the worker could
 * not decode the request), `remote` (the handler failed; `errorType` is the worker's `error_type`),
 * `cancelled` (the worker cancelled it, e.g. shutting down), `truncated` (the stream broke off without its
 * final frame: a worker killed mid-stream), `no_instances` (discovery found no worker).
 */
export class RequestPlaneError extends DynametricsError {
  override name = 'RequestPlaneError';
  constructor(
    readonly kind:
      | 'unreachable'
      | 'not_found'
      | 'rejected'
      | 'remote'
      | 'cancelled'
      | 'truncated'
      | 'no_instances',
    message: string,
    readonly errorType?: string,
    /** The status a failing handler reported (an engine's HTTP-like status), when it reported one. */
    readonly status?: number,
  ) {
    super(message);
  }
}
