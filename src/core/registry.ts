/**
 * A registry holds metrics and gathers them into families.
 *
 * Registration follows client_golang: a metric's identity is its name plus its const label values (two
 * metrics with the same identity cannot coexist), and every metric sharing a name must agree on type, HELP,
 * unit and label names. On top of that, the sample names a metric produces (`x_bucket`, `x_sum`, `x_count`,
 * an OpenMetrics counter's family name, `_created`) may not collide with another metric's, so the output is
 * valid in both formats. Checks run before anything changes: a failed registration leaves nothing behind.
 */
import { AlreadyRegisteredError, RegistrationConflictError, show } from './errors.js';
import type { Metric } from './metric.js';
import type { Label, MetricFamily, Series } from './model.js';

interface NameEntry {
  readonly dimensions: string;
  readonly metrics: Metric[];
}

/** Sample and family names a metric's exposition uses, in either format. */
export function claimedNames(name: string, type: string): string[] {
  switch (type) {
    case 'counter':
      return name.endsWith('_total') ? [name, name.slice(0, -6), `${name.slice(0, -6)}_created`] : [name];
    case 'histogram':
    case 'summary':
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    default:
      return [name];
  }
}

/** Orders two sorted label lists: by name, then value, pair by pair; the shorter list first on a tie. */
export function compareLabels(a: readonly Label[], b: readonly Label[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}

export class Registry {
  readonly #byIdentity = new Map<string, Metric>();
  readonly #byName = new Map<string, NameEntry>();
  /** Sample name -> the metric name that produces it. */
  readonly #claims = new Map<string, string>();
  #sortedNames: string[] | undefined;

  /**
   * Registers a metric and returns it. Throws {@link AlreadyRegisteredError} (carrying the registered
   * metric) when the identity is taken, and {@link RegistrationConflictError} when the metric disagrees with
   * another of the same name or its sample names collide with another metric's.
   */
  register<M extends Metric>(metric: M): M {
    const d = metric.descriptor;
    const existing = this.#byIdentity.get(d.identity);
    if (existing !== undefined) {
      if (existing === metric) return metric;
      throw new AlreadyRegisteredError(
        `metric ${show(d.name)}${describeConstLabels(d.constLabels)} is already registered (as ${existing.descriptor.kind})`,
        existing,
      );
    }
    const entry = this.#byName.get(d.name);
    if (entry !== undefined && entry.dimensions !== d.dimensions) {
      const other = entry.metrics[0].descriptor;
      throw new RegistrationConflictError(
        `metric ${show(d.name)}: a metric of that name is already registered with ${describeDimensions(other)}; this one has ${describeDimensions(d)}`,
      );
    }
    const claims = claimedNames(d.name, d.type);
    for (const claim of claims) {
      const owner = this.#claims.get(claim);
      if (owner !== undefined && owner !== d.name) {
        const ownerType = this.#byName.get(owner)?.metrics[0].descriptor.type;
        throw new RegistrationConflictError(
          `metric ${show(d.name)} (${d.type}) would expose ${show(claim)}, which collides with ${ownerType} ${show(owner)}`,
        );
      }
    }
    this.#byIdentity.set(d.identity, metric);
    if (entry === undefined) {
      this.#byName.set(d.name, { dimensions: d.dimensions, metrics: [metric] });
      for (const claim of claims) this.#claims.set(claim, d.name);
      this.#sortedNames = undefined;
    } else {
      entry.metrics.push(metric);
    }
    return metric;
  }

  /**
   * Returns the registered metric with the same identity when its descriptor is identical (same class,
   * HELP, labels, buckets, limits), otherwise constructs and registers a new one. A same-identity metric
   * with a different descriptor is an {@link AlreadyRegisteredError}.
   */
  getOrCreate<M extends Metric, O>(metricClass: new (options: O) => M, options: O): M {
    const candidate = new metricClass(options);
    const existing = this.#byIdentity.get(candidate.descriptor.identity);
    if (existing === undefined) return this.register(candidate);
    if (existing.descriptor.signature === candidate.descriptor.signature && existing instanceof metricClass) {
      return existing as M;
    }
    throw new AlreadyRegisteredError(
      `metric ${show(candidate.descriptor.name)}${describeConstLabels(candidate.descriptor.constLabels)} is already registered as ${existing.descriptor.kind} with a different descriptor`,
      existing,
    );
  }

  /** Removes a metric; returns whether it was registered. */
  unregister(metric: Metric): boolean {
    const d = metric.descriptor;
    if (this.#byIdentity.get(d.identity) !== metric) return false;
    this.#byIdentity.delete(d.identity);
    const entry = this.#byName.get(d.name)!;
    entry.metrics.splice(entry.metrics.indexOf(metric), 1);
    if (entry.metrics.length === 0) {
      this.#byName.delete(d.name);
      for (const claim of claimedNames(d.name, d.type)) this.#claims.delete(claim);
      this.#sortedNames = undefined;
    }
    return true;
  }

  /** The metric registered under this name and const labels, if any. */
  get(name: string, constLabels: Readonly<Record<string, string>> = {}): Metric | undefined {
    const pairs = Object.keys(constLabels)
      .sort()
      .map((k) => [k, constLabels[k]]);
    return this.#byIdentity.get(JSON.stringify([name, pairs]));
  }

  /** Every registered metric, by name. */
  metrics(): Metric[] {
    return this.#names().flatMap((n) => this.#byName.get(n)!.metrics);
  }

  /** Removes every metric. */
  clear(): void {
    this.#byIdentity.clear();
    this.#byName.clear();
    this.#claims.clear();
    this.#sortedNames = undefined;
  }

  /**
   * Gathers every metric into families sorted by name, series in stable label order. Metrics that share a
   * name (differing const labels) become one family. Families without series are left out.
   */
  gather(): MetricFamily[] {
    const out: MetricFamily[] = [];
    for (const name of this.#names()) {
      const metrics = this.#byName.get(name)!.metrics;
      if (metrics.length === 1) {
        const family = metrics[0].collect();
        if (family !== undefined) out.push(family);
        continue;
      }
      let first: MetricFamily | undefined;
      const series: Series[] = [];
      for (const metric of metrics) {
        const family = metric.collect();
        if (family === undefined) continue;
        first ??= family;
        // A loop, not push(...series): spreading a few hundred thousand series overflows the call stack.
        for (const s of family.series) series.push(s);
      }
      if (first === undefined) continue;
      out.push({ ...first, series: sortByLabels(series) });
    }
    return out;
  }

  #names(): string[] {
    if (this.#sortedNames === undefined) this.#sortedNames = [...this.#byName.keys()].sort();
    return this.#sortedNames;
  }
}

/**
 * Series sorted by their labels. A registry series builds its label list on every read, so each is read
 * once here rather than in every comparison of the sort.
 */
function sortByLabels(series: readonly Series[]): Series[] {
  const keyed = series.map((s) => ({ labels: s.labels, s }));
  keyed.sort((a, b) => compareLabels(a.labels, b.labels));
  return keyed.map((k) => k.s);
}

function describeConstLabels(labels: readonly Label[]): string {
  return labels.length === 0
    ? ''
    : ` with const labels {${labels.map((l) => `${l.name}=${show(l.value)}`).join(',')}}`;
}

function describeDimensions(d: Metric['descriptor']): string {
  const names = [...d.constLabels.map((l) => l.name), ...d.labelNames].sort();
  return `type ${d.type}, help ${show(d.help)}${d.unit ? `, unit ${show(d.unit)}` : ''}, label names ${show(names)}`;
}
