/**
 * The request plane's wire format, shared by the HTTP transport and the in-process one so both count the
 * same bytes. A request message has two parts, like upstream's: a control header (one JSON line: request
 * id, send time) and the payload (JSON). Responses are frames, one JSON line each: `{"data":...}` per
 * chunk, then `{"complete":true}`, or `{"error":{"type","message"}}` when the handler fails.
 */
import type { WorkHandlerErrorType } from '../names/component.js';

export interface ControlHeader {
  /** Request id, unique per request; echoed in logs. */
  readonly id: string;
  /** Sender's wall clock at send time, in ms since the epoch (for the network-transit histogram). */
  readonly sentAtMs?: number;
}

/** Error types a request can fail with on the worker (reference spec §6.1). */
export type WorkHandlerErrorKind = (typeof WorkHandlerErrorType)[keyof typeof WorkHandlerErrorType];

export type ResponseFrame =
  | { readonly data: unknown }
  | { readonly complete: true }
  | {
      readonly error: {
        readonly type: WorkHandlerErrorKind | 'cancelled';
        readonly message: string;
        /** HTTP-like status of an engine error (e.g. 503 when out of KV blocks), for the caller to map. */
        readonly status?: number;
      };
    };

/** A request message that could not be decoded; `kind` is its `error_type`. */
export class MessageError extends Error {
  override name = 'MessageError';
  constructor(
    readonly kind: 'deserialization' | 'invalid_message',
    message: string,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a request message: control header line, newline, payload JSON. */
export function encodeRequest(header: ControlHeader, payload: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(header)}\n${JSON.stringify(payload)}`);
}

/** Decodes a request message, or throws {@link MessageError} saying which part is wrong. */
export function decodeRequest(message: Uint8Array): { header: ControlHeader; payload: unknown } {
  let text: string;
  try {
    text = decoder.decode(message);
  } catch {
    throw new MessageError('deserialization', 'request message is not valid UTF-8');
  }
  const cut = text.indexOf('\n');
  if (cut < 0 || cut === text.length - 1)
    throw new MessageError('invalid_message', 'request message lacks a control header or data');
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, cut));
  } catch {
    throw new MessageError('deserialization', 'control header is not valid JSON');
  }
  if (header === null || typeof header !== 'object' || typeof (header as ControlHeader).id !== 'string') {
    throw new MessageError('invalid_message', 'control header lacks a string "id"');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text.slice(cut + 1));
  } catch {
    throw new MessageError('deserialization', 'request data is not valid JSON');
  }
  return { header: header as ControlHeader, payload };
}

/** One frame as bytes (a JSON line). Throws `TypeError` for chunks JSON cannot represent. */
export function encodeFrame(frame: ResponseFrame): Uint8Array {
  const text = JSON.stringify(frame);
  if (text === undefined) throw new TypeError('frame is not serializable');
  return encoder.encode(`${text}\n`);
}

export const COMPLETE_FRAME: ResponseFrame = Object.freeze({ complete: true as const });

/** Splits a byte stream into frames; keeps the partial last line for the next chunk. */
export class FrameDecoder {
  #pending = '';
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });

  /** Frames completed by `bytes`; throws `SyntaxError` for a line that is not a frame. */
  push(bytes: Uint8Array): ResponseFrame[] {
    this.#pending += this.#decoder.decode(bytes, { stream: true });
    const out: ResponseFrame[] = [];
    let cut = this.#pending.indexOf('\n');
    while (cut >= 0) {
      const line = this.#pending.slice(0, cut);
      this.#pending = this.#pending.slice(cut + 1);
      if (line !== '') out.push(parseFrame(line));
      cut = this.#pending.indexOf('\n');
    }
    return out;
  }

  /** Whether bytes of an unfinished frame are left over (a stream that broke off mid-frame). */
  get hasPartial(): boolean {
    return this.#pending !== '';
  }
}

function parseFrame(line: string): ResponseFrame {
  const frame = JSON.parse(line) as Record<string, unknown>;
  if (
    frame === null ||
    typeof frame !== 'object' ||
    !('data' in frame || frame.complete === true || 'error' in frame)
  ) {
    throw new SyntaxError(`not a response frame: ${line.slice(0, 100)}`);
  }
  return frame as ResponseFrame;
}
