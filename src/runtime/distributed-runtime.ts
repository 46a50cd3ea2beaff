/**
 * The root of the hierarchy: one per process. It owns the instance id (`worker_id`), the runtime registry
 * with uptime and self-metrics, process health, and — when `DYN_SYSTEM_PORT` >= 0 or the code asks — the
 * system status server that serves the combined scrape of everything below it.
 *
 * ```ts
 * const drt = await DistributedRuntime.create({ systemServer: { port: 0, host: '127.0.0.1' } });
 * const requests = drt.namespace('dynamo').component('backend').endpoint('generate')
 *   .metrics.createIntCounterVec('requests_total', 'Requests received.', ['model']);
 * requests.labels('llama').inc();
 * console.log(drt.systemServer?.url);  // http://127.0.0.1:<port>/metrics serves it
 * await drt.shutdown();
 * ```
 */
import { show } from '../core/errors.js';
import type { MetricFamily } from '../core/model.js';
import { HTTP_SD_PATH, httpSdRoute } from '../http/http-sd-endpoint.js';
import { MetricsEndpoint, type MetricsEndpointOptions } from '../http/metrics-endpoint.js';
import type { RouteHandler } from '../http/router.js';
import { advertiseHostProblem } from '../http/server-url.js';
import { type ConnectionLimits, SystemStatusServer } from '../http/system-status-server.js';
import { LabelName } from '../names/labels.js';
import { defaultDiscoveryDir, FileDiscovery } from '../serving/discovery/file-discovery.js';
import type { Discovery } from '../serving/discovery/types.js';
import { RequestPlane, type RequestPlaneOptions } from '../serving/request-plane.js';
import { JsonLogger, type Logger, RateLimitedLog } from '../util/logger.js';
import { combinedScrape, type ScrapeObserver } from './combined-scrape.js';
import {
  ConfigError,
  type Env,
  parsePort,
  type SystemServerConfig,
  systemServerConfigFromEnv,
} from './config.js';
import { SystemHealth } from './health.js';
import { formatWorkerId, parseInstanceId, randomInstanceId } from './instance-id.js';
import { Children, HierarchyLevel } from './level.js';
import type { MetricsRegistry } from './metrics-registry.js';
import { Namespace } from './namespace.js';
import { DEFAULT_SCRAPE_SETTINGS, type ScrapeSettings } from './scrape-settings.js';
import { RuntimeSelfMetrics } from './self-metrics.js';

export interface DistributedRuntimeOptions {
  /** The 64-bit instance id; random by default. Its hex form is the `worker_id` label. */
  readonly instanceId?: bigint | number | string;
  /** Environment to read `DYN_*` settings from; `process.env` by default. */
  readonly env?: Env;
  /**
   * The system status server: `true` to start it (port from `DYN_SYSTEM_PORT`, else ephemeral), `false`
   * never to start it, settings to start it with those (they win over the environment), or leave it out
   * to follow `DYN_SYSTEM_PORT` (>= 0 starts it).
   */
  readonly systemServer?: boolean | Partial<Omit<SystemServerConfig, 'enabled'>>;
  readonly logger?: Logger;
  readonly scrape?: Partial<ScrapeSettings>;
  readonly metricsEndpoint?: Omit<MetricsEndpointOptions, 'onScrape' | 'logger'>;
  /**
   * Extra GET routes on the system status server. `/http_sd_config` (Prometheus HTTP service discovery of
   * every instance discovery knows) is always there unless a route given here replaces it.
   */
  readonly extraRoutes?: Readonly<Record<string, RouteHandler>>;
  /** Connection limits of the system status server. */
  readonly connectionLimits?: ConnectionLimits;
  /** Where served endpoints are announced and found (default: the directory `DYN_DISCOVERY_DIR`). */
  readonly discovery?: Discovery;
  /** The request plane's server settings (default host 127.0.0.1 and an ephemeral port, or `DYN_REQUEST_PLANE_*`). */
  readonly requestPlane?: RequestPlaneOptions;
  /**
   * The host other machines reach this process's servers at (default `DYN_ADVERTISE_HOST`; a pod IP or a
   * DNS name): the address announced (request plane, system status server, frontend) for a server bound to
   * a wildcard, which is otherwise announced as 127.0.0.1. A server bound to one address announces that.
   */
  readonly advertiseHost?: string;
}

