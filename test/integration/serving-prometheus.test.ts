/**
 * A real Prometheus 2.42 scrapes two `dynametrics worker` processes serving dynamo/backend/generate while
 * the test sends them a known load through the request plane client; what Prometheus stores and computes
 * must match that load exactly.
 *
 * Exactness of `rate` and `increase`: Prometheus 2.42 extrapolates a range to its window's edges. Towards
 * the start, a counter whose first sample in the window is 0 is not extrapolated at all (the zero point
 * clamps it), and the first sample of every series here is 0, scraped before any request was sent.
 * Towards the end, a window that ends exactly on a series' last sample is not extrapolated either. So
 * evaluated at a series' own last sample time, `increase` is exactly the requests sent and `rate` exactly
 * that over 60 s. The two workers are scraped at different moments, so one evaluation time cannot end on
 * both last samples; for the sum over both, see the tolerance in the last test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateChunk, GenerateRequest } from '../../src/engines/index.js';
import type { DistributedRuntime } from '../../src/runtime/index.js';
import type { EndpointClient, WorkerInstance } from '../../src/serving/index.js';
import { callerRuntime, reapAll, type Spawned, spawnWorker, type WorkerReady } from '../helpers/processes.js';
import { Prometheus, renderConfig } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/tools.js';

const JOB = 'workers';
/** Short, so a series gets many samples quickly and the extrapolation of the last test stays small. */
const SCRAPE_INTERVAL_S = 0.2;
/** How long each series must have been sampled before the rate is checked (see the last test). */
const MIN_SAMPLED_S = 10;
const REQUESTS = 'dynamo_component_requests_total';
/** Two workers with fixed instance ids (their `worker_id`) and deliberately unequal loads. */
const WORKERS = [
  { instanceId: 'a1a1a1a1a1a1a1a1', requests: 8 },
  { instanceId: 'b2b2b2b2b2b2b2b2', requests: 5 },
] as const;
const TOTAL = WORKERS.reduce((n, w) => n + w.requests, 0);

interface RawSeries {
  readonly metric: Record<string, string>;
  /** [seconds, value] pairs as the query API returns them. */
  readonly values: [number, string][];
}

let dir: string;
let caller: DistributedRuntime;
let client: EndpointClient;
let prom: Prometheus;
const spawned: Spawned<WorkerReady>[] = [];

/** Raw samples of the request counters over the last minute at `time` (a range-vector query). */
async function rawRequests(time: number): Promise<RawSeries[]> {
  const result = await prom.query(`${REQUESTS}[1m]`, time);
  return result as unknown as RawSeries[];
}

/** The single value of an instant query evaluated at `time`. */
async function valueAt(expr: string, time: number): Promise<number> {
  const result = await prom.query(expr, time);
  expect(result).toHaveLength(1);
  return Number(result[0].value[1]);
}

