/**
 * What `dynametrics top` shows, computed with the embedded engine from the panels' own queries: the
 * frontend's request and error rates, TTFT and ITL p50/p99, requests in flight and queued; per worker
 * (by `instance`) its request and error rates, requests in flight, p99 duration and KV cache usage; and
 * the targets' health.
 */
import { formatValue } from '../dashboard/browser/format.js';
import {
  expandQuery,
  KV_CACHE_USAGE,
  perEngine,
  quantile,
  rateSum,
  type Unit,
} from '../dashboard/browser/panels.js';
import type { QueryEngine } from '../query/engine/engine.js';
import { getLabel } from '../query/labels.js';
import type { TargetStatus } from '../query/scrape/status.js';
import { scrapeError } from './scrape-window.js';
import { renderTable } from './table.js';

interface Figure {
  readonly title: string;
  readonly unit: Unit;
  readonly expr: string;
}

const F = 'dynamo_frontend_';
const C = 'dynamo_component_';

const FRONTEND: readonly Figure[] = [
  { title: 'req/s', unit: 'reqps', expr: rateSum(`${F}requests_total`) },
  {
    title: 'errors/s',
    unit: 'reqps',
    // 0 rather than nothing while requests succeed: no error series exists until the first error.
    expr: `${rateSum(`${F}requests_total`, [], 'status="error"')} or 0 * ${rateSum(`${F}requests_total`)}`,
  },
  { title: 'in flight', unit: 'count', expr: `sum(${F}inflight_requests)` },
  { title: 'queued', unit: 'count', expr: `sum(${F}queued_requests)` },
  { title: 'TTFT p50', unit: 'seconds', expr: quantile(0.5, `${F}time_to_first_token_seconds`) },
  { title: 'TTFT p99', unit: 'seconds', expr: quantile(0.99, `${F}time_to_first_token_seconds`) },
  { title: 'ITL p50', unit: 'seconds', expr: quantile(0.5, `${F}inter_token_latency_seconds`) },
  { title: 'ITL p99', unit: 'seconds', expr: quantile(0.99, `${F}inter_token_latency_seconds`) },
];

/** Per worker: each query is grouped by `instance`. */
const WORKER: readonly Figure[] = [
  { title: 'req/s', unit: 'reqps', expr: rateSum(`${C}requests_total`, ['instance']) },
  { title: 'errors/s', unit: 'reqps', expr: rateSum(`${C}errors_total`, ['instance']) },
  { title: 'in flight', unit: 'count', expr: `sum by (instance) (${C}inflight_requests)` },
  {
    title: 'p99 duration',
    unit: 'seconds',
    expr: quantile(0.99, `${C}request_duration_seconds`, ['instance']),
  },
  { title: 'KV cache', unit: 'fraction', expr: perEngine('max', KV_CACHE_USAGE) },
];

export interface TopFrame {
  readonly timeMs: number;
  /** One value per {@link FRONTEND} figure (NaN when there is none). */
  readonly frontend: readonly number[];
  /** Instance → one value per {@link WORKER} figure. */
  readonly workers: ReadonlyMap<string, readonly number[]>;
  readonly targets: readonly TargetStatus[];
}

/** The figures at `timeMs`, rates over `windowMs`. */
export async function topFrame(
  engine: QueryEngine,
  timeMs: number,
  windowMs: number,
  targets: readonly TargetStatus[],
): Promise<TopFrame> {
  const vars = { model: '.*', rangeMs: windowMs, rateIntervalMs: windowMs };
  const run = async (figure: Figure) => {
    const result = await engine.instantQuery(expandQuery(figure.expr, vars), timeMs);
    return result.resultType === 'vector' ? result.result : [];
  };
  const frontend = await Promise.all(FRONTEND.map(async (f) => (await run(f))[0]?.v ?? Number.NaN));
  const workers = new Map<string, number[]>();
  const perWorker = await Promise.all(WORKER.map(run));
  perWorker.forEach((samples, i) => {
    for (const s of samples) {
      const instance = getLabel(s.labels, 'instance');
      let row = workers.get(instance);
      if (row === undefined) {
        row = WORKER.map(() => Number.NaN);
        workers.set(instance, row);
      }
      row[i] = s.v;
    }
  });
  return { timeMs, frontend, workers, targets };
}

/** The frame as text: a header line, the targets, the frontend table and the workers table. */
export function renderTop(frame: TopFrame, intervalMs: number, windowMs: number): string {
  const when = new Date(frame.timeMs).toISOString().replace('T', ' ').slice(0, 19);
  const targets = frame.targets
    .map((t) => {
      const name = `${getLabel(t.labels, 'job')}/${getLabel(t.labels, 'instance')}`;
      return t.health === 'down' ? `${name} DOWN (${scrapeError(t)})` : `${name} ${t.health}`;
    })
    .join(', ');
  const frontend = renderTable(
    ['frontend', ...FRONTEND.map((f) => f.title)],
    [['', ...FRONTEND.map((f, i) => formatValue(frame.frontend[i], f.unit))]],
  );
  const instances = [...frame.workers.keys()].sort();
  const workers = renderTable(
    ['worker', ...WORKER.map((f) => f.title)],
    instances.map((instance) => [
      instance,
      ...WORKER.map((f, i) => formatValue(frame.workers.get(instance)?.[i], f.unit)),
    ]),
  );
  return `dynametrics top  ${when} UTC  every ${intervalMs / 1000}s, rates over ${windowMs / 1000}s
targets: ${targets}

${frontend}
${instances.length === 0 ? 'worker: no worker metrics\n' : workers}`;
}