/** The advertise host from the options or `DYN_ADVERTISE_HOST`, checked. */
function resolveAdvertiseHost(options: DistributedRuntimeOptions): string | undefined {
  const fromEnv = (options.env ?? process.env).DYN_ADVERTISE_HOST?.trim();
  const host = options.advertiseHost ?? (fromEnv === '' ? undefined : fromEnv);
  if (host === undefined) return undefined;
  const problem = advertiseHostProblem(host);
  if (problem !== undefined) {
    const what = options.advertiseHost === undefined ? 'DYN_ADVERTISE_HOST' : 'advertiseHost';
    throw new ConfigError(`${what} must be a host name or an IP address, got ${show(host)}: ${problem}`);
  }
  return host;
}

function requestPlaneOptions(options: DistributedRuntimeOptions): RequestPlaneOptions {
  const env = options.env ?? process.env;
  const fromEnv: { host?: string; port?: number } = {};
  if (env.DYN_REQUEST_PLANE_HOST) fromEnv.host = env.DYN_REQUEST_PLANE_HOST;
  if (env.DYN_REQUEST_PLANE_PORT)
    fromEnv.port = Math.max(0, parsePort(env.DYN_REQUEST_PLANE_PORT, 'DYN_REQUEST_PLANE_PORT'));
  return { ...fromEnv, ...options.requestPlane };
}

function resolveServerConfig(options: DistributedRuntimeOptions, logger: Logger): SystemServerConfig {
  const fromEnv = systemServerConfigFromEnv(options.env ?? process.env, logger);
  const given = options.systemServer;
  if (given === undefined) return fromEnv;
  if (given === false) return { ...fromEnv, enabled: false };
  if (given === true) return { ...fromEnv, enabled: true };
  return { ...fromEnv, ...given, enabled: true };
}

export class DistributedRuntime extends HierarchyLevel {
  readonly instanceId: bigint;
  /** Lower-case hex of the instance id: the `worker_id` label. */
  readonly workerId: string;
  readonly health: SystemHealth;
  readonly logger: Logger;
  readonly serverConfig: SystemServerConfig;
  /** The host announced for this process's servers bound to a wildcard, when set. */
  readonly advertiseHost: string | undefined;
  readonly selfMetrics: RuntimeSelfMetrics;
  /** The `/metrics` handler of this runtime, reusable by other servers (the frontend mounts it too). */
  readonly metricsEndpoint: MetricsEndpoint;
  #systemServer: SystemStatusServer | undefined;
  readonly #namespaces = new Children((name) => new Namespace(this, this, name));
  readonly #settings: ScrapeSettings;
  readonly #observer: ScrapeObserver;
  readonly #autoLabels: Readonly<Record<string, string>>;
  readonly #extraRoutes: Readonly<Record<string, RouteHandler>>;
  readonly #connectionLimits: ConnectionLimits | undefined;
  readonly #requestPlaneOptions: RequestPlaneOptions;
  readonly #discovery: Discovery | undefined;
  readonly #env: Env;
  #requestPlane: RequestPlane | undefined;
  readonly #onShutdown: (() => Promise<void>)[] = [];

  /** Creates the runtime and starts its system status server when configured. */
  static async create(options: DistributedRuntimeOptions = {}): Promise<DistributedRuntime> {
    const drt = new DistributedRuntime(options);
    await drt.start();
    return drt;
  }

