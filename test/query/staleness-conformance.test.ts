/**
 * Staleness and lookback against a real Prometheus 2.42. OpenMetrics backfilling cannot carry staleness
 * markers, so the same samples, markers included, are sent to Prometheus through remote write (into its
 * head, in label order, which is then its series order) and appended to our store; both answer the same
 * queries at many instants, including the markers' own timestamps, and over ranges, bit for bit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryApiServer } from '../../src/query/api/server.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { compareLabels, labelsFromRecord } from '../../src/query/labels.js';
import { MemoryStore } from '../../src/query/storage/store.js';
import { Prometheus } from '../helpers/prometheus.js';
import { Comparer, newTally, pool } from './conformance/compare.js';
import { orderDependent } from './conformance/order.js';
import { Random } from './conformance/random.js';
import { remoteWrite, type WriteSeries, type WriteValue } from './conformance/remote-write.js';

const T0 = 1_700_100_000_000;
const SPAN_MS = 20 * 60_000;

function dataset(): WriteSeries[] {
  const rng = new Random(99);
  const out: WriteSeries[] = [];
  for (const name of ['st_gauge', 'st_requests_total']) {
    for (let s = 0; s < 8; s++) {
      const samples: [number, WriteValue][] = [];
      let value = rng.int(0, 100);
      let t = T0 + rng.int(0, 14_999);
      while (t < T0 + SPAN_MS) {
        if (rng.chance(0.06)) {
          samples.push([t, 'stale']);
          t += rng.chance(0.5) ? 15_000 : rng.int(1, 8) * 60_000; // back soon, or after a long gap
          continue;
        }
        value = name === 'st_gauge' ? rng.int(0, 100) : rng.chance(0.02) ? 0 : value + rng.int(0, 50);
        samples.push([t, value]);
        t += 15_000 + rng.int(-500, 500);
      }
      out.push({
        labels: labelsFromRecord({ __name__: name, s: String(s), job: s < 4 ? 'a' : 'b' }),
        samples,
      });
    }
  }
  // The reference's worked vectors with markers: R9 and L2.
  const at = (s: number) => T0 + s * 1000;
  out.push({
    labels: labelsFromRecord({ __name__: 'wv_r9' }),
    samples: [
      [at(0), 1],
      [at(10), 4],
      [at(20), 'stale'],
      [at(40), 9],
      [at(50), 12],
    ],
  });
  out.push({
    labels: labelsFromRecord({ __name__: 'wv_l2' }),
    samples: [
      [at(0), 1],
      [at(15), 2],
      [at(30), 'stale'],
    ],
  });
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

const QUERIES = [
  'st_gauge',
  'st_requests_total',
  'st_gauge offset 1m',
  'count(st_gauge)',
  'sum by (job) (st_gauge)',
  'avg(st_gauge)',
  'max by (job) (st_requests_total)',
  'topk(2, st_gauge)',
  'st_gauge > 50',
  'st_gauge + on(s) group_left st_requests_total',
  'st_gauge and st_requests_total',
  'st_gauge or on(s) st_requests_total',
  'st_gauge unless on(s) st_requests_total',
  'scalar(count(st_gauge))',
  ...['rate', 'increase', 'delta', 'irate', 'idelta'].flatMap((f) =>
    ['30s', '1m', '2m', '5m'].map((r) => `${f}(st_requests_total[${r}])`),
  ),
  ...['count_over_time', 'last_over_time', 'max_over_time', 'avg_over_time', 'sum_over_time'].flatMap((f) =>
    ['1m', '5m'].map((r) => `${f}(st_gauge[${r}])`),
  ),
  'sum by (job) (rate(st_requests_total[1m]))',
  'rate(wv_r9[1m])',
  'increase(wv_r9[1m])',
  'delta(wv_r9[1m])',
  'wv_l2',
  'count_over_time(wv_l2[1m])',
];

describe('staleness conformance with a real Prometheus 2.42', () => {
  let prometheus: Prometheus;
  let ours: QueryApiServer;
  let markers: number[] = [];

  beforeAll(async () => {
    prometheus = await Prometheus.start('global:\n  scrape_interval: 1m\n', {
      args: ['--web.enable-remote-write-receiver'],
    });
    const data = dataset();
    await remoteWrite(prometheus.url, data);
    const store = new MemoryStore({ retentionMs: 30 * 86_400_000 });
    for (const s of data) {
      for (const [t, v] of s.samples) {
        if (v === 'stale') store.appendStale(s.labels, t);
        else store.append(s.labels, t, v);
      }
    }
    markers = data.flatMap((s) => s.samples.filter(([, v]) => v === 'stale').map(([t]) => t));
    ours = await QueryApiServer.start({ engine: new QueryEngine(store) });
  });

  afterAll(async () => {
    await ours?.close();
    await prometheus?.stop();
  });

  it('hides stale series at once and drops markers from ranges, exactly like Prometheus', async () => {
    const tally = newTally();
    const comparer = new Comparer(prometheus.url, ours.url, tally);
    const instants = [
      ...Array.from({ length: 40 }, (_, i) => T0 + 10_000 + i * 31_337),
      ...markers.slice(0, 20),
      ...markers.slice(0, 20).map((t) => t - 1),
      T0 + 29_000,
      T0 + 30_000,
      T0 + 45_000,
      T0 + 55_000,
    ];
    const requests: { path: string; params: Record<string, string>; tolerant: boolean }[] = [];
    for (const query of QUERIES) {
      for (const t of instants) {
        requests.push({
          path: '/api/v1/query',
          params: { query, time: (t / 1000).toFixed(3) },
          tolerant: orderDependent(query, false),
        });
      }
      for (const step of ['1', '15', '37']) {
        requests.push({
          path: '/api/v1/query_range',
          params: { query, start: `${T0 / 1000}`, end: `${(T0 + SPAN_MS + 6 * 60_000) / 1000}`, step },
          tolerant: orderDependent(query, true),
        });
      }
    }
    await pool(requests, 8, (r) => comparer.compare(r.path, r.params, r.tolerant));
    console.log(
      `staleness conformance: ${markers.length} staleness markers; ${requests.length} queries to each engine; ` +
        `${tally.comparisons} comparisons, ${tally.comparisons - tally.tolerated} required bit-identical, ` +
        `${tally.tolerated} order-dependent (of which ${tally.toleratedExact} bit-identical anyway); ${tally.mismatches.length} mismatches`,
    );
    expect(tally.mismatches.slice(0, 30)).toEqual([]);
    expect(markers.length).toBeGreaterThan(10);
  });
});
