/**
 * Turns the JSON events of an OpenAI-compatible stream into {@link GenerateChunk}s with token accounting.
 *
 * Tokens per chunk are taken from what the server reports, best source first: the cumulative
 * `usage.completion_tokens` of vLLM's `continuous_usage_stats`; the length of the chunk's logprobs
 * (`logprobs.tokens` for completions, `logprobs.content` for chat); otherwise one token per non-empty
 * delta (vLLM and SGLang send one token per delta when they can). Reasoning deltas (`reasoning_content`,
 * `reasoning`) count as tokens but are not part of `text`.
 *
 * Prompt length and cached tokens are exact only once the server says them, usually in the final `usage`
 * chunk: until then `inputTokens` is the caller's estimate, and `cachedTokens` is set on the first
 * token-bearing chunk only when the server reported it that early. The last chunk (no text; `tokens` is
 * whatever the reported total adds to the running count) always carries the exact totals and the finish
 * reason, so consumers should take token totals from it.
 */
import { fromOpenAIFinishReason } from '../openai/protocol.js';
import { EngineError, type FinishReason, type GenerateChunk } from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** Message and status of an error event or error body in any of the shapes servers use. */
export function upstreamErrorOf(body: unknown, fallbackStatus: number): EngineError | undefined {
  if (!isObject(body)) return undefined;
  const inner = isObject(body.error) ? body.error : body.object === 'error' ? body : undefined;
  let message: unknown;
  let code: unknown;
  if (inner !== undefined) {
    message = inner.message;
    code = inner.code;
  } else if (typeof body.error === 'string') message = body.error;
  else if (typeof body.detail === 'string') message = body.detail;
  else return undefined;
  const status =
    typeof code === 'number' && code >= 400 && code <= 599
      ? code
      : typeof code === 'string' && /^[45]\d\d$/.test(code)
        ? Number(code)
        : fallbackStatus;
  return new EngineError(typeof message === 'string' ? message : JSON.stringify(body), status);
}

export class UpstreamAccounting {
  #counted = 0;
  #inputTokens: number | undefined;
  #outputTokens: number | undefined;
  #cachedTokens: number | undefined;
  #finish: FinishReason | undefined;
  #sentFirst = false;

  constructor(
    readonly kind: 'completions' | 'chat_completions',
    /** Prompt tokens to report until the server says (e.g. from a local tokenizer). */
    readonly estimatedInputTokens: number,
  ) {}

  /** The finish reason the server sent, if it did. */
  get finishReason(): FinishReason | undefined {
    return this.#finish;
  }

  /**
   * Takes one parsed event; returns the chunk to emit for it, if any. Throws {@link EngineError} for an
   * error event.
   */
  onEvent(event: unknown): GenerateChunk | undefined {
    const error = upstreamErrorOf(event, 500);
    if (error !== undefined) throw error;
    if (!isObject(event)) return undefined;
    const usage = isObject(event.usage) ? event.usage : undefined;
    const reportedTotal = usage ? count(usage.completion_tokens) : undefined;
    if (usage) this.#takeUsage(usage);
    const choice = Array.isArray(event.choices) && isObject(event.choices[0]) ? event.choices[0] : undefined;
    if (choice === undefined) return undefined;
    const finish = fromOpenAIFinishReason(choice.finish_reason);
    if (finish !== undefined) this.#finish = finish;

    let text = '';
    let reasoning = '';
    if (this.kind === 'chat_completions') {
      const delta = isObject(choice.delta) ? choice.delta : isObject(choice.message) ? choice.message : {};
      if (typeof delta.content === 'string') text = delta.content;
      if (typeof delta.reasoning_content === 'string') reasoning = delta.reasoning_content;
      else if (typeof delta.reasoning === 'string') reasoning = delta.reasoning;
    } else if (typeof choice.text === 'string') text = choice.text;

    let tokens: number;
    if (reportedTotal !== undefined) tokens = Math.max(0, reportedTotal - this.#counted);
    else {
      const fromLogprobs = logprobTokens(choice.logprobs);
      tokens = fromLogprobs ?? (text !== '' || reasoning !== '' ? 1 : 0);
    }
    if (tokens === 0 && text === '') return undefined;
    this.#counted += tokens;
    const first = tokens > 0 && !this.#sentFirst;
    if (first) this.#sentFirst = true;
    return {
      text,
      tokens,
      outputTokens: this.#counted,
      inputTokens: this.#inputTokens ?? this.estimatedInputTokens,
      ...(first && this.#cachedTokens !== undefined ? { cachedTokens: this.#cachedTokens } : {}),
    };
  }

  /**
   * The last chunk, once the stream ended: exact totals when the server reported them, the finish reason
   * (`stop` when the server ended the stream properly without one). `ended` says whether `[DONE]` came.
   */
  final(ended: boolean): GenerateChunk {
    const finish = this.#finish ?? (ended ? 'stop' : undefined);
    if (finish === undefined) throw new EngineError('the upstream stream ended before a finish reason', 502);
    const total = this.#outputTokens ?? this.#counted;
    const extra = Math.max(0, total - this.#counted);
    this.#counted += extra;
    return {
      text: '',
      tokens: extra,
      outputTokens: total,
      inputTokens: this.#inputTokens ?? this.estimatedInputTokens,
      ...(this.#cachedTokens !== undefined ? { cachedTokens: this.#cachedTokens } : {}),
      finishReason: finish,
    };
  }

  /** The chunk to emit when the caller cancelled. */
  cancelled(): GenerateChunk {
    return {
      text: '',
      tokens: 0,
      outputTokens: this.#counted,
      inputTokens: this.#inputTokens ?? this.estimatedInputTokens,
      finishReason: 'cancelled',
    };
  }

  #takeUsage(usage: Json): void {
    const prompt = count(usage.prompt_tokens);
    if (prompt !== undefined) this.#inputTokens = prompt;
    const completion = count(usage.completion_tokens);
    if (completion !== undefined) this.#outputTokens = completion;
    const details = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : undefined;
    const cached = details ? count(details.cached_tokens) : undefined;
    if (cached !== undefined) this.#cachedTokens = cached;
    else if (prompt !== undefined && this.#cachedTokens === undefined) this.#cachedTokens = 0;
  }
}

/** Tokens a chunk's logprobs list: `tokens` (completions) or `content` (chat); `undefined` if neither. */
function logprobTokens(logprobs: unknown): number | undefined {
  if (!isObject(logprobs)) return undefined;
  if (Array.isArray(logprobs.tokens)) return logprobs.tokens.length;
  if (Array.isArray(logprobs.content)) return logprobs.content.length;
  return undefined;
}
