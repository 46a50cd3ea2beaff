/**
 * A load generator for any OpenAI-compatible server: requests at a rate (open loop, Poisson arrivals) or
 * with a fixed concurrency (closed loop), prompts and output lengths drawn from seeded distributions, and
 * its own measurements of TTFT, inter-token gaps and end-to-end latency from the SSE stream, to compare
 * with what the server's metrics say. A fraction of requests can be abandoned mid-stream on purpose, to
 * exercise disconnect accounting.
 */
import { readSse } from '../openai/sse.js';
import { type IntDistribution, parseDistribution, sample } from '../util/distribution.js';
import { Prng } from '../util/prng.js';
import { LoadStats } from './stats.js';

export interface LoadOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly model: string;
  /** `chat` (`/v1/chat/completions`, the default) or `completions`. */
  readonly endpoint?: 'chat' | 'completions';
  /** Requests started per second (Poisson arrivals). Ignored when `concurrency` is set. */
  readonly rps?: number;
  /** Requests kept in flight at all times (closed loop). */
  readonly concurrency?: number;
  /** Stop starting requests after this many seconds (default: until `signal` aborts or `requests` is reached). */
  readonly durationSeconds?: number;
  /** Stop after starting this many requests. */
  readonly requests?: number;
  /** Prompt length in words (about one token each with the mock engine); default `uniform:50:300`. */
  readonly promptTokens?: IntDistribution;
  /** `max_tokens` of each request; default `uniform:20:200`. */
  readonly outputTokens?: IntDistribution;
  /** Stream responses (default true); TTFT and gaps are only measured when streaming. */
  readonly stream?: boolean;
  readonly seed?: number;
  /** Fraction of requests abandoned after their first chunk (0–1). */
  readonly disconnectFraction?: number;
  /** Per-request timeout (default 120 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called after each request with its outcome. */
  readonly onResult?: (result: RequestResult) => void;
}

export interface RequestResult {
  readonly outcome: 'ok' | 'error' | 'cancelled';
  /** HTTP status, or `network`. */
  readonly status?: number | 'network';
  readonly promptTokens?: number;
  readonly outputTokens?: number;
  readonly cachedTokens?: number;
  /** Whether the response had started (headers) when the request was abandoned or failed. */
  readonly started: boolean;
}

const WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were ' +
  'we when your can said there use an each which she do how their if will up other about out many then them these so some her would ' +
  'make like him into time has look two more write go see number no way could people my than first water been call who oil its now'
).split(' ');

function prompt(words: number, rng: Prng): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[rng.int(0, WORDS.length - 1)]);
  return out.join(' ');
}

const DEFAULT_PROMPT = parseDistribution('uniform:50:300');
const DEFAULT_OUTPUT = parseDistribution('uniform:20:200');

interface SseUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

