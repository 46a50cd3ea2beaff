import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent, SseParser } from '../../src/openai/sse.js';

function parseAll(parts: readonly (string | Uint8Array)[]): SseEvent[] {
  const parser = new SseParser();
  const events = parts.flatMap((p) => parser.push(p));
  return [...events, ...parser.end()];
}

describe('SseParser', () => {
  it('joins multi-line data with newlines and dispatches on a blank line', () => {
    expect(parseAll(['data: one\ndata: two\n\ndata:three\n\n'])).toEqual([
      { event: 'message', data: 'one\ntwo' },
      { event: 'message', data: 'three' },
    ]);
  });

  it('ignores comments, keep-alives, retry and unknown fields, and events without data', () => {
    const stream = ': keep-alive\n\nretry: 1000\n\nfoo: bar\ndata: x\n\nevent: ping\n\n:\n\n';
    expect(parseAll([stream])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps the event name and the last id', () => {
    expect(parseAll(['id: 7\nevent: error\ndata: {"a":1}\n\ndata: b\n\n'])).toEqual([
      { event: 'error', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'b', id: '7' },
    ]);
  });

  it('accepts CRLF and lone CR line ends, even when a CRLF is split between reads', () => {
    expect(parseAll(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\r\n\r\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('decodes UTF-8 characters split between reads', () => {
    const bytes = new TextEncoder().encode('data: héllo 🦙\n\n');
    expect(parseAll([bytes.subarray(0, 8), bytes.subarray(8, 15), bytes.subarray(15)])).toEqual([
      { event: 'message', data: 'héllo 🦙' },
    ]);
  });

  it('drops an event the stream ends in the middle of', () => {
    expect(parseAll(['data: done\n\ndata: partial\n'])).toEqual([{ event: 'message', data: 'done' }]);
  });

  it('drops only one space after the colon, and treats a line without colon as a field name', () => {
    expect(parseAll(['data:  two spaces\ndata\n\n'])).toEqual([{ event: 'message', data: ' two spaces\n' }]);
  });

  it('finds the same events however the stream is cut into reads', () => {
    const stream =
      ': hi\r\ndata: {"choices":[{"text":"é"}]}\r\n\r\ndata: a\ndata: b\n\nevent: x\rdata: [DONE]\r\r';
    const bytes = new TextEncoder().encode(stream);
    const whole = parseAll([bytes]);
    expect(whole).toHaveLength(3);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const at = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const parts = at.slice(1).map((end, i) => bytes.subarray(at[i], end));
          expect(parseAll(parts)).toEqual(whole);
        },
      ),
    );
  });
});

describe('readSse', () => {
  it('yields events from an async byte stream as they complete', async () => {
    async function* body() {
      yield new TextEncoder().encode('data: 1\n');
      yield '\ndata: 2\n\n';
    }
    const events: string[] = [];
    for await (const e of readSse(body())) events.push(e.data);
    expect(events).toEqual(['1', '2']);
  });
});
