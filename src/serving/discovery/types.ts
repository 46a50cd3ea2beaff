/**
 * Discovery: workers announce what they serve and where; callers find them. One interface, implemented by
 * a static list and a local file directory (the embedded default); a distributed backend (etcd, NATS)
 * would implement the same.
 */
import type { ModelCard } from '../../engines/types.js';

/** One served endpoint of one worker, as announced. */
export interface WorkerInstance {
  readonly namespace: string;
  readonly component: string;
  readonly endpoint: string;
  /** The worker runtime's instance id, lower-case hex (its `worker_id` label). */
  readonly instanceId: string;
  /** Base URL of the worker's request plane, e.g. `http://127.0.0.1:41231`. */
  readonly address: string;
  /** The model the endpoint serves, when it serves one. */
  readonly modelCard?: ModelCard;
  /** Base URL of the worker's system status server (for scrape discovery), when it runs one. */
  readonly systemStatusUrl?: string;
}

export interface InstanceQuery {
  readonly namespace?: string;
  readonly component?: string;
  readonly endpoint?: string;
}

export interface Discovery {
  /** Announces an instance; the returned function withdraws it. */
  register(instance: WorkerInstance): Promise<() => Promise<void>>;
  /** The live instances matching the query. */
  list(query?: InstanceQuery): Promise<WorkerInstance[]>;
  /** Stops timers; withdraws nothing. */
  close?(): Promise<void>;
}

export function matches(instance: WorkerInstance, query: InstanceQuery = {}): boolean {
  return (
    (query.namespace === undefined || instance.namespace === query.namespace) &&
    (query.component === undefined || instance.component === query.component) &&
    (query.endpoint === undefined || instance.endpoint === query.endpoint)
  );
}

/** Checks an announced record; anything else found in a discovery store is ignored. */
export function isWorkerInstance(value: unknown): value is WorkerInstance {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.namespace === 'string' &&
    typeof v.component === 'string' &&
    typeof v.endpoint === 'string' &&
    typeof v.instanceId === 'string' &&
    typeof v.address === 'string' &&
    /^https?:\/\//.test(v.address)
  );
}