/** Sends one request and records what it measured. */
async function one(options: LoadOptions, stats: LoadStats, rng: Prng): Promise<RequestResult> {
  const chat = (options.endpoint ?? 'chat') === 'chat';
  const stream = options.stream ?? true;
  const text = prompt(sample(options.promptTokens ?? DEFAULT_PROMPT, rng), rng);
  const maxTokens = Math.max(1, sample(options.outputTokens ?? DEFAULT_OUTPUT, rng));
  const abandon = rng.chance(options.disconnectFraction ?? 0);
  const body = {
    model: options.model,
    max_tokens: maxTokens,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
    ...(chat ? { messages: [{ role: 'user', content: text }] } : { prompt: text }),
  };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), options.timeoutMs ?? 120_000);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const started = performance.now();
  let responded = false;
  let abandoned = false;
  const cancelled = (): RequestResult => {
    stats.cancelled++;
    return { outcome: 'cancelled', started: responded };
  };
  try {
    const res = await fetch(`${options.url}/v1/${chat ? 'chat/completions' : 'completions'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    responded = true;
    if (!res.ok) {
      await res.arrayBuffer().catch(() => {});
      stats.error(String(res.status));
      return { outcome: 'error', status: res.status, started: true };
    }
    if (!stream) {
      const json = (await res.json()) as { usage?: SseUsage };
      stats.e2e.add((performance.now() - started) / 1000);
      return record(stats, json.usage);
    }
    let usage: SseUsage | undefined;
    let last: number | undefined;
    if (res.body === null) throw new Error('the response has no body');
    for await (const event of readSse(res.body as AsyncIterable<Uint8Array>)) {
      if (event.data === '[DONE]') break;
      const parsed = JSON.parse(event.data) as {
        choices?: { delta?: { content?: string }; text?: string }[];
        usage?: SseUsage;
        error?: unknown;
      };
      if (parsed.error !== undefined) {
        stats.error('stream_error');
        return { outcome: 'error', status: 200, started: true };
      }
      if (parsed.usage !== undefined) usage = parsed.usage;
      const choice = parsed.choices?.[0];
      if ((choice?.delta?.content ?? choice?.text ?? '') === '') continue;
      const now = performance.now();
      if (last === undefined) stats.ttft.add((now - started) / 1000);
      else stats.itl.add((now - last) / 1000);
      last = now;
      if (abandon) {
        // Aborting errors the body, so leaving the loop may throw (see the catch): cancelled either way.
        abandoned = true;
        controller.abort(new Error('abandoned on purpose'));
        break;
      }
    }
    if (abandoned) return cancelled();
    stats.e2e.add((performance.now() - started) / 1000);
    return record(stats, usage);
  } catch (e) {
    if (abandoned || options.signal?.aborted === true) return cancelled();
    stats.error((e as Error).message === 'timeout' ? 'timeout' : 'network');
    return { outcome: 'error', status: 'network', started: responded };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function record(stats: LoadStats, usage: SseUsage | undefined): RequestResult {
  stats.completed++;
  if (usage?.prompt_tokens !== undefined) stats.inputTokens.add(usage.prompt_tokens);
  if (usage?.completion_tokens !== undefined) stats.outputTokens.add(usage.completion_tokens);
  return {
    outcome: 'ok',
    status: 200,
    started: true,
    promptTokens: usage?.prompt_tokens,
    outputTokens: usage?.completion_tokens,
    cachedTokens: usage?.prompt_tokens_details?.cached_tokens,
  };
}

/** Runs the load until its duration, request count or signal says stop, then waits for what is in flight. */
export async function runLoad(options: LoadOptions, stats = new LoadStats()): Promise<LoadStats> {
  const rng = new Prng(options.seed ?? 1);
  const deadline =
    options.durationSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : performance.now() + options.durationSeconds * 1000;
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  const running = new Set<Promise<void>>();
  const stopped = () =>
    options.signal?.aborted === true || performance.now() >= deadline || stats.sent >= limit;
  const launch = () => {
    stats.sent++;
    stats.inFlight++;
    const p = one(options, stats, rng).then((result) => {
      stats.inFlight--;
      running.delete(p);
      options.onResult?.(result);
    });
    running.add(p);
  };
  // Each wait removes its timer and abort listener when it ends, or when it is cancelled: a long run waits
  // once per request, and listeners left on the caller's signal would pile up.
  const wait = (ms: number) => {
    const signal = options.signal;
    let done = () => {};
    const ended = new Promise<void>((resolve) => {
      done = () => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      };
    });
    // With no deadline only the signal ends the wait: setTimeout would turn Infinity into 1 ms.
    const left = Math.min(ms, deadline - performance.now());
    const t = Number.isFinite(left) ? setTimeout(done, Math.max(0, left)) : undefined;
    signal?.addEventListener('abort', done, { once: true });
    return { ended, cancel: done };
  };
  const sleep = (ms: number) => wait(ms).ended;
  if (options.concurrency !== undefined && options.concurrency > 0) {
    // One wait for the deadline serves every turn of the loop; a new one per turn would leave a timer and
    // an abort listener behind each time a request ended first.
    const end = wait(Number.POSITIVE_INFINITY);
    while (!stopped()) {
      while (running.size < options.concurrency && !stopped()) launch();
      if (running.size > 0) await Promise.race([...running, end.ended]);
    }
    end.cancel();
  } else if ((options.rps ?? 0) > 0) {
    const rps = options.rps as number;
    let next = performance.now();
    while (!stopped()) {
      launch();
      next += (-Math.log(Math.max(rng.next(), Number.EPSILON)) / rps) * 1000;
      await sleep(next - performance.now());
    }
  } else {
    await sleep(deadline - performance.now());
  }
  await Promise.all(running);
  return stats;
}
