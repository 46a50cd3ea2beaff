/**
 * The system status server every runtime process can run (reference spec §7.1): `/metrics`, health and
 * liveness, 404 `Route not found` for anything else, 405 with `Allow` for wrong methods. It is hardened
 * for what a fleet throws at it: header and request timeouts against slow or half-open connections,
 * a 400 for malformed requests, and `close()` that also ends idle keep-alive connections, so a process
 * that shuts its runtime down exits on its own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { SystemHealth } from '../runtime/health.js';
import type { Logger } from '../util/logger.js';
import type { MetricsEndpoint } from './metrics-endpoint.js';
import { type RouteHandler, Router, sendJson, sendText } from './router.js';
import { serverUrl } from './server-url.js';

export interface SystemStatusServerOptions {
  readonly host: string;
  /** The host announced in {@link SystemStatusServer.url} for a wildcard bind (see server-url.ts). */
  readonly advertiseHost?: string;
  /** 0 picks an ephemeral port; see {@link SystemStatusServer.port}. */
  readonly port: number;
  readonly healthPath: string;
  readonly livePath: string;
  readonly metrics: MetricsEndpoint;
  readonly health: SystemHealth;
  /** More routes (e.g. HTTP service discovery), GET and HEAD. */
  readonly extraRoutes?: Readonly<Record<string, RouteHandler>>;
  readonly connectionLimits?: ConnectionLimits;
  readonly logger?: Logger;
}

/** Connection limits against slow and half-open clients. */
export interface ConnectionLimits {
  /** Time to receive a request's headers (default 10 s). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request (default 30 s). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  readonly keepAliveTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
});

/** The status line for a request Node's parser refused: too large, too slow, or malformed. */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/**
 * How often Node checks header and request timeouts (30 s by default): often enough that a slow client is
 * cut off close to its deadline. A `createServer` option, so every hardened server passes it there.
 */
export function connectionsCheckingInterval(limits: ConnectionLimits): number {
  return Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}

/**
 * Applies connection limits, and answers requests that are too large (431), too slow (408) or malformed
 * (400) before closing. Create the server with {@link connectionsCheckingInterval} so the limits are
 * enforced on time.
 */
export function hardenServer(server: Server, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Answer only if nothing was sent on this connection yet: after a response, trailing garbage (or a
    // body sent with `Connection: close`) must not produce a second, bogus response.
    if (socket.writable && (socket as Socket).bytesWritten === 0 && err.code !== 'ECONNRESET') {
      const status = clientErrorStatus(err.code);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
}

/** Starts listening; resolves once bound, rejects with the bind error. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting, ends idle and active connections, and resolves when the server is closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setImmediate(() => server.closeAllConnections());
  });
}

export class SystemStatusServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    /** The host announced for a wildcard bind. */
    readonly advertiseHost: string | undefined,
  ) {}

  static async start(options: SystemStatusServerOptions): Promise<SystemStatusServer> {
    const router = new Router();
    const methods = ['GET', 'HEAD'];
    router.add('/metrics', methods, (req, res, url) => options.metrics.handle(req, res, url));
    const health: RouteHandler = (req, res) => {
      const report = options.health.report();
      sendJson(res, report.status === 'ready' ? 200 : 503, report, req.method === 'HEAD');
    };
    router.add(options.healthPath, methods, health);
    router.add(options.livePath, methods, health);
    for (const [path, handler] of Object.entries(options.extraRoutes ?? {}))
      router.add(path, methods, handler);

    const limits = options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
    const server = createServer(
      { connectionsCheckingInterval: connectionsCheckingInterval(limits) },
      (req: IncomingMessage, res: ServerResponse) => {
        router.handle(req, res).catch((e) => {
          options.logger?.log('error', 'system status request failed', { error: e, path: req.url });
          sendText(res, 500, 'Internal Server Error');
        });
      },
    );
    hardenServer(server, limits);
    const address = await listen(server, options.port, options.host);
    return new SystemStatusServer(server, options.host, address.port, options.advertiseHost);
  }

  /** `http://host:port` as announced: the bind host, a wildcard as the advertise host or 127.0.0.1. */
  get url(): string {
    return serverUrl(this.host, this.port, this.advertiseHost);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
