/**
 * Validation of `/v1/chat/completions` and `/v1/completions` bodies. Anything we cannot serve is refused
 * with the OpenAI error a client expects (400 for malformed input, 501 for features we do not implement),
 * before any worker is involved.
 */
import type { GenerateRequest } from '../../engines/types.js';
import { OpenAIError } from './errors.js';

export type CompletionEndpoint = 'chat_completions' | 'completions';

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

export interface CompletionRequest {
  readonly endpoint: CompletionEndpoint;
  readonly model: string;
  readonly stream: boolean;
  /** `stream_options.include_usage`: send a last chunk with usage. */
  readonly includeUsage: boolean;
  /** Requested; when absent, the model's context length decides. */
  readonly maxTokens: number | undefined;
  readonly temperature?: number;
  readonly seed?: number;
  readonly stop?: readonly string[];
  /** The prompt as the worker receives it (chat: the rendered conversation). */
  readonly prompt: string;
  readonly messages?: readonly ChatMessage[];
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** Largest `max_tokens` considered at all; the model's context length is checked once the model is known. */
const MAX_TOKENS_LIMIT = 10_000_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function optionalNumber(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw OpenAIError.invalid(
      `'${name}' must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`,
      name,
    );
  }
  return v;
}

function messageText(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part, j) => {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw OpenAIError.notImplemented(
          `messages[${index}].content[${j}]: only text content parts are supported`,
          `messages[${index}].content`,
        );
      })
      .join('');
  }
  throw OpenAIError.invalid(
    `messages[${index}].content must be a string or a list of text parts`,
    `messages[${index}].content`,
  );
}

/** Renders a conversation into the prompt a completion-style engine reads. */
export function renderChat(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('')}<|assistant|>\n`;
}

function parseMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw OpenAIError.invalid("'messages' must be a non-empty list", 'messages');
  return value.map((m, i) => {
    if (!isObject(m)) throw OpenAIError.invalid(`messages[${i}] must be an object`, `messages[${i}]`);
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) {
      throw OpenAIError.invalid(
        `messages[${i}].role must be one of ${[...ROLES].join(', ')}`,
        `messages[${i}].role`,
      );
    }
    return { role: m.role, content: messageText(m.content, i) };
  });
}

function parsePrompt(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  if (Array.isArray(value) && value.length > 1 && value.every((p) => typeof p === 'string')) {
    throw OpenAIError.notImplemented(
      'batched prompts are not supported; send one prompt per request',
      'prompt',
    );
  }
  if (Array.isArray(value) && value.every((p) => typeof p === 'number')) {
    throw OpenAIError.notImplemented('token-id prompts are not supported', 'prompt');
  }
  throw OpenAIError.invalid("'prompt' must be a string", 'prompt');
}

/** Parses and validates a request body (already decoded from JSON). */
export function parseCompletionRequest(endpoint: CompletionEndpoint, body: unknown): CompletionRequest {
  if (!isObject(body)) throw OpenAIError.invalid('the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model.trim() === '')
    throw OpenAIError.invalid("'model' must be a non-empty string", 'model');
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw OpenAIError.invalid("'stream' must be a boolean", 'stream');
  }
  const stream = body.stream === true;
  let includeUsage = false;
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (!stream)
      throw OpenAIError.invalid("'stream_options' is only allowed when 'stream' is true", 'stream_options');
    if (!isObject(body.stream_options))
      throw OpenAIError.invalid("'stream_options' must be an object", 'stream_options');
    const usage = body.stream_options.include_usage;
    if (usage !== undefined && typeof usage !== 'boolean') {
      throw OpenAIError.invalid(
        "'stream_options.include_usage' must be a boolean",
        'stream_options.include_usage',
      );
    }
    includeUsage = usage === true;
  }
  const n = optionalNumber(body, 'n', 1, 128);
  if (n !== undefined && n !== 1) throw OpenAIError.notImplemented("only 'n' = 1 is supported", 'n');
  const maxName =
    body.max_completion_tokens !== undefined && body.max_completion_tokens !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const maxTokens = optionalNumber(body, maxName, 1, MAX_TOKENS_LIMIT);
  if (maxTokens !== undefined && !Number.isInteger(maxTokens))
    throw OpenAIError.invalid(`'${maxName}' must be an integer`, maxName);
  const temperature = optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
  const seed = optionalNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (seed !== undefined && !Number.isInteger(seed))
    throw OpenAIError.invalid("'seed' must be an integer", 'seed');
  let stop: string[] | undefined;
  if (body.stop !== undefined && body.stop !== null) {
    stop =
      typeof body.stop === 'string'
        ? [body.stop]
        : Array.isArray(body.stop)
          ? (body.stop as unknown[]).map(String)
          : undefined;
    if (stop === undefined || stop.length > 4 || !(body.stop as unknown[] | string).length) {
      throw OpenAIError.invalid("'stop' must be a string or a list of up to 4 strings", 'stop');
    }
  }
  const common = {
    endpoint,
    model: body.model,
    stream,
    includeUsage,
    maxTokens,
    ...(temperature === undefined ? {} : { temperature }),
    ...(seed === undefined ? {} : { seed }),
    ...(stop === undefined ? {} : { stop }),
  };
  if (endpoint === 'chat_completions') {
    const messages = parseMessages(body.messages);
    return { ...common, prompt: renderChat(messages), messages };
  }
  if (body.prompt === undefined) throw OpenAIError.invalid("'prompt' is required", 'prompt');
  return { ...common, prompt: parsePrompt(body.prompt) };
}

/** The worker request for a validated completion request, with its final token budget. */
export function toGenerateRequest(r: CompletionRequest, maxTokens: number): GenerateRequest {
  return {
    model: r.model,
    prompt: r.prompt,
    maxTokens,
    kind: r.endpoint,
    ...(r.temperature === undefined ? {} : { temperature: r.temperature }),
    ...(r.seed === undefined ? {} : { seed: r.seed }),
    ...(r.stop === undefined ? {} : { stop: r.stop }),
    ...(r.messages === undefined ? {} : { messages: r.messages }),
  };
}
