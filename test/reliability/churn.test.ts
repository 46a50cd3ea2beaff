/**
 * Exactness under churn: requests through the frontend to two in-process mock-engine workers, 30% of them
 * abandoned by the client mid-stream and 10% failed by the engine. Every frontend counter (and every
 * work-handler counter of the workers) equals the tally the load generator kept of what it saw; in-flight,
 * active, queued and stage gauges end at exactly 0; once warm, the heap and the number of series stay
 * flat, a label explosion included (a metric with `maxSeries` keeps its limit, sends the rest to its
 * `__overflow__` series and counts them as refused).
 *
 * Engines and frontend share a virtual clock that advances one engine timer per turn of the event loop:
 * a client's disconnect is seen by the frontend within two turns, while a stream it abandons still has
 * at least seven tokens to go, so no disconnect ever races with the end of its stream. (On a real clock, a
 * stalled loop lets an engine catch up and emit every remaining token at once, and such a request would
 * be a success for the frontend and a disconnect for the client.) For the same reason the engine fails
 * requests before their first token, which the client cannot have abandoned yet.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntCounterVec } from '../../src/core/counter.js';
import { OVERFLOW_LABEL_VALUE } from '../../src/core/descriptor.js';
import type { MetricFamily } from '../../src/core/model.js';
import { parseExposition } from '../../src/expfmt/parser.js';
import { runLoad } from '../../src/load/generator.js';
import { LoadStats } from '../../src/load/stats.js';
import { parseDistribution } from '../../src/util/distribution.js';
import { raisedGauges } from '../frontend/assertions.js';
import { type Deployment, sampleMap, startDeployment } from '../frontend/deployment.js';
import { scaled, timeoutMs } from './helpers/budget.js';
import { CountingLogger } from './helpers/counting-logger.js';
import { seriesCount, seriesSum, seriesValue } from './helpers/families.js';
import { recordFigures } from './helpers/figures.js';
import { OutcomeTally } from './helpers/outcome-tally.js';

const MODEL = 'churn-model';
const MIB = 1024 * 1024;
/** Series the exploding metric may keep. */
const MAX_SERIES = 500;
const plan = scaled({ warm: 800, rounds: 2, perRound: 1200 }, { warm: 10_000, rounds: 9, perRound: 10_000 });
/**
 * Heap growth allowed from the warm heap to the end, after a full GC: the retained size of a run is a few
 * MiB of V8 and undici caches, whatever its length; a leak of even 100 bytes per request would exceed it
 * in the soak.
 */
const HEAP_GROWTH_BOUND = 8 * MIB;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let d: Deployment;
let explosion: IntCounterVec<readonly ['request_id']>;
const tally = new OutcomeTally();
let nextId = 0;

beforeAll(async () => {
  const engine = {
    model: MODEL,
    ttftBaseMs: 1,
    ttftPerUncachedTokenMs: 0,
    interTokenLatencyMs: 1,
    outputLength: parseDistribution('uniform:8:16'),
    faults: { errorRate: 0.1, errorAt: 'before-first-token' as const },
  };
  d = await startDeployment({
    engines: [
      { ...engine, seed: 11 },
      { ...engine, seed: 12 },
    ],
    logger: new CountingLogger(),
  });
  // A label per request: an explosion the series limit must contain.
  explosion = d.runtime
    .namespace('dynamo')
    .component('churn')
    .endpoint('load')
    .metrics.createIntCounterVec(
      'requests_by_id_total',
      'Requests by request id (a label explosion).',
      ['request_id'],
      { maxSeries: MAX_SERIES },
    );
});

afterAll(async () => {
  await d?.close();
});

/** Runs `requests` requests with 30% disconnects, tallying each outcome and exploding the labels. */
async function load(requests: number, seed: number): Promise<void> {
  await runLoad(
    {
      url: d.url,
      model: MODEL,
      concurrency: 32,
      requests,
      seed,
      promptTokens: parseDistribution('uniform:5:30'),
      outputTokens: parseDistribution('uniform:8:16'),
      disconnectFraction: 0.3,
      onResult: (r) => {
        tally.add(r);
        explosion.labels(`req-${nextId++}`).inc();
      },
    },
    new LoadStats(),
  );
}

