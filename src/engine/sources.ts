/**
 * Where engine metrics come from, each read fresh on every scrape: a prom-client registry (an
 * `AggregatorRegistry` in cluster mode too), any function returning exposition text, an engine's HTTP
 * `/metrics` (vLLM, SGLang and TRT-LLM servers expose one), or a file (textfile-collector style). Every
 * failure is a {@link SourceError} with its cause: HTTP errors, timeouts, bytes that are not UTF-8, a body
 * over the size limit.
 */
import { open } from 'node:fs/promises';
import { DynametricsError, show } from '../core/errors.js';
import { type ExpositionSyntax, syntaxForContentType } from '../expfmt/parser.js';
import { SourceError } from '../runtime/combined-scrape.js';

/** The part of a prom-client `Registry` we use (15.x); duck-typed so prom-client is not a requirement. */
export interface PromClientRegistryLike {
  metrics(): Promise<string> | string;
  readonly contentType?: string;
}

/** The part of a prom-client `AggregatorRegistry` (cluster mode) we use. */
export interface AggregatorRegistryLike {
  clusterMetrics(): Promise<string>;
  readonly contentType?: string;
}

export type EngineSource =
  | PromClientRegistryLike
  | AggregatorRegistryLike
  | (() => string | Promise<string>)
  | URL
  | { readonly url: string | URL }
  | { readonly file: string };

/** One read of a source: the text and the syntax it announced (or that its content shows). */
export interface Exposition {
  readonly text: string;
  readonly syntax: ExpositionSyntax;
}

export interface ExpositionReader {
  /** For logs and self-metrics, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly description: string;
  read(): Promise<Exposition>;
}

export interface ReaderLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

/** What Prometheus 2.42 sends, so engines answer exactly as they would to it. */
const ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, where: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SourceError('invalid_utf8', `${where} returned bytes that are not valid UTF-8`);
  }
}

/** OpenMetrics text ends with `# EOF`; anything else is the text format. */
export function syntaxOfText(text: string): ExpositionSyntax {
  return /# EOF\s*$/.test(text.slice(-64)) ? 'openmetrics' : 'text';
}

function checkText(value: unknown, where: string, limits: ReaderLimits): string {
  if (typeof value !== 'string')
    throw new SourceError(
      'not_text',
      `${where} returned ${value === null ? 'null' : typeof value}, not text`,
    );
  if (value.length > limits.maxBytes) {
    throw new SourceError(
      'too_large',
      `${where} returned ${value.length} characters, over the limit of ${limits.maxBytes}`,
    );
  }
  return value;
}

class FunctionReader implements ExpositionReader {
  constructor(
    private readonly fn: () => unknown,
    readonly description: string,
    private readonly limits: ReaderLimits,
    private readonly syntax?: () => ExpositionSyntax,
  ) {}

  async read(): Promise<Exposition> {
    const text = checkText(await this.fn(), this.description, this.limits);
    return { text, syntax: this.syntax?.() ?? syntaxOfText(text) };
  }
}

/** Reads an HTTP `/metrics`; scrapes that arrive while a request is out share it. */
class HttpReader implements ExpositionReader {
  #inFlight: Promise<Exposition> | undefined;
  readonly description: string;

  constructor(
    private readonly url: URL,
    private readonly limits: ReaderLimits,
  ) {
    this.description = url.href;
  }