async function send(instance: WorkerInstance, count: number): Promise<void> {
  const payload: GenerateRequest = { model: 'mock-model', prompt: 'count me', maxTokens: 4 };
  await Promise.all(
    Array.from({ length: count }, async () => {
      let last: GenerateChunk | undefined;
      for await (const chunk of client.generate(payload, { instance })) last = chunk as GenerateChunk;
      expect(last?.finishReason).toBeDefined();
    }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-serving-prom-'));
  caller = callerRuntime(dir);
  client = caller.namespace('dynamo').component('backend').endpoint('generate').client();
  for (const w of WORKERS) {
    spawned.push(
      await spawnWorker(dir, [
        '--instance-id',
        w.instanceId,
        '--ttft-ms',
        '1',
        '--itl-ms',
        '1',
        '--output-tokens',
        '4',
      ]),
    );
  }
  const targets = spawned.map((s) => new URL(s.ready.systemStatus!).host);
  prom = await Prometheus.start(renderConfig([{ job: JOB, targets }], `${SCRAPE_INTERVAL_S * 1000}ms`));
  await prom.waitForUp(JOB, WORKERS.length);
  // Every worker's counter must have been stored at 0 before any load, so that the first sample of each
  // series is 0 (see the file comment).
  await prom.waitForQuery(`${REQUESTS} == 0`, (r) => r.length === WORKERS.length);
  const instances = await client.instances();
  await Promise.all(
    WORKERS.map((w) => {
      const instance = instances.find((i) => i.instanceId === w.instanceId);
      if (instance === undefined) throw new Error(`worker ${w.instanceId} is not in discovery`);
      return send(instance, w.requests);
    }),
  );
  // Until Prometheus has scraped every worker after the load.
  await prom.waitForQuery(`sum(${REQUESTS})`, (r) => r.length === 1 && Number(r[0].value[1]) === TOTAL);
  await waitFor(`${MIN_SAMPLED_S} s of samples of every series`, 60_000, async () => {
    const series = await rawRequests(Date.now() / 1000);
    const spans = series.map((x) => x.values.at(-1)![0] - x.values[0][0]);
    return series.length === WORKERS.length && spans.every((t) => t >= MIN_SAMPLED_S) ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await Promise.all(spawned.map((s) => s.stop()));
  await reapAll();
  await caller?.shutdown();
  await rm(dir, { recursive: true, force: true });
});

describe('a real Prometheus scraping two workers under a known load', () => {
  it('stores each worker’s request counter at exactly the requests sent to it', async () => {
    const stored = await prom.query(REQUESTS);
    expect(
      stored
        .map((s) => ({
          worker: s.metric.worker_id,
          endpoint: s.metric.dynamo_endpoint,
          component: s.metric.dynamo_component,
          namespace: s.metric.dynamo_namespace,
          model: s.metric.model,
          value: Number(s.value[1]),
        }))
        .sort((a, b) => (a.worker < b.worker ? -1 : 1)),
    ).toEqual(
      WORKERS.map((w) => ({
        worker: w.instanceId,
        endpoint: 'generate',
        component: 'backend',
        namespace: 'dynamo',
        model: 'mock-model',
        value: w.requests,
      })),
    );
  });

  it('has every other work-handler metric agree: all finished, none failed or cancelled', async () => {
    const byWorker = async (expr: string) =>
      Object.fromEntries((await prom.query(expr)).map((s) => [s.metric.worker_id, Number(s.value[1])]));
    const expected = (f: (w: (typeof WORKERS)[number]) => number) =>
      Object.fromEntries(WORKERS.map((w) => [w.instanceId, f(w)]));
    expect(await byWorker('dynamo_component_request_duration_seconds_count')).toEqual(
      expected((w) => w.requests),
    );
    expect(await byWorker('dynamo_component_inflight_requests')).toEqual(expected(() => 0));
    expect(await byWorker('sum by (worker_id) (dynamo_component_errors_total)')).toEqual(expected(() => 0));
    expect(await byWorker('dynamo_component_cancellation_total')).toEqual(expected(() => 0));
  });

  it('gives increase and rate over 1m exactly equal to the load, at each worker’s last sample', async () => {
    const now = Date.now() / 1000;
    const series = await rawRequests(now);
    expect(series).toHaveLength(WORKERS.length);
    for (const w of WORKERS) {
      const s = series.find((x) => x.metric.worker_id === w.instanceId)!;
      expect(Number(s.values[0][1])).toBe(0);
      expect(Number(s.values.at(-1)![1])).toBe(w.requests);
      const last = s.values.at(-1)![0];
      const selector = `${REQUESTS}{worker_id="${w.instanceId}"}`;
      expect(await valueAt(`increase(${selector}[1m])`, last)).toBe(w.requests);
      expect(await valueAt(`rate(${selector}[1m])`, last)).toBe(w.requests / 60);
    }
  });

  it('answers sum by (dynamo_endpoint) (rate(...[1m])) with the load sent, per second', async () => {
    const now = Date.now() / 1000;
    const series = await rawRequests(now);
    // Evaluated at the later of the two last samples: that series ends on the window's edge; the other
    // ended up to a scrape interval before it, and 2.42 extrapolates a range towards the window's end by
    // that gap (or by half an average interval when the gap is longer than 1.1 of them). So the result can
    // only exceed TOTAL / 60, each series by at most its rate times gap / sampled interval: the tolerance.
    // With 0.2 s scrapes and at least 10 s sampled, that is under 2% (asserted too); float rounding aside,
    // the result is never below the load.
    const ms = (seconds: number) => Math.round(seconds * 1000);
    const at = Math.max(...series.map((s) => s.values.at(-1)![0]));
    let tolerance = 0;
    for (const s of series) {
      const first = ms(s.values[0][0]);
      const last = ms(s.values.at(-1)![0]);
      tolerance += (Number(s.values.at(-1)![1]) / 60) * ((ms(at) - last) / (last - first));
    }
    expect(tolerance).toBeLessThan(0.02 * (TOTAL / 60));
    const result = await prom.query(`sum by (dynamo_endpoint) (rate(${REQUESTS}[1m]))`, at);
    expect(result.map((r) => r.metric)).toEqual([{ dynamo_endpoint: 'generate' }]);
    const perSecond = Number(result[0].value[1]);
    expect(perSecond).toBeGreaterThanOrEqual(TOTAL / 60 - 1e-12);
    expect(perSecond).toBeLessThanOrEqual(TOTAL / 60 + tolerance + 1e-12);
    // And the raw counters summed the same way are exact at any time.
    expect(await valueAt(`sum by (dynamo_endpoint) (${REQUESTS})`, at)).toBe(TOTAL);
  });
});
