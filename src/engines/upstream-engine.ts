/**
 * An engine that fronts any OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama, or the mock
 * server): each `generate` streams from `/v1/completions` or `/v1/chat/completions` (per `request.kind`)
 * with `stream: true` and `stream_options.include_usage`, and turns the deltas into chunks (see
 * {@link UpstreamAccounting} for how tokens are counted). The server's own `/metrics` is the pass-through
 * source.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { readSse } from '../openai/sse.js';
import { EngineConfigError } from './errors.js';
import { countTokens } from './tokenizer.js';
import {
  type Engine,
  EngineError,
  type GenerateChunk,
  type GenerateRequest,
  type ModelCard,
} from './types.js';
import { UpstreamAccounting } from './upstream-accounting.js';
import { sendUpstream, UpstreamAbortedError, type UpstreamResponse } from './upstream-http.js';

export interface OpenAIUpstreamEngineOptions {
  /** The server, e.g. `http://127.0.0.1:8000` (a trailing `/v1` is accepted). */
  readonly baseUrl: string | URL;
  /** The served model name, as the server expects it in `model`. */
  readonly model: string;
  /** The rest of the model card (defaults: context 8192, block 16, 0 blocks, 256 seqs, 8192 batched). */
  readonly modelCard?: Partial<Omit<ModelCard, 'name'>>;
  /** Sent as `Authorization: Bearer ...`. */
  readonly apiKey?: string;
  readonly headers?: Record<string, string>;
  /** Connect + response headers + first body byte, ms (default 60000). */
  readonly firstByteTimeoutMs?: number;
  /** Longest silence between two stream reads after the first, ms (default 0: none). */
  readonly idleTimeoutMs?: number;
  /** Ask vLLM for `usage` on every chunk (`stream_options.continuous_usage_stats`); default false. */
  readonly continuousUsage?: boolean;
}

