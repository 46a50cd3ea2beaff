/**
 * Running requests through an endpoint's handler, whatever transport brought them. The handler is an
 * async generator from (request, context) to response chunks; this class decodes the message, feeds the
 * chunks to the transport as frames, and keeps the work-handler metrics exact on every path: a handler
 * that throws, a chunk that cannot be serialized, a caller that disconnects (the handler's signal aborts
 * and its generator is closed), a worker that shuts down, a transport that fails mid-stream.
 */
import type { Endpoint } from '../runtime/endpoint.js';
import type { Logger } from '../util/logger.js';
import {
  COMPLETE_FRAME,
  type ControlHeader,
  decodeRequest,
  encodeFrame,
  MessageError,
  type ResponseFrame,
  type WorkHandlerErrorKind,
} from './wire.js';
import { type RequestAccounting, WorkHandlerMetrics } from './work-handler-metrics.js';

export interface RequestContext {
  /** Aborts when the caller cancels or disconnects, or the worker shuts down. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  readonly endpoint: Endpoint;
}

/** Serves one endpoint: an async generator of response chunks per request. */
export type Handler<Req = unknown, Chunk = unknown> = (
  request: Req,
  context: RequestContext,
) => AsyncIterable<Chunk>;

export interface ServeOptions {
  /** Extra labels on the work-handler metrics, typically `model` and `model_name`. */
  readonly metricsLabels?: Readonly<Record<string, string>>;
}

/** What a transport offers the endpoint for one request. */
export interface Transport {
  /** Answers a message that could not be decoded (HTTP 400); resolves to the bytes sent. */
  reject(error: MessageError): Promise<number>;
  /** Sends one frame; rejects when the peer is gone or the transport failed. */
  send(frame: Uint8Array): Promise<void>;
}

/** Outcome of one request, for the transport and for tests. */
export type RequestOutcome = 'complete' | 'rejected' | 'failed' | 'cancelled';

const never = new Promise<never>(() => {});

function aborted(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
}

export class ServedEndpoint {
  readonly metrics: WorkHandlerMetrics;

  constructor(
    readonly endpoint: Endpoint,
    private readonly handler: Handler,
    options: ServeOptions = {},
    private readonly logger?: Logger,
  ) {
    this.metrics = new WorkHandlerMetrics(endpoint, options.metricsLabels);
  }

  /** Handles one request message; never throws. */
  async handle(message: Uint8Array, transport: Transport, signal: AbortSignal): Promise<RequestOutcome> {
    const account = this.metrics.begin(message.byteLength);
    try {
      let header: ControlHeader;
      let payload: unknown;
      try {
        ({ header, payload } = decodeRequest(message));
      } catch (e) {
        if (!(e instanceof MessageError)) throw e;
        account.error(e.kind);
        account.sent(await transport.reject(e).catch(() => 0));
        return 'rejected';
      }
      return await this.#stream(header, payload, transport, signal, account);
    } finally {
      account.end();
    }
  }

  async #stream(
    header: ControlHeader,
    payload: unknown,
    transport: Transport,
    signal: AbortSignal,
    account: RequestAccounting,
  ): Promise<RequestOutcome> {
    const send = async (frame: ResponseFrame, onFailure: WorkHandlerErrorKind): Promise<boolean> => {
      let bytes: Uint8Array;
      try {
        bytes = encodeFrame(frame);
      } catch (e) {
        account.error('serialization');
        this.logger?.log('warn', 'response chunk could not be serialized', {
          requestId: header.id,
          error: e,
        });
        await transport
          .send(
            encodeFrame({
              error: { type: 'serialization', message: 'response chunk could not be serialized' },
            }),
          )
          .catch(() => {});
        return false;
      }
      try {
        await transport.send(bytes);
        account.sent(bytes.byteLength);
        return true;
      } catch {
        // A failure because the caller went away is a cancellation, not a publishing error.
        if (signal.aborted) account.cancel();
        else account.error(onFailure);
        return false;
      }
    };
    const stop = signal.aborted ? Promise.reject(signal.reason) : aborted(signal);
    stop.catch(() => {});
    let iterator: AsyncIterator<unknown>;
    try {
      iterator = this.handler(payload, { signal, requestId: header.id, endpoint: this.endpoint })[
        Symbol.asyncIterator
      ]();
    } catch (e) {
      return this.#failed(e, header, send, account);
    }
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await Promise.race([iterator.next(), signal.aborted ? never : stop]);
        } catch (e) {
          if (signal.aborted) return this.#cancelled(signal, transport, account);
          return await this.#failed(e, header, send, account);
        }
        if (next.done) break;
        if (!(await send({ data: next.value }, 'publish_response')))
          return account.cancelled ? 'cancelled' : 'failed';
      }
      if (signal.aborted) return this.#cancelled(signal, transport, account);
      return (await send(COMPLETE_FRAME, 'publish_final'))
        ? 'complete'
        : account.cancelled
          ? 'cancelled'
          : 'failed';
    } finally {
      // Close the generator so its finally blocks run; a handler stuck in an await is left to finish alone.
      iterator.return?.().catch(() => {});
    }
  }

  /**
   * Ends a cancelled request. When the worker cancelled it (shutdown) the caller is still connected and is
   * told why; when the caller went away, the frame has nowhere to go and that is fine.
   */
  async #cancelled(
    signal: AbortSignal,
    transport: Transport,
    account: RequestAccounting,
  ): Promise<RequestOutcome> {
    account.cancel();
    const reason = signal.reason instanceof Error ? signal.reason.message : 'cancelled';
    const frame = encodeFrame({ error: { type: 'cancelled', message: reason } });
    await transport.send(frame).then(
      () => account.sent(frame.byteLength),
      () => {},
    );
    return 'cancelled';
  }

  async #failed(
    e: unknown,
    header: ControlHeader,
    send: (frame: ResponseFrame, onFailure: WorkHandlerErrorKind) => Promise<boolean>,
    account: RequestAccounting,
  ): Promise<RequestOutcome> {
    account.error('generate');
    const message = e instanceof Error ? e.message : String(e);
    this.logger?.log('warn', 'handler failed', {
      endpoint: this.endpoint.path,
      requestId: header.id,
      error: message,
    });
    const status = (e as { status?: unknown } | null)?.status;
    await send(
      { error: { type: 'generate', message, ...(typeof status === 'number' ? { status } : {}) } },
      'publish_final',
    );
    return 'failed';
  }
}
