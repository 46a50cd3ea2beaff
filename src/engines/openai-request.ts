/**
 * Reads an OpenAI `/v1/completions` or `/v1/chat/completions` request body into a {@link GenerateRequest},
 * rejecting what the mock cannot honour with a 400 naming the parameter (as vLLM does), rather than
 * silently ignoring it.
 */
import { type ChatMessage, OpenAIRequestError, renderChatPrompt } from './openai-protocol.js';
import { countTokens } from './tokenizer.js';
import type { GenerateRequest } from './types.js';

export type OpenAIEndpointKind = 'completions' | 'chat_completions';

export interface ParsedOpenAIRequest {
  readonly request: GenerateRequest;
  readonly stream: boolean;
  /** `stream_options.include_usage`: a last chunk with `usage` and no choices. */
  readonly includeUsage: boolean;
  /** `stream_options.continuous_usage_stats` (vLLM): `usage` on every chunk. */
  readonly continuousUsage: boolean;
}

/** OpenAI's default `max_tokens` for legacy completions. */
export const DEFAULT_COMPLETION_MAX_TOKENS = 16;

type Body = Record<string, unknown>;

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
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function promptOf(body: Body): string {
  const p = body.prompt;
  if (typeof p === 'string') return p;
  if (Array.isArray(p) && p.length === 1 && typeof p[0] === 'string') return p[0];
  if (Array.isArray(p) && p.length > 1 && p.every(isString))
    throw new OpenAIRequestError('Only one prompt per request is supported.', 'prompt');
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
        throw new OpenAIRequestError(`messages[${i}].content: only text parts are supported.`, 'messages');
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
    if (!isObject(msg) || typeof msg.role !== 'string')
      throw new OpenAIRequestError(`messages[${i}] must be an object with a string 'role'.`, 'messages');
    return { role: msg.role, content: contentOf(msg.content, i) };
  });
}

function stopOf(body: Body): string[] | undefined {
  const s = body.stop;
  if (s === undefined || s === null) return undefined;
  if (typeof s === 'string') return [s];
  if (Array.isArray(s) && s.every(isString)) return s;
  throw new OpenAIRequestError("'stop' must be a string or a list of strings.", 'stop');
}

/**
 * Parses a request body. `servedModel` fills a missing `model`; `contextLength` bounds the chat default
 * for `max_tokens` (the rest of the context, as vLLM does).
 */
export function parseOpenAIRequest(
  kind: OpenAIEndpointKind,
  raw: unknown,
  servedModel: string,
  contextLength: number,
): ParsedOpenAIRequest {
  if (!isObject(raw)) throw new OpenAIRequestError('The request body must be a JSON object.');
  const body = raw;
  const model = optional(body, 'model', isString, 'a string') ?? servedModel;
  const n = optional(body, 'n', isInteger, 'an integer');
  if (n !== undefined && n !== 1) throw new OpenAIRequestError('Only n=1 is supported.', 'n');
  const stream = optional(body, 'stream', isBoolean, 'a boolean') ?? false;
  const options = optional(body, 'stream_options', isObject, 'an object');
  if (options !== undefined && !stream)
    throw new OpenAIRequestError('Stream options can only be defined when `stream=True`.', 'stream_options');
  const includeUsage = options?.include_usage === true;
  const continuousUsage = options?.continuous_usage_stats === true;
  const temperature = optional(body, 'temperature', isNumber, 'a number');
  const seed = optional(body, 'seed', isInteger, 'an integer');
  const stop = stopOf(body);

  let prompt: string;
  let messages: ChatMessage[] | undefined;
  let maxTokens: number | undefined;
  if (kind === 'chat_completions') {
    messages = messagesOf(body);
    prompt = renderChatPrompt(messages);
    maxTokens =
      optional(body, 'max_completion_tokens', isInteger, 'an integer') ??
      optional(body, 'max_tokens', isInteger, 'an integer') ??
      Math.max(1, contextLength - countTokens(prompt));
  } else {
    prompt = promptOf(body);
    maxTokens = optional(body, 'max_tokens', isInteger, 'an integer') ?? DEFAULT_COMPLETION_MAX_TOKENS;
  }
  if (maxTokens < 1) throw new OpenAIRequestError('max_tokens must be at least 1.', 'max_tokens');

  const request: GenerateRequest = {
    model,
    prompt,
    maxTokens,
    kind,
    ...(temperature !== undefined ? { temperature } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(stop !== undefined ? { stop } : {}),
    ...(messages !== undefined ? { messages } : {}),
  };
  return { request, stream, includeUsage, continuousUsage };
}
