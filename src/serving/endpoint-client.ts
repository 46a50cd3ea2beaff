/**
 * Calling an endpoint wherever it is served: discovery lists the instances, the request plane carries the
 * call (in process when the instance is this runtime's own). Instances are picked round-robin unless the
 * caller names one; the frontend does its own least-loaded routing on top of `instances()`.
 */
import type { Discovery, WorkerInstance } from './discovery/types.js';
import { RequestPlaneError } from './errors.js';
import type { RequestPlane } from './request-plane.js';

export class EndpointClient {
  #next = 0;

  constructor(
    private readonly plane: RequestPlane,
    private readonly discovery: Discovery,
    readonly path: { readonly namespace: string; readonly component: string; readonly endpoint: string },
    private readonly localInstanceId: string,
  ) {}

  /** The instances serving this endpoint now. */
  instances(): Promise<WorkerInstance[]> {
    return this.discovery.list(this.path);
  }

  /** Streams the response chunks of one request. */
  async *generate(
    payload: unknown,
    options: { instance?: WorkerInstance; signal?: AbortSignal; requestId?: string } = {},
  ): AsyncGenerator<unknown> {
    let instance = options.instance;
    if (instance === undefined) {
      const all = await this.instances();
      if (all.length === 0) {
        throw new RequestPlaneError(
          'no_instances',
          `no instance serves ${this.path.namespace}/${this.path.component}/${this.path.endpoint}`,
        );
      }
      instance = all[this.#next++ % all.length];
    }
    yield* this.plane.call(instance, payload, { ...options, local: this.localInstanceId });
  }
}
