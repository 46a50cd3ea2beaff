/**
 * The frontend's own discovery record. Frontends route by what workers announce, but nothing announced
 * the frontends themselves, so a Prometheus using HTTP service discovery could not find them. A frontend
 * now announces a record of the same shape as a worker's (component `frontend`, endpoint `http`) whose
 * request and status URLs are both its HTTP base URL, where `/metrics` is served. It carries no model
 * card, so other frontends never route requests to it.
 */
import type { WorkerInstance } from '../serving/discovery/types.js';

/** The component under which frontends announce themselves. */
export const FRONTEND_COMPONENT = 'frontend';
/** The endpoint of a frontend's record: its OpenAI-compatible HTTP service. */
export const FRONTEND_ENDPOINT = 'http';
/** The namespace a frontend announces itself in unless told otherwise. */
export const DEFAULT_FRONTEND_NAMESPACE = 'dynamo';

/** The record a frontend at `url` announces, under its runtime's instance id. */
export function frontendInstance(namespace: string, instanceId: string, url: string): WorkerInstance {
  return {
    namespace,
    component: FRONTEND_COMPONENT,
    endpoint: FRONTEND_ENDPOINT,
    instanceId,
    address: url,
    systemStatusUrl: url,
  };
}
