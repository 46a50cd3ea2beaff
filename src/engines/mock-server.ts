/**
 * An OpenAI-compatible HTTP server around a {@link MockEngine}, standing in for a vLLM server: the same
 * routes (`GET /v1/models`, `POST /v1/completions`, `POST /v1/chat/completions`, `GET /metrics`,
 * `GET /health`), the same streaming format (SSE `data: {...}` chunks, then `data: [DONE]`), the same
 * `usage` (with `prompt_tokens_details.cached_tokens`), OpenAI-style error bodies, and the vLLM metrics.
 *
 * A generation's response starts once its first chunk exists, so that an engine refusal (503), a bad
 * request (400) or a fault before the first token answers with an HTTP status; a fault later in a stream
 * becomes a `data: {"error": ...}` event followed by `data: [DONE]`, as vLLM sends it. A client that
 * disconnects aborts its generation, which releases its KV blocks at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { serverUrl } from '../http/server-url.js';
import { closeServer, listen } from '../http/system-status-server.js';
import { errorBody, OpenAIRequestError, usageOf } from '../openai/protocol.js';
import {
  type OpenAIEndpointKind,
  type ParsedOpenAIRequest,
  parseOpenAIRequest,
  resolveMaxTokens,
  toGenerateRequest,
} from '../openai/request.js';
import { OpenAIResponseBuilder, SSE_DONE, sseData } from '../openai/response.js';
import { JsonLogger, type Logger } from '../util/logger.js';
import { EngineConfigError } from './errors.js';
import { MockEngine } from './mock-engine.js';
import type { MockEngineOptions } from './mock-options.js';
import { EngineError, type FinishReason, type GenerateChunk, type GenerateRequest } from './types.js';

export interface MockEngineServerOptions {
  /** The engine to serve; one is built from `engineOptions` when absent (and closed with the server). */
  readonly engine?: MockEngine;
  readonly engineOptions?: MockEngineOptions;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: an ephemeral port (read it from `port`). */
  readonly port?: number;
  /** Generations in flight at most; more are answered 429 (default unlimited). */
  readonly maxConcurrentRequests?: number;
  /** Largest request body in bytes (default 4 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number;
  readonly logger?: Logger;
}

const ROUTES: Record<string, { readonly method: string; readonly kind?: OpenAIEndpointKind }> = {
  '/v1/models': { method: 'GET' },
  '/v1/completions': { method: 'POST', kind: 'completions' },
  '/v1/chat/completions': { method: 'POST', kind: 'chat_completions' },
  '/metrics': { method: 'GET' },
  '/health': { method: 'GET' },
};

export class MockEngineServer {
  readonly engine: MockEngine;
  readonly #server: Server;
  readonly #ownsEngine: boolean;
  readonly #maxInflight: number;
  readonly #maxBodyBytes: number;
  readonly #logger: Logger;
  #inflight = 0;
  #nextId = 0;
  #closed = false;
  #host = '';
  #port = 0;

  private constructor(options: MockEngineServerOptions) {
    this.engine = options.engine ?? new MockEngine(options.engineOptions);
    this.#ownsEngine = options.engine === undefined;
    this.#maxInflight = options.maxConcurrentRequests ?? Number.POSITIVE_INFINITY;
    if (!(this.#maxInflight >= 1))
      throw new EngineConfigError('maxConcurrentRequests', this.#maxInflight, 'must be at least 1');
    this.#maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.#logger = options.logger ?? new JsonLogger(undefined, undefined, 'dynametrics.mock_server');
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#logger.log('error', 'mock server request failed', { error, path: req.url });
        if (!res.headersSent) this.#sendError(res, 500, 'Internal server error');
        else res.destroy();
      });
    });
  }

  /** Starts a server and resolves once it listens. */
  static async start(options: MockEngineServerOptions = {}): Promise<MockEngineServer> {
    const server = new MockEngineServer(options);
    try {
      const address = await listen(server.#server, options.port ?? 0, options.host ?? '127.0.0.1');
      server.#host = address.address;
      server.#port = address.port;
    } catch (error) {
      if (server.#ownsEngine) await server.engine.close();
      throw error;
    }
    return server;
  }

  /** The address it listens on. */
  get host(): string {
    return this.#host;
  }

  /** The port it listens on (the ephemeral one it got, when asked for port 0). */
  get port(): number {
    return this.#port;
  }

  /** `http://host:port`, the base URL clients append `/v1/...` to. */
  get url(): string {
    return serverUrl(this.host, this.port);
  }

  /** Generations being served. */
  get inflight(): number {
    return this.#inflight;
  }

  /** Stops accepting, drops connections (aborting their generations) and closes an engine it built. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await closeServer(this.#server);
    if (this.#ownsEngine) await this.engine.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = ROUTES[path];
    if (route === undefined) return this.#sendError(res, 404, `Route ${path} not found`, null, null);
    if (req.method !== route.method) {
      res.setHeader('Allow', route.method);
      return this.#sendError(res, 405, `Method ${req.method} not allowed on ${path}`, null, null);
    }
    if (path === '/health') {
      res.writeHead(this.#closed ? 503 : 200, { 'Content-Length': 0 });
      res.end();
      return;
    }
    if (path === '/metrics') {
      const registry = this.engine.metricsSource;
      const text = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (path === '/v1/models') return this.#sendJson(res, 200, this.#models());
    await this.#generate(req, res, route.kind!);
  }

  #models(): unknown {
    const card = this.engine.modelCard;
    return {
      object: 'list',
      data: [
        {
          id: card.name,
          object: 'model',
          created: Math.floor(Date.now() / 1000),
          owned_by: 'dynametrics',
          root: card.name,
          parent: null,
          max_model_len: card.contextLength,
        },
      ],
    };
  }

  async #generate(req: IncomingMessage, res: ServerResponse, kind: OpenAIEndpointKind): Promise<void> {
    let parsed: ParsedOpenAIRequest;
    let request: GenerateRequest;
    try {
      parsed = parseOpenAIRequest(kind, await this.#readJson(req), this.engine.modelCard.name);
      request = toGenerateRequest(parsed, resolveMaxTokens(parsed, this.engine.modelCard.contextLength));
    } catch (error) {
      return this.#sendEngineError(res, error);
    }
    if (parsed.model !== this.engine.modelCard.name) {
      const message = `The model \`${parsed.model}\` does not exist.`;
      return this.#sendError(res, 404, message, 'model', 'model_not_found');
    }
    if (this.#inflight >= this.#maxInflight) {
      const message = `Too many requests: ${this.#inflight} generations in flight (limit ${this.#maxInflight}).`;
      return this.#sendError(res, 429, message, null, 'rate_limit_exceeded');
    }
    this.#inflight++;
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort(new EngineError('client disconnected', 499));
    };
    res.on('close', onClose);
    const prefix = kind === 'chat_completions' ? 'chatcmpl' : 'cmpl';
    const builder = new OpenAIResponseBuilder(kind, {
      id: `${prefix}-mock${(this.#nextId++).toString(16).padStart(8, '0')}`,
      created: Math.floor(Date.now() / 1000),
      model: this.engine.modelCard.name,
    });
    const iterator = this.engine.generate(request, controller.signal)[Symbol.asyncIterator]();
    try {
      let first: IteratorResult<GenerateChunk>;
      try {
        first = await iterator.next();
      } catch (error) {
        return this.#sendEngineError(res, error);
      }
      if (controller.signal.aborted) return;
      if (parsed.stream) await this.#stream(res, parsed, builder, first, iterator);
      else await this.#unary(res, builder, first, iterator);
    } finally {
      this.#inflight--;
      res.off('close', onClose);
      await iterator.return?.(undefined);
    }
  }

  async #stream(
    res: ServerResponse,
    parsed: ParsedOpenAIRequest,
    builder: OpenAIResponseBuilder,
    first: IteratorResult<GenerateChunk>,
    rest: AsyncIterator<GenerateChunk>,
  ): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
    const role = builder.roleChunk();
    if (role !== undefined) await write(res, sseData(role));
    let last: GenerateChunk | undefined;
    let cachedTokens = 0;
    try {
      for (let r = first; !r.done; r = await rest.next()) {
        const c = r.value;
        last = c;
        if (c.cachedTokens !== undefined) cachedTokens = c.cachedTokens;
        if (c.finishReason === 'cancelled') return;
        if (c.tokens === 0 && c.text === '' && c.finishReason === undefined) continue;
        const usage = parsed.continuousUsage
          ? usageOf(c.inputTokens, c.outputTokens, cachedTokens)
          : undefined;
        if (!(await write(res, sseData(builder.chunk(c.text, c.finishReason, usage))))) return;
      }
    } catch (error) {
      const status = error instanceof EngineError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      await write(res, sseData(errorBody(status, message)));
      await write(res, SSE_DONE);
      res.end();
      return;
    }
    if (parsed.includeUsage && last !== undefined)
      await write(
        res,
        sseData(builder.usageChunk(usageOf(last.inputTokens, last.outputTokens, cachedTokens))),
      );
    await write(res, SSE_DONE);
    res.end();
  }

  async #unary(
    res: ServerResponse,
    builder: OpenAIResponseBuilder,
    first: IteratorResult<GenerateChunk>,
    rest: AsyncIterator<GenerateChunk>,
  ): Promise<void> {
    let text = '';
    let last: GenerateChunk | undefined;
    let cachedTokens = 0;
    try {
      for (let r = first; !r.done; r = await rest.next()) {
        last = r.value;
        text += r.value.text;
        if (r.value.cachedTokens !== undefined) cachedTokens = r.value.cachedTokens;
      }
    } catch (error) {
      return this.#sendEngineError(res, error);
    }
    const finish: FinishReason = last?.finishReason ?? 'stop';
    if (finish === 'cancelled' || last === undefined) return;
    const usage = usageOf(last.inputTokens, last.outputTokens, cachedTokens);
    this.#sendJson(res, 200, builder.unary(text, finish, usage));
  }

  #readJson(req: IncomingMessage): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.#maxBodyBytes) {
          reject(new OpenAIRequestError(`Request body over ${this.#maxBodyBytes} bytes.`, null, 413));
          req.resume();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(new OpenAIRequestError(`Invalid JSON body: ${(error as Error).message}`));
        }
      });
      req.on('error', reject);
    });
  }

  #sendEngineError(res: ServerResponse, error: unknown): void {
    if (error instanceof EngineError) {
      const param = error instanceof OpenAIRequestError ? error.param : null;
      this.#logger.log('debug', 'mock server request refused', { status: error.status, error });
      this.#sendError(res, error.status, error.message, param);
      return;
    }
    throw error;
  }

  #sendError(
    res: ServerResponse,
    status: number,
    message: string,
    param: string | null = null,
    code: string | number | null = status,
  ): void {
    if (res.headersSent || res.destroyed) return;
    this.#sendJson(res, status, errorBody(status, message, param, code));
  }

  #sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}

/** Writes, waiting for the socket to drain when it is full; `false` if the client went away. */
function write(res: ServerResponse, data: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (res.write(data)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
