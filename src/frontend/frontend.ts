/**
 * The OpenAI-compatible frontend: `/v1/models`, `/v1/chat/completions`, `/v1/completions`, `/metrics` (its
 * own registry merged with its runtime's combined scrape, negotiated and gzipped like the system status
 * server), `/health`, `/live` and `/http_sd_config` (Prometheus HTTP service discovery of the fleet). It announces
 * itself through discovery (see `announce.ts`) so that service discovery finds frontends too. It routes each request to the least-loaded worker that serves the model,
 * found through the runtime's discovery.
 *
 * ```ts
 * const runtime = await DistributedRuntime.create({ systemServer: false });
 * const frontend = await Frontend.start({ runtime, port: 8000 });
 * // ... later
 * await frontend.close();
 * ```
 */
import { createServer, type Server } from 'node:http';
import { mergeFamilies } from '../core/merge.js';
import type { MetricFamily } from '../core/model.js';
import { type Clock, realClock } from '../engines/clock.js';
import { HTTP_SD_PATH, httpSdRoute } from '../http/http-sd-endpoint.js';
import { MetricsEndpoint } from '../http/metrics-endpoint.js';
import { Router, sendJson, sendText } from '../http/router.js';
import { serverUrl } from '../http/server-url.js';
import {
  type ConnectionLimits,
  closeServer,
  connectionsCheckingInterval,
  hardenServer,
  listen,
} from '../http/system-status-server.js';
import { errorBody } from '../openai/protocol.js';
import type { Env } from '../runtime/config.js';
import type { DistributedRuntime } from '../runtime/distributed-runtime.js';
import { DEFAULT_FRONTEND_NAMESPACE, frontendInstance } from './announce.js';
import { handleCompletion } from './completion.js';
import { type FrontendConfig, frontendConfigFromEnv } from './config.js';
import { FrontendMetrics } from './metrics.js';
import { ModelRegistry } from './model-registry.js';

export interface FrontendOptions {
  /** Provides discovery, the request plane, and the runtime metrics merged into `/metrics`. */
  readonly runtime: DistributedRuntime;
  /** Port to listen on (default `--http-port`/`DYN_HTTP_PORT`, else 8000); 0 picks a free one. */
  readonly port?: number;
  /** Bind address (default 0.0.0.0, as upstream). */
  readonly host?: string;
  /** Environment for `DYN_*` settings (default `process.env`). */
  readonly env?: Env;
  /** Settings that win over the environment. */
  readonly config?: Partial<FrontendConfig>;
  /** Largest request body (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /** Inactivity limit of a worker's stream (default 5 min). */
  readonly responseTimeoutMs?: number;
  /** How often discovery is polled for workers (default 1 s). */
  readonly refreshMs?: number;
  /** Announce this frontend through discovery, for HTTP service discovery (default true). */
  readonly announce?: boolean;
  /** The namespace it is announced in (default `dynamo`). */
  readonly namespace?: string;
  /**
   * Times requests and tokens (default real time). Tests share a `VirtualClock` with an in-process mock
   * engine, which makes every TTFT, ITL and duration exact.
   */
  readonly clock?: Clock;
  /**
   * Record the request metrics (default true). Off, requests are served identically but nothing is
   * recorded: the baseline of the throughput benchmark that shows what recording costs.
   */
  readonly recordMetrics?: boolean;
  /** Limits against slow and half-open clients (default: headers 10 s, request 60 s, keep-alive 5 s). */
  readonly connectionLimits?: ConnectionLimits;
}

const FRONTEND_CONNECTION_LIMITS: ConnectionLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
});