async function scrape(): Promise<MetricFamily[]> {
  return parseExposition(await (await fetch(`${d.url}/metrics`)).text());
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('exactness under churn', () => {
  it(
    'every counter equals the load generator tally, gauges end at 0, heap and series stay flat',
    async () => {
      const started = performance.now();
      await load(plan.warm, 1);
      const warmHeap = heapAfterGc();
      const warmSeries = seriesCount(await scrape());
      const heaps: number[] = [];
      const series: number[] = [];
      for (let round = 0; round < plan.rounds; round++) {
        await load(plan.perRound, round + 2);
        heaps.push(heapAfterGc());
        series.push(seriesCount(await scrape()));
      }
      const seconds = (performance.now() - started) / 1000;

      const f = await scrape();
      const frontend = (name: string, labels: Record<string, string> = {}) =>
        seriesSum(f, `dynamo_frontend_${name}`, { model: MODEL, ...labels });
      const workers = (name: string, labels: Record<string, string> = {}) =>
        seriesSum(f, `dynamo_component_${name}`, { model: MODEL, ...labels });
      const byClass = Object.fromEntries(
        [...tally.byClass.keys()].map((cls) => {
          const [status, errorType] = cls.split('/');
          return [cls, frontend('requests_total', { status, error_type: errorType })];
        }),
      );
      const actual = {
        ...byClass,
        requests_total: frontend('requests_total'),
        requests_started_total: frontend('requests_started_total'),
        model_cancellation_total: frontend('model_cancellation_total'),
        disconnected_clients: seriesValue(f, 'dynamo_frontend_disconnected_clients'),
        request_duration_count: frontend('request_duration_seconds'),
        time_to_first_token_count: frontend('time_to_first_token_seconds'),
        input_sequence_count: frontend('input_sequence_tokens'),
        output_sequence_count: frontend('output_sequence_tokens'),
        worker_requests_total: workers('requests_total'),
        worker_generate_errors_total: workers('errors_total', { error_type: 'generate' }),
        worker_cancellation_total: workers('cancellation_total'),
        worker_request_duration_count: workers('request_duration_seconds'),
        explosion_overflow: seriesValue(f, 'dynamo_component_requests_by_id_total', {
          request_id: OVERFLOW_LABEL_VALUE,
        }),
        refused_series_total: seriesValue(f, 'dynamo_component_metrics_refused_series_total'),
      };
      const expected = {
        ...Object.fromEntries(tally.byClass),
        requests_total: tally.sent,
        requests_started_total: tally.sent,
        model_cancellation_total: tally.cancelled,
        disconnected_clients: tally.cancelled,
        request_duration_count: tally.sent,
        time_to_first_token_count: tally.firstTokens,
        input_sequence_count: tally.firstTokens,
        output_sequence_count: tally.firstTokens,
        worker_requests_total: tally.sent,
        worker_generate_errors_total: tally.backendErrors,
        worker_cancellation_total: tally.cancelled,
        worker_request_duration_count: tally.sent,
        explosion_overflow: tally.sent - MAX_SERIES,
        refused_series_total: tally.sent - MAX_SERIES,
      };
      const discrepancies = Object.entries(expected).map(([k, v]) =>
        Math.abs(((actual as Record<string, number | undefined>)[k] ?? Number.NaN) - v),
      );
      const heapGrowth = Math.max(...heaps) - warmHeap;
      recordFigures('churn', {
        requests: tally.sent,
        seconds: Math.round(seconds),
        requestsPerSecond: Math.round(tally.sent / seconds),
        succeeded: tally.byClass.get('success/') ?? 0,
        clientDisconnects: tally.cancelled,
        engineErrors: tally.backendErrors,
        countersCompared: discrepancies.length,
        largestCounterDiscrepancy: Math.max(...discrepancies),
        heapWarmMiB: Math.round((warmHeap / MIB) * 10) / 10,
        heapGrowthAfterWarmMiB: Math.round((heapGrowth / MIB) * 10) / 10,
        seriesWarm: warmSeries,
        seriesEnd: series[series.length - 1],
        explosionSeries: explosion.seriesCount,
      });

      expect(actual).toEqual(expected);
      // Every request-path gauge of the frontend, and the workers' in-flight gauges, back to exactly 0.
      const samples = sampleMap(await (await fetch(`${d.url}/metrics`)).text());
      expect(raisedGauges(samples)).toEqual([]);
      expect(workers('inflight_requests')).toBe(0);
      expect(seriesSum(f, 'vllm:num_requests_running')).toBe(0);
      // Flat once warm: no new series (the explosion is held at its limit plus the overflow series), and
      // no heap growth beyond the bound.
      expect(series).toEqual(series.map(() => warmSeries));
      expect(explosion.seriesCount).toBe(MAX_SERIES + 1);
      expect(heapGrowth).toBeLessThan(HEAP_GROWTH_BOUND);
      // Both kinds of churn happened in earnest.
      expect(tally.cancelled / tally.sent).toBeGreaterThan(0.2);
      expect(tally.backendErrors / tally.sent).toBeGreaterThan(0.05);
    },
    timeoutMs(240_000),
  );
});
