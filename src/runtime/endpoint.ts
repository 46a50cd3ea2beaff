import type { ModelCard } from '../engines/types.js';
import { LabelName } from '../names/labels.js';
import type { WorkerInstance } from '../serving/discovery/types.js';
import { EndpointClient } from '../serving/endpoint-client.js';
import { type Handler, ServedEndpoint, type ServeOptions } from '../serving/served-endpoint.js';
import type { Component } from './component.js';
import type { DistributedRuntime } from './distributed-runtime.js';
import type { HealthStatus } from './health.js';
import { HierarchyLevel, sanitizeLevelName } from './level.js';

/** Options of {@link Endpoint.serve}. */
export interface EndpointServeOptions extends ServeOptions {
  /** The model this endpoint serves, announced through discovery (the frontend routes by it). */
  readonly modelCard?: ModelCard;
}

/** What `serve` returns: the announced instance, the served endpoint (its metrics), and a way to stop. */
export interface ServingHandle {
  readonly instance: WorkerInstance;
  readonly served: ServedEndpoint;
  /** Withdraws the instance from discovery and stops serving (requests still running finish). */
  stop(): Promise<void>;
}

/** An endpoint of a component (e.g. `generate`): the unit that serves requests and reports health. */
export class Endpoint extends HierarchyLevel {
  readonly autoLabels: Readonly<Record<string, string>>;

  constructor(
    readonly component: Component,
    readonly name: string,
  ) {
    const label = sanitizeLevelName('endpoint', name);
    super(name, component, `${component.namespace.name}/${component.name}/${name}`);
    this.autoLabels = Object.freeze({ ...component.autoLabels, [LabelName.ENDPOINT]: label });
  }

  get runtime(): DistributedRuntime {
    return this.component.runtime;
  }

  /** `namespace/component/endpoint`. */
  get path(): string {
    return this.metricsRegistry.path;
  }

  /**
   * Serves this endpoint with `handler`, an async generator from (request, context) to response chunks:
   * over the runtime's request plane (HTTP, started on first use) and in process, with the work-handler
   * metrics of reference spec §6.1 on this endpoint's registry. The instance is announced through the
   * runtime's discovery with its model card, and the endpoint reports ready.
   */
  async serve<Req = unknown, Chunk = unknown>(
    handler: Handler<Req, Chunk>,
    options: EndpointServeOptions = {},
  ): Promise<ServingHandle> {
    const runtime = this.runtime;
    const plane = runtime.requestPlane;
    const served = new ServedEndpoint(this, handler as Handler, options, runtime.logger);
    const path = {
      namespace: this.component.namespace.name,
      component: this.component.name,
      endpoint: this.name,
    };
    const address = await plane.add(path, served);
    const instance: WorkerInstance = {
      ...path,
      instanceId: runtime.workerId,
      address,
      ...(options.modelCard === undefined ? {} : { modelCard: options.modelCard }),
      ...(runtime.systemServer === undefined ? {} : { systemStatusUrl: runtime.systemServer.url }),
    };
    const withdraw = await plane.discovery.register(instance);
    this.setHealthStatus('ready');
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      plane.remove(path);
      await withdraw();
    };
    runtime.onShutdown(stop);
    return { instance, served, stop };
  }

  /** A client for this endpoint wherever it is served (found through the runtime's discovery). */
  client(): EndpointClient {
    const plane = this.runtime.requestPlane;
    return new EndpointClient(
      plane,
      plane.discovery,
      { namespace: this.component.namespace.name, component: this.component.name, endpoint: this.name },
      this.runtime.workerId,
    );
  }

  /**
   * Sets this endpoint's health as the system status server reports it. A health-check target takes part
   * in the readiness of the process (see `SystemHealth`).
   */
  setHealthStatus(status: HealthStatus, options: { healthCheckTarget?: boolean } = {}): void {
    this.runtime.health.setEndpointStatus(this.name, status, options);
  }
}
