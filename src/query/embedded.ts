/**
 * The whole embedded Prometheus in one call: a store, a scraper over the given targets, the query engine
 * and the HTTP API, started together and stopped together.
 *
 * ```ts
 * const prom = await startEmbeddedPrometheus({
 *   targets: [inProcessTarget({ job: 'dynamo', instance: 'local', source: registry })],
 *   scrape: { intervalMs: 5_000 },
 *   port: 9090,
 * });
 * // Grafana: add a Prometheus data source with URL prom.url
 * await prom.close();
 * ```
 */
import { QueryApiServer } from './api/server.js';
import { type EngineOptions, QueryEngine } from './engine/engine.js';
import { Scraper, type ScraperOptions } from './scrape/scraper.js';
import type { ScrapeTarget } from './scrape/target.js';
import { MemoryStore, type StoreOptions } from './storage/store.js';

export interface EmbeddedPrometheusOptions {
  readonly targets?: readonly ScrapeTarget[];
  readonly scrape?: ScraperOptions;
  readonly storage?: StoreOptions;
  readonly engine?: EngineOptions;
  /** API port; 0 (default) picks a free one. */
  readonly port?: number;
  /** API address; default 127.0.0.1. */
  readonly host?: string;
}

export interface EmbeddedPrometheus {
  readonly store: MemoryStore;
  readonly scraper: Scraper;
  readonly engine: QueryEngine;
  readonly server: QueryApiServer;
  /** Base URL of the Prometheus-compatible API. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startEmbeddedPrometheus(
  options: EmbeddedPrometheusOptions = {},
): Promise<EmbeddedPrometheus> {
  const store = new MemoryStore(options.storage);
  const scraper = new Scraper(store, options.scrape);
  for (const t of options.targets ?? []) scraper.add(t);
  const engine = new QueryEngine(store, options.engine);
  const server = await QueryApiServer.start({
    engine,
    targets: () => scraper.targets(),
    port: options.port,
    host: options.host,
  });
  scraper.start();
  return {
    store,
    scraper,
    engine,
    server,
    url: server.url,
    async close() {
      await scraper.stop();
      await server.close();
    },
  };
}
