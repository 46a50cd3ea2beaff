/**
 * A small HTTP server around {@link createQueryApiHandler}: listens on loopback by default, reports its URL,
 * and closes cleanly (idle keep-alive connections included).
 */
import { createServer, type Server } from 'node:http';
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
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('query server has no TCP address');
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return new QueryApiServer(server, `http://${shown}:${address.port}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
