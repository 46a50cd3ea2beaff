/**
 * Reading `/v1/completions` and `/v1/chat/completions` request bodies, for every server here that speaks
 * OpenAI (the frontend and the mock engine): anything that cannot be honoured is refused with a 400 naming
 * the parameter (501 for features not implemented), rather than silently ignored, in vLLM's words where
 * vLLM has them.
 */
import { countTokens } from '../engines/tokenizer.js';
import type { GenerateRequest } from '../engines/types.js';
import { type ChatMessage, OpenAIRequestError, renderChatPrompt } from './protocol.js';

export type OpenAIEndpointKind = 'completions' | 'chat_completions';

export interface ParsedOpenAIRequest {
  readonly kind: OpenAIEndpointKind;
  readonly model: string;
  readonly stream: boolean;
  /** `stream_options.include_usage`: a last chunk with `usage` and no choices. */
  readonly includeUsage: boolean;
  /** `stream_options.continuous_usage_stats` (vLLM): `usage` on every chunk. */
  readonly continuousUsage: boolean;
  /** `max_tokens` / `max_completion_tokens` as asked; see {@link resolveMaxTokens} for the default. */
  readonly maxTokens: number | undefined;
  /** The prompt the engine reads (for chat, the rendered conversation). */
  readonly prompt: string;
  readonly messages?: readonly ChatMessage[];
  readonly temperature?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
}

/** OpenAI's default `max_tokens` for legacy completions. */
export const DEFAULT_COMPLETION_MAX_TOKENS = 16;

/** Roles OpenAI's chat API knows. */
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function optional<T>(
  body: Body,
  key: string,
  check: (v: unknown) => v is T,
  expected: string,
): T | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!check(v)) throw new OpenAIRequestError(`'${key}' must be ${expected}.`, key);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const between =
  (min: number, max: number) =>
  (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);

function promptOf(body: Body): string {
  const p = body.prompt;
  if (typeof p === 'string') return p;
  if (Array.isArray(p) && p.length === 1 && typeof p[0] === 'string') return p[0];
  if (Array.isArray(p) && p.length > 1 && p.every(isString)) {
    throw new OpenAIRequestError('Only one prompt per request is supported.', 'prompt', 501);
  }
  if (p === undefined) throw new OpenAIRequestError("'prompt' is required.", 'prompt');
  throw new OpenAIRequestError("'prompt' must be a string (token-id prompts are not supported).", 'prompt');
}

function contentOf(content: unknown, i: number): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw new OpenAIRequestError(
          `messages[${i}].content: only text parts are supported.`,
          'messages',
          501,
        );
      })
      .join('');
  }
  throw new OpenAIRequestError(
    `messages[${i}].content must be a string or a list of text parts.`,
    'messages',
  );
}

function messagesOf(body: Body): ChatMessage[] {
  const m = body.messages;
  if (!Array.isArray(m) || m.length === 0)
    throw new OpenAIRequestError("'messages' must be a non-empty list.", 'messages');
  return m.map((msg, i) => {
    if (!isObject(msg) || typeof msg.role !== 'string') {
      throw new OpenAIRequestError(`messages[${i}] must be an object with a string 'role'.`, 'messages');
    }
    if (!ROLES.has(msg.role)) {
      throw new OpenAIRequestError(
        `messages[${i}].role must be one of ${[...ROLES].join(', ')}.`,
        'messages',
      );
    }
    return { role: msg.role, content: contentOf(msg.content, i) };
  });
}

function stopOf(body: Body): string[] | undefined {
  const s = body.stop;
  if (s === undefined || s === null) return undefined;
  const list = typeof s === 'string' ? [s] : Array.isArray(s) && s.every(isString) ? s : undefined;
  if (list === undefined || list.length > 4)
    throw new OpenAIRequestError("'stop' must be a string or a list of up to 4 strings.", 'stop');
  return list;
}

/**
 * Parses a request body. `defaultModel` fills a missing `model` (a server with one model may allow that);
 * without it, `model` is required.
 */
export function parseOpenAIRequest(
  kind: OpenAIEndpointKind,
  raw: unknown,
  defaultModel?: string,
): ParsedOpenAIRequest {
  if (!isObject(raw)) throw new OpenAIRequestError('The request body must be a JSON object.');
  const body = raw;
  const model = optional(body, 'model', isString, 'a string') ?? defaultModel;
  if (model === undefined || model.trim() === '')
    throw new OpenAIRequestError("'model' must be a non-empty string.", 'model');
  const n = optional(body, 'n', isInteger, 'an integer');
  if (n !== undefined && n !== 1) throw new OpenAIRequestError('Only n=1 is supported.', 'n', 501);
  const stream = optional(body, 'stream', isBoolean, 'a boolean') ?? false;
  const options = optional(body, 'stream_options', isObject, 'an object');
  if (options !== undefined && !stream) {
    throw new OpenAIRequestError('Stream options can only be defined when `stream=True`.', 'stream_options');
  }
  if (options?.include_usage !== undefined && !isBoolean(options.include_usage)) {
    throw new OpenAIRequestError("'stream_options.include_usage' must be a boolean.", 'stream_options');
  }
  const temperature = optional(body, 'temperature', between(0, 2), 'a number between 0 and 2');
  optional(body, 'top_p', between(0, 1), 'a number between 0 and 1');
  const seed = optional(body, 'seed', isInteger, 'an integer');
  const maxKey =
    body.max_completion_tokens !== undefined && body.max_completion_tokens !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const maxTokens = optional(body, maxKey, isInteger, 'an integer');
  if (maxTokens !== undefined && maxTokens < 1)
    throw new OpenAIRequestError(`'${maxKey}' must be at least 1.`, maxKey);
  const stop = stopOf(body);
  const messages = kind === 'chat_completions' ? messagesOf(body) : undefined;
  return {
    kind,
    model,
    stream,
    includeUsage: options?.include_usage === true,
    continuousUsage: options?.continuous_usage_stats === true,
    maxTokens,
    prompt: messages === undefined ? promptOf(body) : renderChatPrompt(messages),
    ...(messages === undefined ? {} : { messages }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(seed === undefined ? {} : { seed }),
    ...(stop === undefined ? {} : { stop }),
  };
}

/**
 * The token budget of a request: what it asked for, else OpenAI's defaults (16 for completions, the rest
 * of the context for chat). Asking for more than the context length is a 400.
 */
export function resolveMaxTokens(r: ParsedOpenAIRequest, contextLength: number): number {
  if (r.maxTokens !== undefined) {
    if (r.maxTokens > contextLength) {
      throw new OpenAIRequestError(
        `This model's maximum context length is ${contextLength} tokens. However, you requested ${r.maxTokens} tokens for the completion.`,
        'max_tokens',
      );
    }
    return r.maxTokens;
  }
  return r.kind === 'chat_completions'
    ? Math.max(1, contextLength - countTokens(r.prompt))
    : DEFAULT_COMPLETION_MAX_TOKENS;
}

/** The worker request for a parsed request and its token budget. */
export function toGenerateRequest(r: ParsedOpenAIRequest, maxTokens: number): GenerateRequest {
  return {
    model: r.model,
    prompt: r.prompt,
    maxTokens,
    kind: r.kind,
    ...(r.temperature === undefined ? {} : { temperature: r.temperature }),
    ...(r.seed === undefined ? {} : { seed: r.seed }),
    ...(r.stop === undefined ? {} : { stop: r.stop }),
    ...(r.messages === undefined ? {} : { messages: r.messages }),
  };
}
