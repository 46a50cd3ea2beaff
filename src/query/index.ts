export { createQueryApiHandler, type QueryApiOptions, type RequestHandler } from './api/handler.js';
export { QueryApiServer, type QueryServerOptions } from './api/server.js';
export {
  type EmbeddedPrometheus,
  type EmbeddedPrometheusOptions,
  startEmbeddedPrometheus,
} from './embedded.js';
export {
  type EngineOptions,
  type InstantSample,
  QueryEngine,
  type QueryOptions,
  type QueryResult,
  type RangeSeries,
} from './engine/engine.js';
export { setGoExpFma } from './engine/go-exp-log.js';
export * from './errors.js';
export { type Labels, labelsFromRecord, labelsToRecord } from './labels.js';
export { parsePromQL } from './promql/parser.js';
export { type ScrapeOptions, Scraper, type ScraperOptions } from './scrape/scraper.js';
export type { TargetHealth, TargetStatus } from './scrape/status.js';
export {
  type Gatherer,
  type HttpTargetOptions,
  httpTarget,
  type InProcessTargetOptions,
  inProcessTarget,
  type ScrapeTarget,
} from './scrape/target.js';
export { MemoryStore, type StoreOptions, type StoreStats } from './storage/store.js';
