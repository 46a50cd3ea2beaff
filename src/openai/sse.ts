/**
 * A server-sent events parser, incremental and tolerant, following the WHATWG event-stream rules: lines end
 * with CRLF, LF or CR (even split across reads); `:` lines are comments (keep-alives); `data:` lines of
 * one event join with `\n`; one optional space after the colon is dropped; a blank line dispatches; an
 * event without data is not dispatched; a partial event at end of stream is dropped. Bytes are decoded as
 * UTF-8 across read boundaries.
 */

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  readonly data: string;
  /** The last `id:` seen, if any. */
  readonly id?: string;
}

export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  #buffer = '';
  /** A CR ended the previous input: an LF at the start of the next one belongs to it. */
  #pendingCr = false;
  #data: string[] = [];
  #event = '';
  #id: string | undefined;

  /** Feeds bytes or text; returns the events completed by it. */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const cr = this.#buffer.indexOf('\r', start);
      const lf = this.#buffer.indexOf('\n', start);
      if (cr < 0 && lf < 0) break;
      const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      const line = this.#buffer.slice(start, end);
      if (this.#buffer[end] === '\r') {
        if (end + 1 === this.#buffer.length) {
          this.#pendingCr = true;
          start = end + 1;
        } else start = this.#buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else start = end + 1;
      const event = this.#line(line);
      if (event !== undefined) events.push(event);
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  /** Ends the stream: flushes the decoder; an event not closed by a blank line is dropped, as browsers do. */
  end(): SseEvent[] {
    const rest = this.#decoder.decode();
    const events = rest === '' ? [] : this.push(rest);
    this.#buffer = '';
    this.#data = [];
    this.#event = '';
    return events;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.#id = value;
        break;
      default:
        // `retry` and unknown fields do not concern a one-shot client.
        break;
    }
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return undefined;
    return {
      event: event === '' ? 'message' : event,
      data: data.join('\n'),
      ...(this.#id !== undefined ? { id: this.#id } : {}),
    };
  }
}

/** Parses a byte stream into events, yielding each as soon as its blank line arrives. */
export async function* readSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}
