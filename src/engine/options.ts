/**
 * Options of the engine-metrics pass-through (reference spec §5.2–5.3) and their validation. Misuse fails
 * at registration with an error that names the option and the value; upstream validated label injection
 * inside the scrape function, so a bad label silently emptied the engine section on every scrape.
 */
import { DynametricsError, show } from '../core/errors.js';
import type { Label } from '../core/model.js';
import { isValidLabelName, isValidMetricName, isWellFormed } from '../core/validate.js';
import { BUCKET_LABELS, LabelName } from '../names/labels.js';

export class EngineOptionsError extends DynametricsError {
  override name = 'EngineOptionsError';
}

export interface EngineMetricsOptions {
  /** Keep a family when its name starts with any of these (all families when empty or absent). */
  readonly metricPrefixFilters?: readonly string[];
  /** Drop a family when its name starts with any of these; applied before the filters. */
  readonly excludePrefixes?: readonly string[];
  /**
   * Rename kept families: strip the first matching filter prefix, then prepend this one unless the name
   * already starts with it (no double prefixes). HELP, TYPE and samples follow the family name.
   */
  readonly addPrefix?: string;
  /** Injects `model` and `model_name` with this value. */
  readonly modelName?: string;
  /** Injected on every series; auto labels and the source's own labels win over these. */
  readonly customLabels?: Readonly<Record<string, string>>;
  /**
   * Inject the endpoint's `dynamo_namespace`, `dynamo_component`, `dynamo_endpoint` and `worker_id`
   * (default true when registered on an endpoint).
   */
  readonly injectAutoLabels?: boolean;
  /** Timeout of one read of an HTTP source, in ms (default 2000). */
  readonly timeoutMs?: number;
  /** Largest exposition a source may return, in bytes (default 32 MiB). */
  readonly maxBytes?: number;
}

/** Options after validation: filters as arrays and the labels to inject, precedence applied, sorted. */
export interface ResolvedEngineOptions {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly addPrefix: string;
  /** Auto labels over model labels over custom labels, sorted by name. */
  readonly inject: readonly Label[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

function prefixList(what: string, value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' && p.length > 0)) {
    throw new EngineOptionsError(`${what} must be a list of non-empty strings, got ${show(value)}`);
  }
  return value;
}

function checkLabel(origin: string, name: string, value: unknown): void {
  if (!isValidLabelName(name)) {
    throw new EngineOptionsError(`${origin} label name ${show(name)} is not a valid Prometheus label name`);
  }
  if (name.startsWith('__')) {
    throw new EngineOptionsError(
      `${origin} label name ${show(name)} is reserved: names starting with "__" belong to Prometheus`,
    );
  }
  if (BUCKET_LABELS.includes(name)) {
    throw new EngineOptionsError(
      `${origin} label name ${show(name)} cannot be injected: it belongs to histogram buckets and summary quantiles`,
    );
  }
  if (typeof value !== 'string' || !isWellFormed(value)) {
    throw new EngineOptionsError(`${origin} label ${show(name)} needs a string value, got ${show(value)}`);
  }
}

/** Validates options against the auto labels of the endpoint they are registered on (none for a standalone read). */
export function resolveEngineOptions(
  options: EngineMetricsOptions,
  autoLabels: Readonly<Record<string, string>>,
): ResolvedEngineOptions {
  if (options === null || typeof options !== 'object')
    throw new EngineOptionsError(`options must be an object, got ${show(options)}`);
  const include = prefixList('metricPrefixFilters', options.metricPrefixFilters);
  const exclude = prefixList('excludePrefixes', options.excludePrefixes);
  const addPrefix = options.addPrefix ?? '';
  if (addPrefix !== '' && !isValidMetricName(addPrefix)) {
    throw new EngineOptionsError(`addPrefix ${show(addPrefix)} is not a valid start of a metric name`);
  }
  const labels = new Map<string, string>();
  for (const [name, value] of Object.entries(options.customLabels ?? {})) {
    checkLabel('custom', name, value);
    labels.set(name, value);
  }
  if (options.modelName !== undefined) {
    checkLabel('model', LabelName.MODEL, options.modelName);
    labels.set(LabelName.MODEL, options.modelName);
    labels.set(LabelName.MODEL_NAME, options.modelName);
  }
  if (options.injectAutoLabels !== false) {
    for (const [name, value] of Object.entries(autoLabels)) labels.set(name, value);
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  if (!(timeoutMs > 0) || !(maxBytes > 0)) {
    throw new EngineOptionsError(
      `timeoutMs and maxBytes must be positive, got ${show(timeoutMs)} and ${show(maxBytes)}`,
    );
  }
  return {
    include,
    exclude,
    addPrefix,
    inject: [...labels].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    timeoutMs,
    maxBytes,
  };
}
