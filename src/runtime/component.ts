import { LabelName } from '../names/labels.js';
import type { DistributedRuntime } from './distributed-runtime.js';
import { Endpoint } from './endpoint.js';
import { Children, HierarchyLevel, sanitizeLevelName } from './level.js';
import type { Namespace } from './namespace.js';

/** A component: a service within a namespace (e.g. `backend`), serving endpoints. */
export class Component extends HierarchyLevel {
  readonly autoLabels: Readonly<Record<string, string>>;
  readonly #endpoints = new Children((name) => new Endpoint(this, name));

  constructor(
    readonly namespace: Namespace,
    readonly name: string,
  ) {
    const label = sanitizeLevelName('component', name);
    super(name, namespace, `${namespace.name}/${name}`);
    this.autoLabels = Object.freeze({ ...namespace.autoLabels, [LabelName.COMPONENT]: label });
  }

  get runtime(): DistributedRuntime {
    return this.namespace.runtime;
  }

  /** The endpoint of this name, created on first use. */
  endpoint(name: string): Endpoint {
    return this.#endpoints.get(name);
  }

  endpoints(): IterableIterator<Endpoint> {
    return this.#endpoints.values();
  }
}
