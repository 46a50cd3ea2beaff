/**
 * Conformance with a real Prometheus 2.42: the same data goes into Prometheus (as TSDB blocks made by
 * `promtool tsdb create-blocks-from openmetrics`, so timestamps are exact) and into our store; a corpus of
 * queries is asked of both over HTTP at many instants and ranges, and every sample must be bit-identical.
 * See `conformance/order.ts` for the one documented exception (sums in an order Prometheus leaves random).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryApiServer } from '../../src/query/api/server.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { MemoryStore } from '../../src/query/storage/store.js';
import { Prometheus } from '../helpers/prometheus.js';
import { requireTool, run } from '../helpers/tools.js';
import { Comparer, newTally, pool } from './conformance/compare.js';
import {
  type CorpusQuery,
  dashboardQueries,
  randomQueries,
  workedVectorQueries,
} from './conformance/corpus.js';
import { generateDataset, loadInto, SPAN_MS, T0, toOpenMetrics } from './conformance/dataset.js';
import { orderDependent } from './conformance/order.js';

const INSTANTS = [
  T0 + 4 * 60_000 + 321,
  T0 + 17 * 60_000 + 23_456,
  T0 + 30 * 60_000,
  T0 + 45 * 60_000 + 7_500,
  T0 + SPAN_MS,
  T0 + SPAN_MS + 3 * 60_000 + 1,
  T0 + SPAN_MS + 7 * 60_000,
];
const RANGES = [
  { start: T0, end: T0 + SPAN_MS + 6 * 60_000, step: 60_000 },
  { start: T0 + 10 * 60_000 + 500, end: T0 + 40 * 60_000, step: 37_000 },
  { start: T0 + 20 * 60_000, end: T0 + 23 * 60_000, step: 1_000 },
];
const RANDOM_QUERIES = 400;

const seconds = (ms: number) => (ms / 1000).toFixed(3);

describe('conformance with a real Prometheus 2.42', () => {
  let dir: string;
  let prometheus: Prometheus;
  let ours: QueryApiServer;
  let samples = 0;

  beforeAll(async () => {
    const promtool = requireTool('promtool', 'prometheus');
    dir = await mkdtemp(join(tmpdir(), 'dynametrics-conformance-'));
    const data = generateDataset();
    await writeFile(join(dir, 'data.om'), toOpenMetrics(data));
    const blocks = await run(promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(dir, 'data.om'),
      join(dir, 'tsdb'),
    ]);
    if (blocks.code !== 0) throw new Error(`promtool failed:\n${blocks.stdout}${blocks.stderr}`);
    prometheus = await Prometheus.start('global:\n  scrape_interval: 1m\n', { tsdbPath: join(dir, 'tsdb') });
    const store = new MemoryStore({ retentionMs: 30 * 86_400_000 });
    samples = loadInto(store, data);
    ours = await QueryApiServer.start({ engine: new QueryEngine(store) });
  });

  afterAll(async () => {
    await ours?.close();
    await prometheus?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('gives bit-identical answers for the worked vectors, the Dynamo dashboards and random queries', async () => {
    const tally = newTally();
    const comparer = new Comparer(prometheus.url, ours.url, tally);
    const corpus: CorpusQuery[] = [
      ...workedVectorQueries(),
      ...dashboardQueries(),
      ...randomQueries(RANDOM_QUERIES),
    ];
    const requests: { path: string; params: Record<string, string>; tolerant: boolean }[] = [];
    for (const q of corpus) {
      for (const t of q.times ?? INSTANTS) {
        requests.push({
          path: '/api/v1/query',
          params: { query: q.query, time: seconds(t) },
          tolerant: orderDependent(q.query, false),
        });
      }
      if (!q.range) continue;
      for (const r of RANGES) {
        requests.push({
          path: '/api/v1/query_range',
          params: { query: q.query, start: seconds(r.start), end: seconds(r.end), step: `${r.step / 1000}` },
          tolerant: orderDependent(q.query, true),
        });
      }
    }
    const started = performance.now();
    await pool(requests, 8, (r) => comparer.compare(r.path, r.params, r.tolerant));
    const seconds_ = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `conformance: ${samples} samples loaded; ${corpus.length} expressions, ${requests.length} queries to each engine in ${seconds_} s; ` +
        `${tally.comparisons} comparisons, ${tally.comparisons - tally.tolerated} required bit-identical, ` +
        `${tally.tolerated} order-dependent (of which ${tally.toleratedExact} bit-identical anyway); ` +
        `${tally.mismatches.length} mismatches`,
    );
    expect(tally.mismatches.slice(0, 30)).toEqual([]);
    expect(tally.comparisons).toBeGreaterThan(50_000);
  });
});