/** The `/v1` root of an OpenAI-compatible server, from its base URL with or without `/v1`. */
export function apiRoot(baseUrl: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new EngineConfigError('baseUrl', String(baseUrl), 'is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new EngineConfigError('baseUrl', url.href, 'must be an http or https URL');
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/v1') ? `${path}/` : `${path}/v1/`;
  url.search = '';
  url.hash = '';
  return url;
}

export class OpenAIUpstreamEngine implements Engine {
  readonly modelCard: ModelCard;
  /** The upstream's `/metrics`, for the engine metrics pass-through. */
  readonly metricsSource: URL;
  readonly root: URL;
  readonly #options: OpenAIUpstreamEngineOptions;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #closing = new AbortController();
  readonly #firstByteTimeoutMs: number;

  constructor(options: OpenAIUpstreamEngineOptions) {
    this.root = apiRoot(options.baseUrl);
    if (typeof options.model !== 'string' || options.model === '')
      throw new EngineConfigError('model', options.model, 'must be a non-empty string');
    this.#firstByteTimeoutMs = options.firstByteTimeoutMs ?? 60_000;
    if (!(this.#firstByteTimeoutMs > 0))
      throw new EngineConfigError('firstByteTimeoutMs', options.firstByteTimeoutMs, 'must be > 0');
    this.#options = options;
    this.metricsSource = new URL('/metrics', this.root);
    this.modelCard = Object.freeze({
      name: options.model,
      contextLength: 8192,
      kvCacheBlockSize: 16,
      migrationLimit: 0,
      totalKvBlocks: 0,
      maxNumSeqs: 256,
      maxNumBatchedTokens: 8192,
      ...options.modelCard,
    });
    this.#agent =
      this.root.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true })
        : new HttpAgent({ keepAlive: true });
  }

  /**
   * Builds an engine after asking the server's `/v1/models`: the model defaults to the first one listed,
   * and `max_model_len` (vLLM, SGLang) becomes the context length unless the options set one.
   */
  static async connect(
    options: Omit<OpenAIUpstreamEngineOptions, 'model'> & { readonly model?: string },
  ): Promise<OpenAIUpstreamEngine> {
    const probe = new OpenAIUpstreamEngine({ ...options, model: options.model ?? '?' });
    try {
      const models = await probe.listModels();
      const entry = options.model === undefined ? models[0] : models.find((m) => m.id === options.model);
      if (entry === undefined) {
        const what = options.model === undefined ? 'no model' : `no model ${JSON.stringify(options.model)}`;
        throw new EngineError(`upstream ${probe.root.href}models lists ${what}`, 404);
      }
      const contextLength = options.modelCard?.contextLength ?? entry.maxModelLen;
      return new OpenAIUpstreamEngine({
        ...options,
        model: entry.id,
        modelCard: { ...options.modelCard, ...(contextLength !== undefined ? { contextLength } : {}) },
      });
    } finally {
      await probe.close();
    }
  }

  /** The server's `/v1/models`: ids, and `max_model_len` where the server reports it. */
  async listModels(): Promise<{ id: string; maxModelLen?: number }[]> {
    const res = await this.#send('GET', 'models', undefined, this.#closing.signal);
    let text = '';
    for await (const chunk of res.body) text += chunk.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new EngineError(`upstream ${this.root.href}models did not return JSON`, 502);
    }
    const data = (body as { data?: unknown })?.data;
    if (!Array.isArray(data)) throw new EngineError(`upstream ${this.root.href}models has no data list`, 502);
    return data
      .filter((m): m is { id: string; max_model_len?: unknown } => typeof m?.id === 'string')
      .map((m) => ({
        id: m.id,
        ...(typeof m.max_model_len === 'number' ? { maxModelLen: m.max_model_len } : {}),
      }));
  }

  async *generate(request: GenerateRequest, signal: AbortSignal): AsyncGenerator<GenerateChunk> {
    if (this.#closing.signal.aborted) throw new EngineError('the upstream engine is closed', 503);
    const kind = request.kind ?? 'completions';
    const accounting = new UpstreamAccounting(kind, countTokens(request.prompt));
    const linked = AbortSignal.any([signal, this.#closing.signal]);
    let res: UpstreamResponse;
    try {
      res = await this.#send(
        'POST',
        kind === 'chat_completions' ? 'chat/completions' : 'completions',
        this.#body(request, kind),
        linked,
      );
    } catch (error) {
      if (error instanceof UpstreamAbortedError) {
        yield accounting.cancelled();
        return;
      }
      throw error;
    }
    let done = false;
    try {
      if (!res.contentType.includes('text/event-stream')) {
        // A server that ignored `stream: true` and answered with one JSON response.
        let text = '';
        for await (const chunk of res.body) text += chunk.toString('utf8');
        const chunk = accounting.onEvent(parseJson(text));
        if (chunk !== undefined) yield chunk;
        done = true;
      } else {
        for await (const event of readSse(res.body)) {
          if (event.data.trim() === '[DONE]') {
            done = true;
            break;
          }
          const chunk = accounting.onEvent(parseJson(event.data));
          if (chunk !== undefined) yield chunk;
        }
      }
    } catch (error) {
      if (error instanceof UpstreamAbortedError || linked.aborted) {
        yield accounting.cancelled();
        return;
      }
      throw error;
    }
    if (linked.aborted) {
      yield accounting.cancelled();
      return;
    }
    yield accounting.final(done);
  }

  /** Aborts running generations, refuses new ones and closes pooled sockets. Idempotent. */
  async close(): Promise<void> {
    this.#closing.abort(new EngineError('the upstream engine closed', 503));
    this.#agent.destroy();
  }

  #body(request: GenerateRequest, kind: 'completions' | 'chat_completions'): string {
    const body: Record<string, unknown> = {
      model: request.model || this.modelCard.name,
      max_tokens: request.maxTokens,
      stream: true,
      stream_options: {
        include_usage: true,
        ...(this.#options.continuousUsage ? { continuous_usage_stats: true } : {}),
      },
    };
    if (kind === 'chat_completions') {
      body.messages = request.messages ?? [{ role: 'user', content: request.prompt }];
    } else body.prompt = request.prompt;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
    return JSON.stringify(body);
  }

  #send(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal) {
    return sendUpstream({
      url: new URL(path, this.root),
      method,
      body,
      signal,
      agent: this.#agent,
      firstByteTimeoutMs: this.#firstByteTimeoutMs,
      idleTimeoutMs: this.#options.idleTimeoutMs,
      headers: {
        ...(this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {}),
        ...this.#options.headers,
      },
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new EngineError(`upstream sent an event that is not JSON: ${text.slice(0, 200)}`, 502);
  }
}
