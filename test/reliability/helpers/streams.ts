/**
 * A streaming chat completion held open by a test: its status, what arrived so far, and how it ended
 * (the frontend's SSE error event, `[DONE]`, or the connection closing).
 */
import { request } from 'node:http';

export interface ChatStream {
  /** The response status, once headers arrive. */
  readonly status: Promise<number>;
  /** Resolves with everything received when the response ends or the connection closes. */
  readonly ended: Promise<string>;
  /** Token-bearing chunks received so far. */
  tokens(): number;
}

export function openChatStream(url: string, model: string, maxTokens: number): ChatStream {
  let text = '';
  let resolveEnded: (t: string) => void = () => {};
  const ended = new Promise<string>((resolve) => {
    resolveEnded = resolve;
  });
  const req = request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('error', () => {});
      res.on('close', () => resolveEnded(text));
    });
  });
  req.on('error', () => resolveEnded(text));
  req.end(
    JSON.stringify({
      model,
      max_tokens: maxTokens,
      stream: true,
      messages: [{ role: 'user', content: 'go on' }],
    }),
  );
  return { status, ended, tokens: () => (text.match(/"content":"[^"]/g) ?? []).length };
}

/** How a stream ended, as the client sees it. */
export function streamOutcome(text: string): 'done' | 'error event' | 'cut' {
  if (/^data: \{"error":/m.test(text)) return 'error event';
  return text.endsWith('data: [DONE]\n\n') ? 'done' : 'cut';
}
