import { LabelName } from '../names/labels.js';
import { Component } from './component.js';
import type { DistributedRuntime } from './distributed-runtime.js';
import { Children, HierarchyLevel, sanitizeLevelName } from './level.js';

/**
 * A namespace: a group of components, possibly nested in another namespace. Its `dynamo_namespace` label
 * is the whole dotted path (`outer.inner`), sanitized with the label rules of reference spec §1.4.
 */
export class Namespace extends HierarchyLevel {
  readonly autoLabels: Readonly<Record<string, string>>;
  readonly #namespaces = new Children((name) => new Namespace(this.runtime, this, name));
  readonly #components = new Children((name) => new Component(this, name));

  constructor(
    readonly runtime: DistributedRuntime,
    parent: DistributedRuntime | Namespace,
    name: string,
  ) {
    sanitizeLevelName('namespace', name);
    const path = parent instanceof Namespace ? `${parent.name}.${name}` : name;
    super(name, parent, path);
    this.name = path;
    this.autoLabels = Object.freeze({
      ...runtime.autoLabels,
      [LabelName.NAMESPACE]: sanitizeLevelName('namespace', path),
    });
  }

  /** The dotted path of this namespace (`outer.inner`). */
  readonly name: string;

  /** The nested namespace of this name, created on first use. */
  namespace(name: string): Namespace {
    return this.#namespaces.get(name);
  }

  /** The component of this name, created on first use. */
  component(name: string): Component {
    return this.#components.get(name);
  }

  components(): IterableIterator<Component> {
    return this.#components.values();
  }

  namespaces(): IterableIterator<Namespace> {
    return this.#namespaces.values();
  }
}
