/**
 * HTTP for the upstream engine, on `node:http`/`node:https` with an agent the engine owns (so `close()`
 * can drop its sockets, which a global `fetch` pool would not allow). One timer covers connecting, the
 * response headers and the first body byte; an optional idle timer covers the gaps between later reads.
 * Every failure becomes an {@link EngineError} with a status: the upstream's own for HTTP errors, 502 when
 * it cannot be reached or breaks the connection, 504 for timeouts. Aborting `signal` destroys the request
 * and ends the body quietly, with {@link UpstreamAbortedError}.
 */
import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { EngineError } from './types.js';
import { upstreamErrorOf } from './upstream-accounting.js';

export interface UpstreamRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly agent?: HttpAgent | HttpsAgent;
  /** From sending the request to the first body byte (or the end of an empty body). */
  readonly firstByteTimeoutMs: number;
  /** Longest silence between two reads after the first; 0 or absent: no limit. */
  readonly idleTimeoutMs?: number;
  /** Error bodies are read up to this many bytes for their message (default 64 KiB). */
  readonly maxErrorBodyBytes?: number;
}

/** The caller aborted; not an engine failure. */
export class UpstreamAbortedError extends Error {
  override name = 'UpstreamAbortedError';
}

export interface UpstreamResponse {
  readonly status: number;
  readonly contentType: string;
  /** The body, read by read; throws {@link EngineError} (or {@link UpstreamAbortedError}) on failure. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Sends the request; resolves once a successful response's headers arrived, rejects with an
 * {@link EngineError} for an HTTP error status (message from the body), a network failure or a timeout.
 */
export async function sendUpstream(r: UpstreamRequest): Promise<UpstreamResponse> {
  if (r.signal.aborted) throw new UpstreamAbortedError('aborted before sending');
  const where = `${r.method} ${r.url.href}`;
  const send = r.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(r.url, {
    method: r.method,
    headers: {
      accept: 'text/event-stream, application/json',
      'accept-encoding': 'identity',
      ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...r.headers,
    },
    agent: r.agent,
  });
  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
    req.destroy(failure);
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(
    () => fail(new EngineError(`upstream ${where} sent nothing within ${r.firstByteTimeoutMs} ms`, 504)),
    r.firstByteTimeoutMs,
  );
  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const arm = (ms: number, why: string): void => {
    clear();
    timer = setTimeout(() => fail(new EngineError(`upstream ${where} ${why}`, 504)), ms);
  };
  const onAbort = (): void => fail(new UpstreamAbortedError('aborted'));
  r.signal.addEventListener('abort', onAbort, { once: true });
  const cleanup = (): void => {
    clear();
    r.signal.removeEventListener('abort', onAbort);
  };
  const mapError = (error: unknown): Error => {
    const e = failure ?? error;
    if (e instanceof EngineError || e instanceof UpstreamAbortedError) return e;
    const code = (e as NodeJS.ErrnoException).code;
    return new EngineError(`upstream ${where} failed: ${code ?? (e as Error).message}`, 502);
  };

  let res: IncomingMessage;
  try {
    res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
      req.end(r.body);
    });
  } catch (error) {
    cleanup();
    throw mapError(error);
  }
  const status = res.statusCode ?? 0;
  const contentType = String(res.headers['content-type'] ?? '');
  if (status >= 400 || status < 200) {
    let text = '';
    try {
      text = await readBounded(res, r.maxErrorBodyBytes ?? 65536);
    } catch (error) {
      cleanup();
      throw mapError(error);
    }
    cleanup();
    req.destroy();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const fromBody = upstreamErrorOf(parsed, status);
    const message = fromBody?.message ?? (text.trim().slice(0, 500) || res.statusMessage || 'no body');
    throw new EngineError(`upstream ${where} returned ${status}: ${message}`, status);
  }
  const idle = r.idleTimeoutMs ?? 0;
  async function* body(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of res) {
        if (idle > 0) arm(idle, `was silent for over ${idle} ms`);
        else clear();
        yield chunk as Buffer;
      }
      if (failure) throw failure;
    } catch (error) {
      throw mapError(error);
    } finally {
      cleanup();
      if (!res.complete) req.destroy();
    }
  }
  return { status, contentType, body: body() };
}

/** Reads at most `max` bytes of a body as UTF-8 (the rest is discarded). */
async function readBounded(res: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const b = chunk as Buffer;
    if (size < max) chunks.push(b.subarray(0, max - size));
    size += b.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
