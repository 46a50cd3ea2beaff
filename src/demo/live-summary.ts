/**
 * The demo's live terminal summary: what the fleet's metrics say, computed the way a Prometheus user would
 * compute it (PromQL over the scraped series, `histogram_quantile` over the TTFT and ITL buckets), next to
 * what the load generator measured on its side of the wire. The two columns agree within a histogram
 * bucket, which is the point: the metrics tell the truth.
 */

import type { LoadStats, Samples } from '../load/stats.js';
import type { QueryEngine } from '../query/engine/engine.js';

const QUANTILES = [0.5, 0.9, 0.99] as const;

export interface Quantiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

/** The fleet's figures over the last `windowSeconds`, from the embedded query engine. */
export interface ServerFigures {
  readonly windowSeconds: number;
  readonly requestsPerSecond: number;
  readonly errorsPerSecond: number;
  readonly ttftSeconds: Quantiles;
  readonly itlSeconds: Quantiles;
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  readonly inflight: number;
  readonly queued: number;
  /** Requests per second served by each worker (its `worker_id`). */
  readonly perWorker: readonly { readonly workerId: string; readonly requestsPerSecond: number }[];
}

/** The PromQL of each figure; `W` is the range, e.g. `30s`. */
export const SUMMARY_QUERIES = {
  requestsPerSecond: (w: string) => `sum(rate(dynamo_frontend_requests_total[${w}]))`,
  errorsPerSecond: (w: string) =>
    `sum(rate(dynamo_frontend_requests_total{status="error"}[${w}])) or vector(0)`,
  quantile: (metric: string, q: number, w: string) =>
    `histogram_quantile(${q}, sum by (le) (rate(dynamo_frontend_${metric}_bucket[${w}])))`,
  mean: (metric: string, w: string) =>
    `sum(rate(dynamo_frontend_${metric}_sum[${w}])) / sum(rate(dynamo_frontend_${metric}_count[${w}]))`,
  inflight: () => 'sum(dynamo_frontend_inflight_requests)',
  queued: () => 'sum(dynamo_frontend_queued_requests)',
  perWorker: (w: string) => `sum by (worker_id) (rate(dynamo_component_requests_total[${w}]))`,
} as const;

export async function serverFigures(
  engine: QueryEngine,
  windowSeconds: number,
  atMs = Date.now(),
): Promise<ServerFigures> {
  const w = `${windowSeconds}s`;
  const vector = async (expr: string) => {
    const r = await engine.instantQuery(expr, atMs);
    return r.resultType === 'vector' ? r.result : [];
  };
  const one = async (expr: string) => (await vector(expr))[0]?.v ?? Number.NaN;
  const quantiles = async (metric: string): Promise<Quantiles> => {
    const [p50, p90, p99] = await Promise.all(
      QUANTILES.map((q) => one(SUMMARY_QUERIES.quantile(metric, q, w))),
    );
    return { p50, p90, p99 };
  };
  const [requestsPerSecond, errorsPerSecond, ttftSeconds, itlSeconds, isl, osl, inflight, queued, workers] =
    await Promise.all([
      one(SUMMARY_QUERIES.requestsPerSecond(w)),
      one(SUMMARY_QUERIES.errorsPerSecond(w)),
      quantiles('time_to_first_token_seconds'),
      quantiles('inter_token_latency_seconds'),
      one(SUMMARY_QUERIES.mean('input_sequence_tokens', w)),
      one(SUMMARY_QUERIES.mean('output_sequence_tokens', w)),
      one(SUMMARY_QUERIES.inflight()),
      one(SUMMARY_QUERIES.queued()),
      vector(SUMMARY_QUERIES.perWorker(w)),
    ]);
  return {
    windowSeconds,
    requestsPerSecond,
    errorsPerSecond,
    ttftSeconds,
    itlSeconds,
    meanInputTokens: isl,
    meanOutputTokens: osl,
    inflight,
    queued,
    perWorker: workers
      .map((s) => ({
        workerId: s.labels.find((l) => l.name === 'worker_id')?.value ?? '?',
        requestsPerSecond: s.v,
      }))
      .sort((a, b) => a.workerId.localeCompare(b.workerId)),
  };
}

const ms = (s: number) => (Number.isFinite(s) ? `${(s * 1000).toFixed(1)} ms` : '-');
const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

function quantileCells(q: Quantiles): string[] {
  return [ms(q.p50), ms(q.p90), ms(q.p99)];
}

function sampleCells(s: Samples): string[] {
  return QUANTILES.map((q) => ms(s.quantile(q)));
}

/** The summary block: one row per figure, server (metrics) and client (load generator) side by side. */
export function formatLiveSummary(
  server: ServerFigures,
  client: LoadStats | undefined,
  elapsedSeconds: number,
): string {
  const rows: string[][] = [
    ['', `metrics (last ${server.windowSeconds}s)`, 'load generator (whole run)'],
    ['requests/s', num(server.requestsPerSecond, 2), client ? num(client.throughput(), 2) : '-'],
    ['errors/s', num(server.errorsPerSecond, 2), client ? String(client.errorCount) + ' errors' : '-'],
    [
      'TTFT p50/p90/p99',
      quantileCells(server.ttftSeconds).join(' / '),
      client ? sampleCells(client.ttft).join(' / ') : '-',
    ],
    [
      'ITL p50/p90/p99',
      quantileCells(server.itlSeconds).join(' / '),
      client ? sampleCells(client.itl).join(' / ') : '-',
    ],
    [
      'ISL / OSL mean',
      `${num(server.meanInputTokens)} / ${num(server.meanOutputTokens)}`,
      client ? `${num(client.inputTokens.mean())} / ${num(client.outputTokens.mean())}` : '-',
    ],
    [
      'in flight / queued',
      `${num(server.inflight, 0)} / ${num(server.queued, 0)}`,
      client ? `${client.inFlight} / -` : '-',
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('   ')
      .trimEnd(),
  );
  const workers = server.perWorker.map((w) => `${w.workerId} ${num(w.requestsPerSecond, 2)}/s`).join(', ');
  return [
    `--- ${elapsedSeconds.toFixed(0)}s ---`,
    ...lines,
    `per worker (requests/s): ${workers || '-'}`,
    '',
  ].join('\n');
}
