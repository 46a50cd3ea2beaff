/**
 * OpenAI response bodies: streaming chunks (`chat.completion.chunk`, `text_completion`), the final usage
 * chunk of `stream_options.include_usage`, and unary responses, with `usage.prompt_tokens_details.cached_tokens`.
 */
import type { FinishReason } from '../../engines/types.js';
import type { CompletionEndpoint } from './request.js';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number };
}

export function usage(promptTokens: number, completionTokens: number, cachedTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens },
  };
}

/** OpenAI's finish reasons; a cancelled or failed generation has none to report. */
function finish(reason: FinishReason | undefined): string | null {
  return reason === 'stop' || reason === 'length' ? reason : null;
}

export class ResponseBuilder {
  readonly created = Math.floor(Date.now() / 1000);

  constructor(
    readonly endpoint: CompletionEndpoint,
    readonly id: string,
    readonly model: string,
  ) {}

  get object(): string {
    return this.endpoint === 'chat_completions' ? 'chat.completion.chunk' : 'text_completion';
  }

  /** A streaming chunk with `text`; the first chat chunk also carries the assistant role. */
  chunk(text: string, first: boolean, reason?: FinishReason): unknown {
    const choice =
      this.endpoint === 'chat_completions'
        ? {
            index: 0,
            delta: first ? { role: 'assistant', content: text } : { content: text },
            logprobs: null,
            finish_reason: finish(reason),
          }
        : { index: 0, text, logprobs: null, finish_reason: finish(reason) };
    return { id: this.id, object: this.object, created: this.created, model: this.model, choices: [choice] };
  }

  /** The extra last chunk of `include_usage`: no choices, just usage. */
  usageChunk(u: Usage): unknown {
    return {
      id: this.id,
      object: this.object,
      created: this.created,
      model: this.model,
      choices: [],
      usage: u,
    };
  }

  /** A whole (non-streaming) response. */
  unary(text: string, reason: FinishReason | undefined, u: Usage): unknown {
    const chat = this.endpoint === 'chat_completions';
    return {
      id: this.id,
      object: chat ? 'chat.completion' : 'text_completion',
      created: this.created,
      model: this.model,
      choices: [
        chat
          ? {
              index: 0,
              message: { role: 'assistant', content: text },
              logprobs: null,
              finish_reason: finish(reason),
            }
          : { index: 0, text, logprobs: null, finish_reason: finish(reason) },
      ],
      usage: u,
    };
  }
}