  read(): Promise<Exposition> {
    if (this.#inFlight === undefined) {
      const pending = this.#fetch().finally(() => {
        if (this.#inFlight === pending) this.#inFlight = undefined;
      });
      this.#inFlight = pending;
    }
    return this.#inFlight;
  }

  async #fetch(): Promise<Exposition> {
    const where = this.description;
    let response: Response;
    const signal = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      response = await fetch(this.url, {
        headers: { accept: ACCEPT, 'accept-encoding': 'gzip' },
        signal,
        redirect: 'error',
      });
    } catch (e) {
      if (signal.aborted)
        throw new SourceError('timeout', `${where} did not answer within ${this.limits.timeoutMs} ms`);
      throw new SourceError(
        'http_error',
        `${where} could not be fetched: ${(e as Error).cause ?? (e as Error).message}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceError('http_error', `${where} answered HTTP ${response.status} ${response.statusText}`);
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > this.limits.maxBytes) {
      await response.body?.cancel();
      throw new SourceError(
        'too_large',
        `${where} declared ${declared} bytes, over the limit of ${this.limits.maxBytes}`,
      );
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    // The abort does not always error a body that is still trickling in, so each read also races the
    // deadline itself; a read left pending would hold every later scrape of this source, which share it.
    const deadline = new Promise<never>((_, reject) => {
      const expire = () =>
        reject(new SourceError('timeout', `${where} did not finish within ${this.limits.timeoutMs} ms`));
      if (signal.aborted) expire();
      else signal.addEventListener('abort', expire, { once: true });
    });
    deadline.catch(() => {});
    try {
      while (reader !== undefined) {
        const { done, value } = await Promise.race([reader.read(), deadline]);
        if (done) break;
        size += value.byteLength;
        if (size > this.limits.maxBytes)
          throw new SourceError('too_large', `${where} sent more than ${this.limits.maxBytes} bytes`);
        chunks.push(value);
      }
    } catch (e) {
      // Cancelling closes the connection; it is not awaited, as a stuck body may never settle it.
      reader?.cancel().catch(() => {});
      if (e instanceof SourceError) throw e;
      if (signal.aborted)
        throw new SourceError('timeout', `${where} did not finish within ${this.limits.timeoutMs} ms`);
      throw new SourceError('http_error', `${where} broke off: ${(e as Error).message}`);
    }
    const text = decode(Buffer.concat(chunks), where);
    return { text, syntax: syntaxForContentType(response.headers.get('content-type') ?? undefined) };
  }
}

class FileReader implements ExpositionReader {
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly limits: ReaderLimits,
  ) {
    this.description = `file ${path}`;
  }

  async read(): Promise<Exposition> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.path, 'r');
      const { size } = await handle.stat();
      if (size > this.limits.maxBytes) {
        throw new SourceError(
          'too_large',
          `${this.description} holds ${size} bytes, over the limit of ${this.limits.maxBytes}`,
        );
      }
      const text = decode(await handle.readFile(), this.description);
      return { text, syntax: syntaxOfText(text) };
    } catch (e) {
      if (e instanceof SourceError) throw e;
      throw new SourceError('error', `${this.description} could not be read: ${(e as Error).message}`);
    } finally {
      await handle?.close();
    }
  }
}

/** Thrown at registration for something that is not a source. */
export class EngineSourceError extends DynametricsError {
  override name = 'EngineSourceError';
}

/** Turns a source into a reader, or throws {@link EngineSourceError} if it is not one. */
export function engineReader(source: EngineSource, limits: ReaderLimits): ExpositionReader {
  if (source instanceof URL) return httpReader(source, limits);
  if (typeof source === 'string') {
    if (/^https?:\/\//i.test(source)) return httpReader(new URL(source), limits);
    throw new EngineSourceError(
      `a string engine source must be an http(s) URL, got ${show(source)}; use { file } for a file`,
    );
  }
  if (typeof source === 'function')
    return new FunctionReader(source, `function ${source.name || '(anonymous)'}`, limits);
  if (source !== null && typeof source === 'object') {
    const s = source as Record<string, unknown>;
    // A prom-client registry says its format in `contentType` (read per scrape: it can be switched).
    const promClient = (read: () => unknown, what: string) =>
      new FunctionReader(read, what, limits, () => syntaxForContentType(s.contentType as string | undefined));
    if (typeof s.clusterMetrics === 'function')
      return promClient(
        () => (source as AggregatorRegistryLike).clusterMetrics(),
        'prom-client AggregatorRegistry',
      );
    if (typeof s.metrics === 'function')
      return promClient(() => (source as PromClientRegistryLike).metrics(), 'prom-client Registry');
    if (typeof s.url === 'string' || s.url instanceof URL)
      return httpReader(new URL(s.url as string | URL), limits);
    if (typeof s.file === 'string') return new FileReader(s.file, limits);
  }
  throw new EngineSourceError(
    `not an engine metrics source: ${show(source)}; expected a prom-client registry, a function returning text, a URL, { url } or { file }`,
  );
}

function httpReader(url: URL, limits: ReaderLimits): HttpReader {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EngineSourceError(`engine metrics URL must be http or https, got ${show(url.href)}`);
  }
  return new HttpReader(url, limits);
}
