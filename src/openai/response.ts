/**
 * Response bodies of the mock server, shaped like vLLM's: stream chunks (`text_completion` or
 * `chat.completion.chunk`, the finish reason on the chunk of the last token, a first chat chunk carrying
 * the assistant role), the usage-only last chunk of `stream_options.include_usage`, and unary responses.
 */

import type { FinishReason } from '../engines/types.js';
import { type OpenAIUsage, toOpenAIFinishReason } from './protocol.js';
import type { OpenAIEndpointKind } from './request.js';

export interface ResponseIdentity {
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  readonly model: string;
}

type Json = Record<string, unknown>;

/** Builds every body of one response, for one endpoint kind. */
export class OpenAIResponseBuilder {
  constructor(
    readonly kind: OpenAIEndpointKind,
    readonly identity: ResponseIdentity,
  ) {}

  #head(object: string): Json {
    const { id, created, model } = this.identity;
    return { id, object, created, model };
  }

  get #chunkObject(): string {
    return this.kind === 'chat_completions' ? 'chat.completion.chunk' : 'text_completion';
  }

  /** The first chat chunk: the assistant role and empty content (nothing for completions). */
  roleChunk(): Json | undefined {
    if (this.kind !== 'chat_completions') return undefined;
    return {
      ...this.#head(this.#chunkObject),
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    };
  }

  /** A chunk carrying `text`, and the finish reason when it is the last; `usage` for continuous stats. */
  chunk(text: string, finish: FinishReason | undefined, usage?: OpenAIUsage): Json {
    const finishReason = finish === undefined ? null : toOpenAIFinishReason(finish);
    const choice =
      this.kind === 'chat_completions'
        ? { index: 0, delta: { content: text }, logprobs: null, finish_reason: finishReason }
        : { index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null };
    return { ...this.#head(this.#chunkObject), choices: [choice], ...(usage ? { usage } : {}) };
  }

  /** The last chunk of `include_usage`: no choices, the totals. */
  usageChunk(usage: OpenAIUsage): Json {
    return { ...this.#head(this.#chunkObject), choices: [], usage };
  }

  /** A whole (non-streaming) response. */
  unary(text: string, finish: FinishReason, usage: OpenAIUsage): Json {
    const finishReason = toOpenAIFinishReason(finish);
    if (this.kind === 'chat_completions') {
      return {
        ...this.#head('chat.completion'),
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text },
            logprobs: null,
            finish_reason: finishReason,
            stop_reason: null,
          },
        ],
        usage,
      };
    }
    return {
      ...this.#head('text_completion'),
      choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null }],
      usage,
    };
  }
}

/** One SSE event carrying JSON. */
export function sseData(body: unknown): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}

/** The end-of-stream marker OpenAI sends. */
export const SSE_DONE = 'data: [DONE]\n\n';
