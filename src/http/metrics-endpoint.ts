/**
 * `GET`/`HEAD /metrics`, shared by the system status server and the frontend. What a scraping fleet needs
 * (modelled on client_golang's promhttp): content negotiation (text 0.0.4 or OpenMetrics), gzip done on the
 * thread pool, encoding that yields to the event loop, concurrent scrapes sharing one gather, a cap on
 * scrapes in flight and a timeout that both answer 503, `name[]` to filter families, and an outcome for
 * every scrape reported to the self-metrics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { MetricFamily } from '../core/model.js';
import { type ExpositionFormat, writeExpositionBytes } from '../expfmt/format.js';
import { negotiate } from '../expfmt/negotiate.js';
import { type OpenMetricsOptions, openMetricsIdentity } from '../expfmt/openmetrics-writer.js';
import type { Logger } from '../util/logger.js';
import { acceptsGzip } from './accept-encoding.js';
import { sendText } from './router.js';

const gzipAsync = promisify(gzip);

export type ScrapeOutcomeName = 'success' | 'error' | 'timeout' | 'rejected';

export interface MetricsEndpointOptions {
  /** Scrapes served at once; more get 503 (default 16). Scrapes that share a gather each count. */
  readonly maxInFlight?: number;
  /** A scrape still running after this gets 503 (default 10 s, or less when Prometheus says its timeout is shorter). */
  readonly timeoutMs?: number;
  /** OpenMetrics options, e.g. `_created` lines. */
  readonly openMetrics?: OpenMetricsOptions;
  /** Called once per request with its format, outcome and duration in seconds. */
  readonly onScrape?: (format: ExpositionFormat['name'], outcome: ScrapeOutcomeName, seconds: number) => void;
  readonly logger?: Logger;
}

class ScrapeTimeout extends Error {}

export class MetricsEndpoint {
  #inFlight = 0;
  #shared: Promise<MetricFamily[]> | undefined;
  readonly #maxInFlight: number;
  readonly #timeoutMs: number;

  constructor(
    private readonly gather: () => Promise<MetricFamily[]>,
    private readonly options: MetricsEndpointOptions = {},
  ) {
    this.#maxInFlight = options.maxInFlight ?? 16;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** One gather for every scrape that arrives while it runs. */
  #sharedGather(): Promise<MetricFamily[]> {
    if (this.#shared === undefined) {
      const pending = this.gather().finally(() => {
        if (this.#shared === pending) this.#shared = undefined;
      });
      this.#shared = pending;
    }
    return this.#shared;
  }

  /** The timeout for this request: ours, or Prometheus's own scrape timeout when that is shorter. */
  #timeoutFor(req: IncomingMessage): number {
    const header = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
    return Number.isFinite(header) && header > 0 ? Math.min(this.#timeoutMs, header * 1000) : this.#timeoutMs;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const format = negotiate(req.headers.accept, this.options.openMetrics);
    const report = (outcome: ScrapeOutcomeName) =>
      this.options.onScrape?.(format.name, outcome, (performance.now() - started) / 1000);
    if (this.#inFlight >= this.#maxInFlight) {
      report('rejected');
      sendText(res, 503, `Limit of concurrent requests reached (${this.#maxInFlight}), try again later.`, {
        'Retry-After': '1',
      });
      return;
    }
    this.#inFlight++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeoutMs = this.#timeoutFor(req);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ScrapeTimeout(`scrape timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      const body = await Promise.race([
        this.#body(format, url, acceptsGzip(req.headers['accept-encoding'])),
        timeout,
      ]);
      const headers: Record<string, string | number> = {
        'Content-Type': format.contentType,
        'Content-Length': body.data.length,
        Vary: 'Accept, Accept-Encoding',
        'Cache-Control': 'no-store',
      };
      if (body.gzip) headers['Content-Encoding'] = 'gzip';
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body.data);
      report('success');
    } catch (e) {
      if (e instanceof ScrapeTimeout) {
        report('timeout');
        sendText(res, 503, e.message);
      } else {
        report('error');
        this.options.logger?.log('error', 'Failed to get metrics', { error: e });
        sendText(res, 500, 'Failed to get metrics');
      }
    } finally {
      clearTimeout(timer);
      this.#inFlight--;
    }
  }

  async #body(
    format: ExpositionFormat,
    url: URL,
    compress: boolean,
  ): Promise<{ data: Buffer; gzip: boolean }> {
    let families = await this.#sharedGather();
    const names = url.searchParams.getAll('name[]');
    if (names.length > 0) {
      const wanted = new Set(names);
      families = families.filter((f) => wanted.has(f.name) || wanted.has(openMetricsIdentity(f).name));
    }
    const text = await writeExpositionBytes(families, format);
    return compress ? { data: await gzipAsync(text), gzip: true } : { data: text, gzip: false };
  }
}
