/**
 * The caller side of the request plane. Over HTTP it reuses connections (a keep-alive agent), streams the
 * frames as they arrive, and cancels across the wire: aborting the signal, or stopping the iteration early,
 * closes the request, which aborts the handler on the worker. Locally served endpoints are called in
 * process through the same accounting. Every way a call can fail is a {@link RequestPlaneError}.
 */

import { randomUUID } from 'node:crypto';
import { Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import type { WorkerInstance } from './discovery/types.js';
import { RequestPlaneError } from './errors.js';
import { rpcPath } from './request-plane-server.js';
import type { ServedEndpoint, Transport } from './served-endpoint.js';
import { encodeRequest, FrameDecoder, type ResponseFrame } from './wire.js';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Defaults to a random UUID. */
  readonly requestId?: string;
}

/** Turns frames into chunks, or the error they announce; `done` once the final frame arrived. */
function chunkOf(frame: ResponseFrame): { chunk?: unknown; done: boolean } {
  if ('data' in frame) return { chunk: frame.data, done: false };
  if ('complete' in frame) return { done: true };
  const { type, message, status } = frame.error;
  if (type === 'cancelled')
    throw new RequestPlaneError('cancelled', `the worker cancelled the request: ${message}`, type);
  throw new RequestPlaneError('remote', `the worker's handler failed (${type}): ${message}`, type, status);
}

/** A small queue between a producer (frames) and an async iterator (the caller). */
class FrameQueue {
  readonly #frames: ResponseFrame[] = [];
  #end: { error?: unknown } | undefined;
  #wake: (() => void) | undefined;

  push(frame: ResponseFrame): void {
    this.#frames.push(frame);
    this.#wake?.();
  }

  finish(error?: unknown): void {
    this.#end ??= { error };
    this.#wake?.();
  }

  async *drain(): AsyncGenerator<ResponseFrame> {
    for (;;) {
      const frame = this.#frames.shift();
      if (frame !== undefined) {
        yield frame;
        continue;
      }
      if (this.#end !== undefined) {
        if (this.#end.error !== undefined) throw this.#end.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}

async function* readChunks(frames: AsyncIterable<ResponseFrame>, where: string): AsyncGenerator<unknown> {
  for await (const frame of frames) {
    const { chunk, done } = chunkOf(frame);
    if (done) return;
    yield chunk;
  }
  throw new RequestPlaneError(
    'truncated',
    `the stream from ${where} ended before its final frame (was the worker killed?)`,
  );
}

export class RequestPlaneClient {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 1000 });

  /** Streams the chunks of one request to an instance's endpoint over HTTP. */
  async *callHttp(
    instance: WorkerInstance,
    payload: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<unknown> {
    const url = new URL(rpcPath(instance.namespace, instance.component, instance.endpoint), instance.address);
    const body = encodeRequest({ id: options.requestId ?? randomUUID(), sentAtMs: Date.now() }, payload);
    const queue = new FrameQueue();
    const decoder = new FrameDecoder();
    let req: ClientRequest | undefined;
    let completed = false;
    const onAbort = () =>
      req?.destroy(new RequestPlaneError('cancelled', 'the caller cancelled the request'));
    options.signal?.throwIfAborted();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      req = request(url, {
        method: 'POST',
        agent: this.#agent,
        headers: { 'Content-Type': 'application/x-dynamo-request', 'Content-Length': body.byteLength },
      });
      req.on('error', (e) => {
        const connected = req?.reusedSocket === true || (req?.socket?.bytesRead ?? 0) > 0;
        queue.finish(
          e instanceof RequestPlaneError
            ? e
            : new RequestPlaneError(
                connected ? 'truncated' : 'unreachable',
                connected
                  ? `the connection to ${url.origin} broke mid-stream (was the worker killed?)`
                  : `${url.origin} is unreachable: ${e.message}`,
              ),
        );
      });
      req.on('response', (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => {
            let error: { type?: string; message?: string } = {};
            try {
              error =
                (JSON.parse(Buffer.concat(parts).toString('utf8')) as { error: typeof error }).error ?? {};
            } catch {}
            const kind =
              res.statusCode === 404
                ? 'not_found'
                : res.statusCode === 400 || res.statusCode === 413
                  ? 'rejected'
                  : 'remote';
            queue.finish(
              new RequestPlaneError(
                kind,
                `${url.href} answered ${res.statusCode}: ${error.message ?? 'no detail'}`,
                error.type,
              ),
            );
          });
          return;
        }
        res.on('data', (bytes: Buffer) => {
          try {
            for (const frame of decoder.push(bytes)) {
              if ('complete' in frame) completed = true;
              queue.push(frame);
            }
          } catch (e) {
            queue.finish(
              new RequestPlaneError(
                'truncated',
                `${url.origin} sent a malformed frame: ${(e as Error).message}`,
              ),
            );
            req?.destroy();
          }
        });
        res.on('end', () => queue.finish());
        res.on('aborted', () =>
          queue.finish(
            new RequestPlaneError('truncated', `the stream from ${url.origin} broke off mid-stream`),
          ),
        );
      });
      req.end(body);
      yield* readChunks(queue.drain(), url.origin);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      // Stopping early (break, throw, abort) closes the request: the worker sees the caller go and cancels.
      if (!completed) req?.destroy();
    }
  }

  /** Streams the chunks of one request to an endpoint served in this process, with the same accounting. */
  async *callLocal(
    served: ServedEndpoint,
    payload: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<unknown> {
    const message = encodeRequest({ id: options.requestId ?? randomUUID(), sentAtMs: Date.now() }, payload);
    const queue = new FrameQueue();
    const decoder = new FrameDecoder();
    const controller = new AbortController();
    const onAbort = () => controller.abort(new Error('the caller cancelled the request'));
    options.signal?.throwIfAborted();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const transport: Transport = {
      reject: async (e) => {
        queue.finish(new RequestPlaneError('rejected', e.message, e.kind));
        return 0;
      },
      send: async (frame) => {
        if (controller.signal.aborted) throw new Error('the caller is gone');
        for (const f of decoder.push(frame)) queue.push(f);
      },
    };
    const handled = served.handle(message, transport, controller.signal).finally(() => queue.finish());
    try {
      yield* readChunks(queue.drain(), 'a local endpoint');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!controller.signal.aborted) controller.abort(new Error('the caller stopped reading'));
      await handled;
    }
  }

  close(): void {
    this.#agent.destroy();
  }
}
