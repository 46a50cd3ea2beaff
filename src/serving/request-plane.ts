/**
 * A runtime's request plane: the HTTP server its endpoints are served on (started with the first
 * `endpoint.serve`), the endpoints served in this process (called directly, without the network), the
 * client for remote ones, and the discovery backend where served instances are announced.
 */
import type { Logger } from '../util/logger.js';
import type { Discovery, WorkerInstance } from './discovery/types.js';
import { RequestPlaneClient } from './request-plane-client.js';
import { RequestPlaneServer, rpcPath } from './request-plane-server.js';
import type { ServedEndpoint } from './served-endpoint.js';

export interface RequestPlaneOptions {
  /** Bind address of the request server (default `DYN_REQUEST_PLANE_HOST` or 127.0.0.1). */
  readonly host?: string;
  /** Port of the request server (default `DYN_REQUEST_PLANE_PORT` or 0, an ephemeral port). */
  readonly port?: number;
  /** Host put in announced addresses when binding a wildcard (default the bind host, 127.0.0.1 for wildcards). */
  readonly advertiseHost?: string;
  readonly maxRequestBytes?: number;
}

export class RequestPlane {
  readonly client = new RequestPlaneClient();
  readonly #local = new Map<string, ServedEndpoint>();
  #server: Promise<RequestPlaneServer> | undefined;

  constructor(
    readonly discovery: Discovery,
    private readonly options: RequestPlaneOptions,
    private readonly logger?: Logger,
  ) {}

  /** The request server, started on first use. */
  server(): Promise<RequestPlaneServer> {
    this.#server ??= RequestPlaneServer.start({
      host: this.options.host ?? '127.0.0.1',
      port: this.options.port ?? 0,
      maxRequestBytes: this.options.maxRequestBytes,
      logger: this.logger,
    });
    return this.#server;
  }

  /** Serves an endpoint on the request server and in process; returns the request plane address. */
  async add(
    path: { namespace: string; component: string; endpoint: string },
    served: ServedEndpoint,
  ): Promise<string> {
    const server = await this.server();
    const key = rpcPath(path.namespace, path.component, path.endpoint);
    server.register(key, served);
    this.#local.set(key, served);
    return server.address(this.options.advertiseHost);
  }

  remove(path: { namespace: string; component: string; endpoint: string }): void {
    const key = rpcPath(path.namespace, path.component, path.endpoint);
    this.#local.delete(key);
    this.#server?.then((s) => s.unregister(key)).catch(() => {});
  }

  /** The chunks of one request to `instance`: in process when this runtime serves it, over HTTP otherwise. */
  call(
    instance: WorkerInstance,
    payload: unknown,
    options: { signal?: AbortSignal; requestId?: string; local?: string } = {},
  ): AsyncGenerator<unknown> {
    const served =
      options.local === instance.instanceId
        ? this.#local.get(rpcPath(instance.namespace, instance.component, instance.endpoint))
        : undefined;
    return served !== undefined
      ? this.client.callLocal(served, payload, options)
      : this.client.callHttp(instance, payload, options);
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await (await server)?.close();
    this.client.close();
    await this.discovery.close?.();
  }
}
