/**
 * What recording the frontend metrics costs a serving frontend (issue 6): two frontends in this process,
 * identical but for `recordMetrics`, each in front of a zero-delay mock engine (no time to first token, no
 * inter-token gap, 16 tokens per response), take the same batches of streaming chat requests over HTTP,
 * alternately. Throughput on / off is the inverse of the time ratio; the target is >= 0.95, i.e. recording
 * may take at most 1/0.95 of the time. The added p99 latency compares per-request latencies of all rounds.
 *
 * The engine runs in the frontend's process (the request plane's local path), so no worker round trip
 * dilutes the frontend's own cost: the hardest setting for the target.
 */
import {
  DistributedRuntime,
  Frontend,
  MemoryLogger,
  MockEngine,
  StaticDiscovery,
  serveEngine,
} from '../../src/index.js';
import { summarize } from '../harness.js';
import { atMostTimes, type ResultRow, row, type Suite, type SuiteContext, single } from '../suite.js';

const MODEL = 'bench-model';
const OUTPUT_TOKENS = 16;

interface Side {
  readonly frontend: Frontend;
  readonly runtime: DistributedRuntime;
  readonly engine: MockEngine;
}

async function startSide(recordMetrics: boolean): Promise<Side> {
  const runtime = new DistributedRuntime({
    systemServer: false,
    env: {},
    logger: new MemoryLogger(),
    discovery: new StaticDiscovery(),
  });
  const engine = new MockEngine({
    model: MODEL,
    ttftBaseMs: 0,
    ttftPerUncachedTokenMs: 0,
    interTokenLatencyMs: 0,
    outputLength: { kind: 'fixed', value: OUTPUT_TOKENS },
    maxNumSeqs: 1024,
  });
  await serveEngine(runtime.namespace('dynamo').component('backend').endpoint('generate'), engine);
  const frontend = await Frontend.start({ runtime, port: 0, host: '127.0.0.1', env: {}, recordMetrics });
  return { frontend, runtime, engine };
}

const BODY = JSON.stringify({
  model: MODEL,
  messages: [{ role: 'user', content: 'How many tokens does a benchmark need?' }],
  max_tokens: OUTPUT_TOKENS,
  stream: true,
});

/** One streaming request, read to the end; returns its latency in ms. */
async function request(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BODY,
  });
  const text = await res.text();
  if (res.status !== 200 || !text.endsWith('data: [DONE]\n\n'))
    throw new Error(`frontend bench: unexpected response ${res.status}: ${text.slice(0, 200)}`);
  return performance.now() - started;
}

/** `total` requests with `concurrency` in flight; returns the wall time in ms and every latency. */
async function batch(
  url: string,
  total: number,
  concurrency: number,
): Promise<{ ms: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        latencies.push(await request(url));
      }
    }),
  );
  return { ms: performance.now() - started, latencies };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function run(context: SuiteContext): Promise<ResultRow[]> {
  const total = context.quick ? 100 : 400;
  const concurrency = 16;
  const rounds = context.quick ? 2 : context.repetitions;
  const on = await startSide(true);
  const off = await startSide(false);
  try {
    const sides = { on, off } as const;
    const perRequest = { on: [] as number[], off: [] as number[] };
    const latencies = { on: [] as number[], off: [] as number[] };
    for (const side of ['on', 'off'] as const) await batch(sides[side].frontend.url, total, concurrency);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const side of order) {
        const result = await batch(sides[side].frontend.url, total, concurrency);
        perRequest[side].push(result.ms / total);
        latencies[side].push(...result.latencies);
      }
      context.log(`frontend: round ${r + 1}/${rounds}`);
    }
    const on99 = quantile(latencies.on, 0.99);
    const off99 = quantile(latencies.off, 0.99);
    const served = on.frontend.metrics.registry
      .gather()
      .find((f) => f.name === 'dynamo_frontend_requests_total');
    const notes = [
      `${total} streaming chat requests of ${OUTPUT_TOKENS} tokens per batch, ${concurrency} in flight, ${rounds} rounds per side`,
      `throughput on/off: ${(summarize(perRequest.off).median / summarize(perRequest.on).median).toFixed(3)}`,
      `requests counted by the recording frontend: ${served?.series.reduce((n, s) => n + ('value' in s ? s.value : 0), 0)}`,
    ];
    return [
      row({
        id: 'fe-throughput',
        title: 'frontend time per request, metrics recorded vs not recorded',
        unit: 'ms/request',
        code: { dynametrics: 'recordMetrics: true', baseline: 'recordMetrics: false' },
        dynametrics: summarize(perRequest.on),
        baseline: summarize(perRequest.off),
        target: atMostTimes(Math.round((1 / 0.95) * 1000) / 1000),
        notes,
      }),
      row({
        id: 'fe-p99',
        title: 'frontend p99 request latency, metrics recorded vs not recorded',
        unit: 'ms',
        dynametrics: single(on99),
        baseline: single(off99),
        notes: [`added p99 latency: ${(on99 - off99).toFixed(2)} ms`],
      }),
    ];
  } finally {
    for (const side of [on, off]) {
      await side.frontend.close(0);
      await side.runtime.shutdown();
      await side.engine.close();
    }
  }
}

export const frontendSuite: Suite = {
  name: 'frontend',
  title: 'Frontend throughput with metrics recording on vs off',
  async run(context) {
    return {
      suite: 'frontend',
      title: this.title,
      rows: await run(context),
      notes: [
        'Two frontends in one process, each with an in-process zero-delay mock engine; batches alternate between them.',
        'The target: time per request with recording <= 1/0.95 of without, i.e. throughput on/off >= 0.95.',
      ],
    };
  },
};
