/**
 * The web dashboard: one HTTP server with the dashboard page, the files it loads, and the Prometheus HTTP
 * API of an embedded Prometheus (so Grafana, or `curl`, can use the same URL as a Prometheus data source).
 *
 * ```ts
 * const dashboard = await startDashboard({
 *   targets: [httpTarget({ job: 'dynamo', url: 'http://127.0.0.1:8000/metrics' })],
 *   port: 9090,
 * });
 * console.log(dashboard.url); // open it in a browser
 * await dashboard.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serverUrl } from '../http/server-url.js';
import { closeServer, hardenServer, listen } from '../http/system-status-server.js';
import { createQueryApiHandler } from '../query/api/handler.js';
import type { EmbeddedPrometheus } from '../query/embedded.js';
import { QueryEngine } from '../query/engine/engine.js';
import { Scraper } from '../query/scrape/scraper.js';
import type { ScrapeTarget } from '../query/scrape/target.js';
import { MemoryStore, type StoreOptions } from '../query/storage/store.js';
import { contentTypeOf, loadDashboardAssets, PAGE_ENTRY } from './assets.js';
import { pageHtml } from './page.js';

export interface DashboardOptions {
  /** Targets to scrape (`httpTarget`, `inProcessTarget`); ignored when `prometheus` is given. */
  readonly targets?: readonly ScrapeTarget[];
  /**
   * An embedded Prometheus to show instead of starting one (`startEmbeddedPrometheus`, or any engine and
   * scraper); it keeps running after `close()`.
   */
  readonly prometheus?: Pick<EmbeddedPrometheus, 'engine' | 'scraper'>;
  /**
   * Scrape interval of the targets (default 5 s). With `prometheus`, what the page assumes for its rate
   * windows (default the longest interval of its targets).
   */
  readonly scrapeIntervalMs?: number;
  /** Address to listen on (default 127.0.0.1: the dashboard has no authentication). */
  readonly host?: string;
  /** Port (default 0, a free one). */
  readonly port?: number;
  /** Page title (default `dynametrics`). */
  readonly title?: string;
  /** Storage limits of the started Prometheus (default 24 h and 256 MiB). */
  readonly storage?: StoreOptions;
}

export interface Dashboard {
  /** Base URL of the page and of the Prometheus API under `/api/v1/`, e.g. `http://127.0.0.1:9090`. */
  readonly url: string;
  readonly engine: QueryEngine;
  readonly scraper: Scraper;
  /** Stops the server, and the scraper when the dashboard started it. */
  close(): Promise<void>;
}

const DEFAULT_SCRAPE_INTERVAL_MS = 5_000;

function isApi(path: string): boolean {
  return path.startsWith('/api/') || path === '/-/ready' || path === '/-/healthy';
}

/** A store, a scraper of `targets` (not started yet) and an engine over the store. */
function embeddedPrometheus(
  targets: readonly ScrapeTarget[],
  intervalMs: number,
  storage: StoreOptions | undefined,
): Pick<EmbeddedPrometheus, 'engine' | 'scraper'> {
  const store = new MemoryStore(storage);
  const scraper = new Scraper(store, { intervalMs });
  for (const t of targets) scraper.add(t);
  return { engine: new QueryEngine(store), scraper };
}

/** Starts the dashboard; resolves once it listens. */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const assets = loadDashboardAssets();
  const owned = options.prometheus === undefined;
  const { engine, scraper } =
    options.prometheus ??
    embeddedPrometheus(
      options.targets ?? [],
      options.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS,
      options.storage,
    );
  const intervals = scraper.targets().map((t) => t.intervalMs);
  const scrapeIntervalMs =
    options.scrapeIntervalMs ?? (intervals.length > 0 ? Math.max(...intervals) : DEFAULT_SCRAPE_INTERVAL_MS);
  const html = Buffer.from(
    pageHtml({
      title: options.title ?? 'dynametrics',
      scrapeIntervalMs,
      imports: assets.graph.imports,
      stylesheets: assets.stylesheets,
      entry: PAGE_ENTRY,
    }),
  );
  const api = createQueryApiHandler({ engine, targets: () => scraper.targets() });

  const serveFile = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    type: string,
    cache: string,
  ) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method Not Allowed\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Cache-Control': cache,
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (isApi(path)) {
      api(req, res);
      return;
    }
    if (path === '/') {
      serveFile(req, res, html, 'text/html; charset=utf-8', 'no-cache');
      return;
    }
    const file = assets.graph.files.get(path);
    if (file !== undefined) {
      serveFile(req, res, file, contentTypeOf(path), 'no-cache');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
  });
  hardenServer(server);
  let address: Awaited<ReturnType<typeof listen>>;
  try {
    address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (e) {
    if (owned) await scraper.stop();
    throw e;
  }
  if (owned) scraper.start();
  return {
    url: serverUrl(address.address, address.port),
    engine,
    scraper: scraper,
    async close() {
      await closeServer(server);
      if (owned) await scraper.stop();
    },
  };
}
