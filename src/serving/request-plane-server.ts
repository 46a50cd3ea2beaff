/**
 * The worker side of the HTTP request plane: `POST /v1/rpc/<namespace>/<component>/<endpoint>` with a
 * request message as the body, answered with a stream of frames (`application/x-ndjson`). A caller that
 * disconnects aborts the handler; closing the server cancels every request still running (the callers are
 * told), so a shutdown never leaves an in-flight count behind.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serverUrl } from '../http/server-url.js';
import { closeServer, hardenServer, listen } from '../http/system-status-server.js';
import type { Logger } from '../util/logger.js';
import type { ServedEndpoint, Transport } from './served-endpoint.js';
import type { MessageError } from './wire.js';

export const RPC_PREFIX = '/v1/rpc/';

/** The path of an endpoint on the request plane. */
export function rpcPath(namespace: string, component: string, endpoint: string): string {
  return `${RPC_PREFIX}${[namespace, component, endpoint].map(encodeURIComponent).join('/')}`;
}

export interface RequestPlaneServerOptions {
  readonly host: string;
  readonly port: number;
  /** Largest request message accepted, in bytes (default 16 MiB). */
  readonly maxRequestBytes?: number;
  readonly logger?: Logger;
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return Buffer.byteLength(text);
}

/** A transport over one HTTP response: frames are written as they come, with backpressure. */
function httpTransport(res: ServerResponse): Transport {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  return {
    reject: async (e: MessageError) => sendJson(res, 400, { error: { type: e.kind, message: e.message } }),
    send: (frame) =>
      new Promise<void>((resolve, reject) => {
        if (closed || res.destroyed) {
          reject(new Error('the caller is gone'));
          return;
        }
        if (!res.headersSent)
          res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
        if (res.write(frame)) {
          resolve();
          return;
        }
        const onDrain = () => {
          res.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          res.off('drain', onDrain);
          reject(new Error('the caller is gone'));
        };
        res.once('drain', onDrain);
        res.once('close', onClose);
      }),
  };
}

export class RequestPlaneServer {
  readonly #served = new Map<string, ServedEndpoint>();
  readonly #running = new Set<AbortController>();
  readonly #maxBytes: number;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    options: RequestPlaneServerOptions,
  ) {
    this.#maxBytes = options.maxRequestBytes ?? 16 * 1024 * 1024;
  }

  static async start(options: RequestPlaneServerOptions): Promise<RequestPlaneServer> {
    let plane: RequestPlaneServer | undefined;
    const server = createServer((req, res) => {
      plane?.handle(req, res).catch((e) => {
        options.logger?.log('error', 'request plane failure', { error: e });
        if (!res.headersSent)
          sendJson(res, 500, { error: { type: 'internal', message: 'request plane failure' } });
        else res.destroy();
      });
    });
    hardenServer(server, { headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 65_000 });
    const address = await listen(server, options.port, options.host);
    plane = new RequestPlaneServer(server, options.host, address.port, options);
    return plane;
  }

  register(path: string, served: ServedEndpoint): void {
    this.#served.set(path, served);
  }

  unregister(path: string): void {
    this.#served.delete(path);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?', 1)[0];
    const served = this.#served.get(path);
    if (served === undefined || !path.startsWith(RPC_PREFIX)) {
      req.resume();
      sendJson(res, 404, { error: { type: 'not_found', message: `no endpoint is served at ${path}` } });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { error: { type: 'method_not_allowed', message: `use POST, not ${req.method}` } });
      return;
    }
    const controller = new AbortController();
    this.#running.add(controller);
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('the caller disconnected'));
    });
    try {
      const message = await readBody(req, this.#maxBytes);
      if (message instanceof Error) {
        served.metrics.begin(message.bytes).end();
        served.metrics.errors.labels('invalid_message').inc();
        sendJson(res, 413, { error: { type: 'invalid_message', message: message.message } });
        req.destroy();
        return;
      }
      await served.handle(message, httpTransport(res), controller.signal);
      if (!res.headersSent && !res.destroyed) res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.end();
    } finally {
      this.#running.delete(controller);
    }
  }

  /** `http://host:port` as announced: the bind host, a wildcard as `advertise` or 127.0.0.1. */
  address(advertise?: string): string {
    return serverUrl(this.host, this.port, advertise);
  }

  /** Cancels the requests still running (their callers are told), then closes the server. */
  async close(): Promise<void> {
    for (const c of this.#running) c.abort(new Error('the worker is shutting down'));
    await new Promise((r) => setImmediate(r));
    await closeServer(this.server);
  }
}

class OversizedMessage extends Error {
  constructor(
    readonly bytes: number,
    limit: number,
  ) {
    super(`request message is larger than ${limit} bytes`);
  }
}

/** Reads a request body, up to `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | OversizedMessage> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      resolve(new OversizedMessage(0, limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve(new OversizedMessage(size, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('the caller disconnected while sending')));
  });
}