  /** Creates the runtime without starting anything; see {@link start}. */
  constructor(options: DistributedRuntimeOptions = {}) {
    super('', undefined, '');
    this.logger = options.logger ?? new JsonLogger();
    this.instanceId =
      options.instanceId === undefined ? randomInstanceId() : parseInstanceId(options.instanceId);
    this.workerId = formatWorkerId(this.instanceId);
    this.#autoLabels = Object.freeze({ [LabelName.WORKER_ID]: this.workerId });
    this.serverConfig = resolveServerConfig(options, this.logger);
    this.advertiseHost = resolveAdvertiseHost(options);
    this.health = new SystemHealth(
      this.serverConfig.startingHealthStatus,
      this.serverConfig.useEndpointHealthStatus,
    );
    this.#settings = { ...DEFAULT_SCRAPE_SETTINGS, ...options.scrape };
    this.#extraRoutes = options.extraRoutes ?? {};
    this.#connectionLimits = options.connectionLimits;
    this.#env = options.env ?? process.env;
    this.#requestPlaneOptions = { advertiseHost: this.advertiseHost, ...requestPlaneOptions(options) };
    this.#discovery = options.discovery;
    this.selfMetrics = new RuntimeSelfMetrics(this.metrics);
    const warn = new RateLimitedLog(this.logger);
    this.#observer = {
      callbackFailed: (kind, cause, callback, detail) => {
        this.selfMetrics.callbackFailed(kind, cause);
        warn.log('warn', `${kind}:${callback}:${cause}`, `Error executing metrics ${kind} callback`, {
          callback,
          cause,
          detail,
        });
      },
      dropped: (drop) => {
        this.selfMetrics.dropped(drop);
        const message =
          drop.kind === 'duplicate-series'
            ? 'Duplicate Prometheus series while merging registries; dropping later sample'
            : 'Metric family has inconsistent help/type across registries; dropping the later family';
        warn.log('warn', `${drop.kind}:${drop.family}:${drop.origin}`, message, { ...drop });
      },
    };
    this.metrics.registerUpdateCallback(() => {
      this.selfMetrics.uptime.set(this.health.uptimeSeconds());
      this.selfMetrics.countRefusedSeries(this.metricsRegistry.walk());
    }, 'runtime uptime and self-metrics');
    this.metricsEndpoint = new MetricsEndpoint(() => this.scrapeFamilies(), {
      ...options.metricsEndpoint,
      logger: this.logger,
      onScrape: (format, outcome, seconds) => this.selfMetrics.scrapeServed(format, outcome, seconds),
    });
  }

  get runtime(): DistributedRuntime {
    return this;
  }

  get autoLabels(): Readonly<Record<string, string>> {
    return this.#autoLabels;
  }

  /** The running system status server, if any (its `port` is the real one when 0 was asked). */
  get systemServer(): SystemStatusServer | undefined {
    return this.#systemServer;
  }

  /** The request plane (server, client, discovery), created on first use. */
  get requestPlane(): RequestPlane {
    this.#requestPlane ??= new RequestPlane(
      this.#discovery ?? new FileDiscovery(defaultDiscoveryDir(this.#env)),
      this.#requestPlaneOptions,
      this.logger,
    );
    return this.#requestPlane;
  }

  /** Runs `fn` during {@link shutdown}, before the servers close (e.g. to withdraw a served instance). */
  onShutdown(fn: () => Promise<void>): void {
    this.#onShutdown.push(fn);
  }

  /** The top-level namespace of this name, created on first use. */
  namespace(name: string): Namespace {
    return this.#namespaces.get(name);
  }

  namespaces(): IterableIterator<Namespace> {
    return this.#namespaces.values();
  }

  /** Starts the system status server if it is enabled and not running yet. */
  async start(): Promise<void> {
    if (!this.serverConfig.enabled || this.#systemServer !== undefined) return;
    const c = this.serverConfig;
    this.#systemServer = await SystemStatusServer.start({
      host: c.host,
      port: c.port,
      advertiseHost: this.advertiseHost,
      healthPath: c.healthPath,
      livePath: c.livePath,
      metrics: this.metricsEndpoint,
      health: this.health,
      extraRoutes: {
        [HTTP_SD_PATH]: httpSdRoute(() => this.requestPlane.discovery.list(), this.logger),
        ...this.#extraRoutes,
      },
      connectionLimits: this.#connectionLimits,
      logger: this.logger,
    });
    this.logger.log('info', 'system status server listening', { url: this.#systemServer.url });
  }

  /** The combined scrape of one registry of this runtime and everything below it. */
  scrapeRegistry(registry: MetricsRegistry): Promise<MetricFamily[]> {
    return combinedScrape(registry, this.#settings, this.#observer);
  }

  /**
   * Withdraws served instances, cancels the requests still running (their callers are told), and stops
   * the request plane and the system status server; nothing of the runtime keeps the process alive after.
   */
  async shutdown(): Promise<void> {
    const hooks = this.#onShutdown.splice(0);
    await Promise.allSettled(hooks.map((fn) => fn()));
    const plane = this.#requestPlane;
    this.#requestPlane = undefined;
    await plane?.close();
    const server = this.#systemServer;
    this.#systemServer = undefined;
    await server?.close();
  }
}
