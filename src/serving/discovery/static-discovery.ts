import { type Discovery, type InstanceQuery, matches, type WorkerInstance } from './types.js';

/** A fixed list of instances (plus any registered in this process): for tests and hand-written fleets. */
export class StaticDiscovery implements Discovery {
  readonly #instances: WorkerInstance[];

  constructor(instances: readonly WorkerInstance[] = []) {
    this.#instances = [...instances];
  }

  async register(instance: WorkerInstance): Promise<() => Promise<void>> {
    this.#instances.push(instance);
    return async () => {
      const i = this.#instances.indexOf(instance);
      if (i >= 0) this.#instances.splice(i, 1);
    };
  }

  async list(query?: InstanceQuery): Promise<WorkerInstance[]> {
    return this.#instances.filter((i) => matches(i, query));
  }
}
