/**
 * Exact-path routing for our small HTTP servers. Paths are matched as sent, before any decoding, so
 * `/%6Detrics` or `/metrics/../metrics` never reach a handler by accident; unknown paths get 404
 * `Route not found` (upstream's body), known paths with another method get 405 with `Allow`, and a
 * request whose body has no determinable length gets 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Route {
  readonly methods: readonly string[];
  readonly handler: RouteHandler;
}

export function sendText(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : text);
}

/**
 * True when the length of a request's body cannot be determined: it has a Transfer-Encoding whose last
 * coding is not `chunked`. Node then reads the body until the connection closes; RFC 9112 §6.3 says to
 * answer 400 and close, so that nothing after it on the connection can pass for another request.
 */
function unframedBody(req: IncomingMessage): boolean {
  const codings = req.headers['transfer-encoding'];
  return codings !== undefined && !/(?:^|,)[ \t]*chunked[ \t]*$/i.test(codings);
}

export class Router {
  readonly #routes = new Map<string, Route>();

  add(path: string, methods: readonly string[], handler: RouteHandler): this {
    this.#routes.set(path, { methods, handler });
    return this;
  }

  has(path: string): boolean {
    return this.#routes.has(path);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (unframedBody(req)) {
      sendText(res, 400, 'Transfer-Encoding must end with chunked', { Connection: 'close' });
      return;
    }
    const raw = req.url ?? '/';
    const path = raw.split('?', 1)[0];
    const route = this.#routes.get(path);
    if (route === undefined) {
      sendText(res, 404, 'Route not found');
      return;
    }
    if (!route.methods.includes(req.method ?? '')) {
      sendText(res, 405, `Method ${req.method} not allowed`, { Allow: route.methods.join(', ') });
      return;
    }
    let url: URL;
    try {
      url = new URL(raw, 'http://localhost');
    } catch {
      sendText(res, 400, 'Bad request URL');
      return;
    }
    await route.handler(req, res, url);
  }
}
