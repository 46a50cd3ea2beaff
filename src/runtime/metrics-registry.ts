/**
 * The registry of one hierarchy level: its own metrics, links to the registries of the levels below it,
 * and the callbacks that run when a scrape includes it. A scrape of a level walks this tree depth-first.
 */
import type { MetricFamily } from '../core/model.js';
import { Registry } from '../core/registry.js';

/** Runs before a scrape reads the metrics, e.g. to refresh gauges from elsewhere. Sync or async. */
export type UpdateCallback = () => void | Promise<void>;

/** Returns exposition text (text 0.0.4 or OpenMetrics) to merge into the scrape, e.g. an engine's metrics. */
export type ExpfmtCallback = () => string | Promise<string>;

/**
 * Returns families already in the model, e.g. an engine's metrics parsed, filtered and relabelled. It may
 * throw a `SourceError` to report why it failed (HTTP error, invalid UTF-8, ...).
 */
export type FamiliesCallback = () => MetricFamily[] | Promise<MetricFamily[]>;

export interface NamedCallback<F> {
  readonly fn: F;
  /** Shown in logs and errors; defaults to the registry path and position. */
  readonly name: string;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  readonly updateCallbacks: NamedCallback<UpdateCallback>[] = [];
  readonly expfmtCallbacks: NamedCallback<ExpfmtCallback>[] = [];
  readonly familiesCallbacks: NamedCallback<FamiliesCallback>[] = [];
  readonly #children: MetricsRegistry[] = [];

  /** @param path `namespace/component/endpoint` of the level, `""` for the runtime. */
  constructor(readonly path: string) {}

  /** Links a child registry; linking the same one twice is a no-op. */
  addChild(child: MetricsRegistry): void {
    if (!this.#children.includes(child)) this.#children.push(child);
  }

  addUpdateCallback(fn: UpdateCallback, name?: string): void {
    this.updateCallbacks.push({
      fn,
      name: name ?? `update callback #${this.updateCallbacks.length + 1} of ${this.describe()}`,
    });
  }

  addExpfmtCallback(fn: ExpfmtCallback, name?: string): void {
    this.expfmtCallbacks.push({
      fn,
      name: name ?? `expfmt callback #${this.expfmtCallbacks.length + 1} of ${this.describe()}`,
    });
  }

  addFamiliesCallback(fn: FamiliesCallback, name: string): void {
    this.familiesCallbacks.push({ fn, name });
  }

  describe(): string {
    return this.path === '' ? 'runtime' : this.path;
  }

  /** This registry and every descendant, depth-first, pre-order, children in link order, each once. */
  walk(): MetricsRegistry[] {
    const out: MetricsRegistry[] = [];
    const seen = new Set<MetricsRegistry>();
    const visit = (r: MetricsRegistry) => {
      if (seen.has(r)) return;
      seen.add(r);
      out.push(r);
      for (const child of r.#children) visit(child);
    };
    visit(this);
    return out;
  }
}
