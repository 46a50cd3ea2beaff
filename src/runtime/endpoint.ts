import { LabelName } from '../names/labels.js';
import type { Component } from './component.js';
import type { DistributedRuntime } from './distributed-runtime.js';
import type { HealthStatus } from './health.js';
import { HierarchyLevel, sanitizeLevelName } from './level.js';

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
   * Sets this endpoint's health as the system status server reports it. A health-check target takes part
   * in the readiness of the process (see `SystemHealth`).
   */
  setHealthStatus(status: HealthStatus, options: { healthCheckTarget?: boolean } = {}): void {
    this.runtime.health.setEndpointStatus(this.name, status, options);
  }
}
