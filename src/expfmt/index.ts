export * from './escape.js';
export * from './format.js';
export * from './negotiate.js';
export * from './number.js';
export {
  type OpenMetricsOptions,
  openMetricsIdentity,
  writeOpenMetricsFamily,
} from './openmetrics-writer.js';
export * from './parser.js';
export { writeTextFamily } from './text-writer.js';
