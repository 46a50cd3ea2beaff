/**
 * The two entry points of the engine pass-through (reference spec §5): register an engine's metrics on a
 * hierarchy level so they appear, filtered, renamed and labelled, in every scrape that includes it; or
 * read them once as exposition text.
 */
import type { MetricFamily } from '../core/model.js';
import { type ExpositionFormat, TEXT_FORMAT, writeExposition } from '../expfmt/format.js';
import { parseExposition } from '../expfmt/parser.js';
import type { HierarchyLevel } from '../runtime/level.js';
import { type EngineMetricsOptions, type ResolvedEngineOptions, resolveEngineOptions } from './options.js';
import { type EngineSource, type ExpositionReader, engineReader } from './sources.js';
import { transformFamilies } from './transform.js';

async function readFamilies(
  reader: ExpositionReader,
  options: ResolvedEngineOptions,
): Promise<MetricFamily[]> {
  const { text, syntax } = await reader.read();
  return transformFamilies(parseExposition(text, { syntax }), options);
}

/**
 * Merges an engine's metrics into every scrape of `level` (usually the endpoint the engine serves). By
 * default its series get the level's auto labels (`dynamo_namespace`, `dynamo_component`,
 * `dynamo_endpoint`, `worker_id`, sanitized as on native metrics), plus `model`/`model_name` and custom
 * labels when given; a label the engine sets itself is kept. Options are checked now: an invalid label or
 * prefix throws here instead of emptying every later scrape. At scrape time a failing source (error,
 * timeout, HTTP error, bad bytes, bad text) is dropped alone, counted by cause, and tried again next time.
 * Returns the reader's description, as it appears in logs and self-metrics.
 */
export function registerEngineMetricsCallback(
  level: HierarchyLevel,
  source: EngineSource,
  options: EngineMetricsOptions = {},
): string {
  const resolved = resolveEngineOptions(options, level.autoLabels);
  const reader = engineReader(source, resolved);
  const name = `engine ${reader.description} on ${level.metricsRegistry.describe()}`;
  level.metricsRegistry.addFamiliesCallback(() => readFamilies(reader, resolved), name);
  return name;
}

/**
 * Reads an engine's metrics once and returns them as exposition text, filtered and renamed, with the
 * custom and model labels (no auto labels: there is no level). Throws a `SourceError` or an
 * `ExpositionParseError` when the source fails.
 */
export async function getPrometheusExpfmt(
  source: EngineSource,
  options: EngineMetricsOptions = {},
  format: ExpositionFormat = TEXT_FORMAT,
): Promise<string> {
  const resolved = resolveEngineOptions({ ...options, injectAutoLabels: false }, {});
  const families = await readFamilies(engineReader(source, resolved), resolved);
  return writeExposition(families, format);
}
