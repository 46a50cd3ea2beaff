/**
 * A minimal `/metrics` server for integration tests of the exposition layer: content negotiation and gzip,
 * and a log of what each scrape asked for. (The runtime's real system status server is tested separately.)
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { MetricFamily } from '../../src/core/index.js';
import { type ExpositionFormat, negotiate, TEXT_FORMAT, writeExposition } from '../../src/expfmt/index.js';

const gzipAsync = promisify(gzip);

export interface ExpositionServer {
  readonly host: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders; contentType: string; gzip: boolean }[];
  close(): Promise<void>;
}

export interface ServeOptions {
  /** `/text` ignores Accept and always answers text 0.0.4; `/plain` also never compresses. */
  readonly gather: () => MetricFamily[];
}

export async function serveExpositions({ gather }: ServeOptions): Promise<ExpositionServer> {
  const requests: ExpositionServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const format: ExpositionFormat = path === '/metrics' ? negotiate(req.headers.accept) : TEXT_FORMAT;
    const body = Buffer.from(writeExposition(gather(), format));
    const wantsGzip = path !== '/plain' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    requests.push({ path, headers: req.headers, contentType: format.contentType, gzip: wantsGzip });
    res.setHeader('Content-Type', format.contentType);
    if (wantsGzip) {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(await gzipAsync(body));
    } else {
      res.end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return {
    host: `127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