export class Frontend {
  #shuttingDown = false;
  #withdraw: (() => Promise<void>) | undefined;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    readonly metrics: FrontendMetrics,
    readonly models: ModelRegistry,
    readonly runtime: DistributedRuntime,
  ) {}

  static async start(options: FrontendOptions): Promise<Frontend> {
    const runtime = options.runtime;
    const config = {
      ...frontendConfigFromEnv(options.env ?? process.env, runtime.logger),
      ...options.config,
    };
    const metrics = new FrontendMetrics(config);
    const plane = runtime.requestPlane;
    const models = new ModelRegistry(
      plane.discovery,
      metrics,
      { refreshMs: options.refreshMs, configPollMs: config.configPollIntervalMs },
      runtime.logger,
    );
    const deps = {
      metrics: options.recordMetrics === false ? undefined : metrics,
      models,
      plane,
      logger: runtime.logger,
      maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
      responseTimeoutMs: options.responseTimeoutMs ?? 300_000,
      clock: options.clock ?? realClock,
      localWorkerId: runtime.workerId,
    };
    const gather = async (): Promise<MetricFamily[]> =>
      mergeFamilies(
        [
          { families: metrics.registry.gather(), origin: 'frontend' },
          { families: await runtime.scrapeFamilies(), origin: 'runtime' },
        ],
        (drop) => runtime.selfMetrics.dropped(drop),
      );
    const metricsEndpoint = new MetricsEndpoint(gather, {
      logger: runtime.logger,
      onScrape: (format, outcome, seconds) => runtime.selfMetrics.scrapeServed(format, outcome, seconds),
    });
    let frontend: Frontend | undefined;
    const router = new Router()
      .add('/v1/chat/completions', ['POST'], (req, res) =>
        handleCompletion(deps, 'chat_completions', req, res),
      )
      .add('/v1/completions', ['POST'], (req, res) => handleCompletion(deps, 'completions', req, res))
      .add('/v1/models', ['GET'], (_, res) => {
        const data = models
          .models()
          .map((card) => ({ id: card.name, object: 'model', created: 0, owned_by: 'dynametrics' }));
        sendJson(res, 200, { object: 'list', data });
      })
      .add('/metrics', ['GET', 'HEAD'], (req, res, url) => metricsEndpoint.handle(req, res, url))
      .add(
        HTTP_SD_PATH,
        ['GET', 'HEAD'],
        httpSdRoute(() => plane.discovery.list(), runtime.logger),
      )
      .add('/health', ['GET', 'HEAD'], (req, res) => {
        const status = frontend?.status() ?? 'not_ready';
        const body = {
          status,
          endpoints: [
            ...new Set(
              models
                .instances()
                .map((i) => `${i.instance.namespace}/${i.instance.component}/${i.instance.endpoint}`),
            ),
          ],
          instances: models.instances().map((i) => ({
            instance_id: i.instance.instanceId,
            address: i.instance.address,
            model: i.instance.modelCard.name,
            inflight: i.inflight,
          })),
        };
        sendJson(res, status === 'healthy' ? 200 : 503, body, req.method === 'HEAD');
      })
      .add('/live', ['GET', 'HEAD'], (req, res) => {
        const live = frontend?.shuttingDown !== true;
        sendJson(res, live ? 200 : 503, { status: live ? 'live' : 'shutting_down' }, req.method === 'HEAD');
      });
    const limits = options.connectionLimits ?? FRONTEND_CONNECTION_LIMITS;
    const server = createServer(
      { connectionsCheckingInterval: connectionsCheckingInterval(limits) },
      (req, res) => {
        if (frontend?.shuttingDown === true && req.url?.startsWith('/v1/')) {
          req.resume();
          sendJson(res, 503, errorBody(503, 'The frontend is shutting down.'));
          return;
        }
        router.handle(req, res).catch((e) => {
          runtime.logger.log('error', 'frontend request failed', { error: e, path: req.url });
          sendText(res, 500, 'Internal Server Error');
        });
      },
    );
    hardenServer(server, limits);
    await models.start();
    const host = options.host ?? '0.0.0.0';
    const address = await listen(server, options.port ?? config.httpPort, host);
    frontend = new Frontend(server, host, address.port, metrics, models, runtime);
    if (options.announce !== false) {
      const namespace = options.namespace ?? DEFAULT_FRONTEND_NAMESPACE;
      frontend.#withdraw = await plane.discovery.register(
        frontendInstance(namespace, runtime.workerId, frontend.url),
      );
    }
    return frontend;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** `healthy` once discovery has answered, `not_ready` before or while it fails, `shutting_down` at the end. */
  status(): 'healthy' | 'not_ready' | 'shutting_down' {
    if (this.#shuttingDown) return 'shutting_down';
    return this.models.ready && !this.models.failing ? 'healthy' : 'not_ready';
  }

  /** `http://host:port` as announced: the bind host, a wildcard as the runtime's advertise host or 127.0.0.1. */
  get url(): string {
    return serverUrl(this.host, this.port, this.runtime.advertiseHost);
  }

  /** Refuses new requests, lets running ones finish (up to `graceMs`), then closes. */
  async close(graceMs = 5000): Promise<void> {
    this.#shuttingDown = true;
    const withdraw = this.#withdraw;
    this.#withdraw = undefined;
    await withdraw?.();
    this.models.close();
    const deadline = Date.now() + graceMs;
    while (this.models.instances().some((i) => i.inflight > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await closeServer(this.server);
  }
}
