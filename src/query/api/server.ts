/**
 * A small HTTP server around {@link createQueryApiHandler}: listens on loopback by default, reports its URL,
 * and closes cleanly (idle keep-alive connections included).
 */
import { createServer, type Server } from 'node:http';
import { serverUrl } from '../../http/server-url.js';
import { closeServer, listen } from '../../http/system-status-server.js';
import { createQueryApiHandler, type QueryApiOptions } from './handler.js';

export interface QueryServerOptions extends QueryApiOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string;
}

export class QueryApiServer {
  private constructor(
    private readonly server: Server,
    /** Base URL, e.g. `http://127.0.0.1:9090`. */
    readonly url: string,
  ) {}

  static async start(options: QueryServerOptions): Promise<QueryApiServer> {
    const server = createServer(createQueryApiHandler(options));
    const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    return new QueryApiServer(server, serverUrl(address.address, address.port));
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
