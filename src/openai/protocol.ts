/**
 * The parts of the OpenAI HTTP protocol both sides here speak (the mock server answers it, the upstream
 * engine consumes it): usage objects, error bodies, finish reasons and the chat template of the mock.
 * Shapes follow the OpenAI API and what vLLM's OpenAI-compatible server sends.
 */
import { EngineError, type FinishReason } from '../engines/types.js';

/** `usage` of a completion; `prompt_tokens_details.cached_tokens` counts prefix-cache hits. */
export interface OpenAIUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details?: { readonly cached_tokens?: number } | null;
}

export function usageOf(promptTokens: number, completionTokens: number, cachedTokens: number): OpenAIUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

/** `{"error": {...}}`, the body of every error response. */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | number | null;
  };
}

/** The error `type` OpenAI uses for an HTTP status. */
export function errorTypeFor(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An error body for `status`; `code` defaults to the status, as vLLM sends it. */
export function errorBody(
  status: number,
  message: string,
  param: string | null = null,
  code: string | number | null = status,
): OpenAIErrorBody {
  return { error: { message, type: errorTypeFor(status), param, code } };
}

/** A request the OpenAI layer rejects, naming the offending parameter. */
export class OpenAIRequestError extends EngineError {
  override name = 'OpenAIRequestError';
  constructor(
    message: string,
    readonly param: string | null = null,
    status = 400,
  ) {
    super(message, status);
  }
}

/** A finish reason as OpenAI spells it (`cancelled` is vLLM's `abort`). */
export function toOpenAIFinishReason(reason: FinishReason): string {
  return reason === 'cancelled' ? 'abort' : reason;
}

/**
 * A finish reason from an OpenAI-compatible server, in our terms: `length` stays, `abort` is `cancelled`,
 * `error` is `error`, anything else that ends a generation (`stop`, `eos`, `tool_calls`,
 * `content_filter`, ...) is `stop`. `null`/absent is `undefined` (not finished).
 */
export function fromOpenAIFinishReason(reason: unknown): FinishReason | undefined {
  if (reason === null || reason === undefined || reason === '') return undefined;
  if (reason === 'length') return 'length';
  if (reason === 'abort' || reason === 'cancelled') return 'cancelled';
  if (reason === 'error') return 'error';
  return 'stop';
}

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

/**
 * The mock's chat template: each message as `<|role|>\n{content}\n`, then `<|assistant|>\n` to prompt the
 * answer. Any template would do; this one is stable, so equal conversations share cached prefixes.
 */
export function renderChatPrompt(messages: readonly ChatMessage[]): string {
  let prompt = '';
  for (const m of messages) prompt += `<|${m.role}|>\n${m.content}\n`;
  return `${prompt}<|assistant|>\n`;
}
