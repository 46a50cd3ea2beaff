/**
 * An HTTP server that answers every request with the next of a scripted list of bodies (the last one
 * repeats): a target whose exposition changes between scrapes exactly as a test wants, or that serves
 * something other than metrics.
 */
import { createServer } from 'node:http';

export interface ScriptedResponse {
  readonly body: string;
  readonly contentType?: string;
  readonly status?: number;
}

export interface ScriptedServer {
  /** Base URL, e.g. `http://127.0.0.1:12345`. */
  readonly url: string;
  /** How many requests were answered. */
  readonly served: () => number;
  close(): Promise<void>;
}

export async function serveScript(script: readonly (ScriptedResponse | string)[]): Promise<ScriptedServer> {
  let served = 0;
  const server = createServer((req, res) => {
    req.resume();
    const step = script[Math.min(served, script.length - 1)];
    served++;
    const r = typeof step === 'string' ? { body: step } : step;
    res.writeHead(r.status ?? 200, {
      'Content-Type': r.contentType ?? 'text/plain; version=0.0.4; charset=utf-8',
    });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
