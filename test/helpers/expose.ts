import type { Metric, MetricFamily } from '../../src/core/index.js';
import { Registry } from '../../src/core/index.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT, writeExposition } from '../../src/expfmt/index.js';

/** Text exposition of a registry (or of one metric in a fresh registry). */
export function text(source: Registry | Metric): string {
  return writeExposition(families(source), TEXT_FORMAT);
}

/** OpenMetrics exposition of a registry (or of one metric in a fresh registry). */
export function openMetrics(source: Registry | Metric): string {
  return writeExposition(families(source), OPENMETRICS_FORMAT);
}

function families(source: Registry | Metric): MetricFamily[] {
  if (source instanceof Registry) return source.gather();
  const family = source.collect();
  return family === undefined ? [] : [family];
}
