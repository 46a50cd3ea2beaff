/**
 * What the four hierarchy levels share: a name, a registry linked into the parent's, auto labels, and
 * the `.metrics` scope. Auto labels come from the level a metric is created on, not from positions in
 * the parent chain, so a component under nested namespaces is labelled with its own name (upstream's
 * positional lookup put the second namespace there).
 */
import type { MetricFamily } from '../core/model.js';
import { SanitizeError, sanitizePrometheusLabel } from '../names/sanitize.js';
import type { DistributedRuntime } from './distributed-runtime.js';
import { MetricsRegistry } from './metrics-registry.js';
import { MetricsScope, type ScopeOwner } from './metrics-scope.js';

/** Checks a level name and returns its sanitized form (the label value it will carry). */
export function sanitizeLevelName(level: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new SanitizeError(`${level} name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  try {
    return sanitizePrometheusLabel(name);
  } catch (e) {
    throw new SanitizeError(`${level} name ${JSON.stringify(name)} cannot be used: ${(e as Error).message}`);
  }
}

export abstract class HierarchyLevel implements ScopeOwner {
  readonly metricsRegistry: MetricsRegistry;
  readonly metrics: MetricsScope;

  protected constructor(
    /** The level's own name; empty for the runtime. */
    readonly basename: string,
    readonly parent: HierarchyLevel | undefined,
    path: string,
  ) {
    this.metricsRegistry = new MetricsRegistry(path);
    parent?.metricsRegistry.addChild(this.metricsRegistry);
    this.metrics = new MetricsScope(this);
  }

  abstract get runtime(): DistributedRuntime;

  /** Labels every metric created on this level carries. */
  abstract get autoLabels(): Readonly<Record<string, string>>;

  /** Ancestors, the runtime first. */
  get parentHierarchies(): HierarchyLevel[] {
    const out: HierarchyLevel[] = [];
    for (let p = this.parent; p !== undefined; p = p.parent) out.unshift(p);
    return out;
  }

  scrapeFamilies(): Promise<MetricFamily[]> {
    return this.runtime.scrapeRegistry(this.metricsRegistry);
  }
}

/** A get-or-create map of child levels by name: asking twice for a name returns the same object. */
export class Children<T> {
  readonly #byName = new Map<string, T>();

  constructor(private readonly make: (name: string) => T) {}

  get(name: string): T {
    let child = this.#byName.get(name);
    if (child === undefined) {
      child = this.make(name);
      this.#byName.set(name, child);
    }
    return child;
  }

  values(): IterableIterator<T> {
    return this.#byName.values();
  }
}
