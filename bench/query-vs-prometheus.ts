/**
 * Embedded query engine vs Prometheus 2.42 on the same data: 1,000 series over 2 hours at 5 s (500
 * histogram buckets `x_bucket`, 500 counters `y_total`), loaded into Prometheus as TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics` and into our store sample by sample. Both answer the same
 * range queries over HTTP (many repetitions, median reported); we also report our in-process latency and
 * bytes per stored sample on both sides. Results go to bench/results/query-latest.json.
 *
 * Run: npm run bench:query   (needs prometheus and promtool: apt-get install prometheus)
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryApiServer } from '../src/query/api/server.js';
import { QueryEngine } from '../src/query/engine/engine.js';
import { labelsFromRecord } from '../src/query/labels.js';
import { MemoryStore } from '../src/query/storage/store.js';
import { Prometheus } from '../test/helpers/prometheus.js';
import { requireTool, run } from '../test/helpers/tools.js';

const T0 = 1_700_006_400_000; // a 2 h block boundary
const SPAN_MS = 2 * 3600_000;
const STEP_MS = 5_000;
const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1.0', '2.5', '+Inf'];
const INSTANCES = 50;
const MODELS = 10;
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 30);
const QUERIES = [
  {
    name: 'histogram_quantile p99 of x',
    query: 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))',
  },
  { name: 'sum by model of rate(y)', query: 'sum by (model) (rate(y_total[1m]))' },
];
const RANGES = [
  { name: '2h @ 15s', start: T0 + 5 * 60_000, end: T0 + SPAN_MS, step: 15_000 },
  { name: '2h @ 60s', start: T0 + 5 * 60_000, end: T0 + SPAN_MS, step: 60_000 },
];

interface Series {
  readonly labels: Record<string, string>;
  readonly values: Float64Array;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(): Series[] {
  const rnd = random(1);
  const steps = SPAN_MS / STEP_MS;
  const out: Series[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const counts = BUCKETS.map(() => new Float64Array(steps));
    let cumulative = BUCKETS.map(() => 0);
    for (let s = 0; s < steps; s++) {
      const n = Math.floor(rnd() * 20);
      for (let k = 0; k < n; k++) {
        const b = Math.min(BUCKETS.length - 1, Math.floor(rnd() ** 2 * BUCKETS.length));
        cumulative = cumulative.map((c, j) => (j >= b ? c + 1 : c));
      }
      for (let j = 0; j < BUCKETS.length; j++) counts[j][s] = cumulative[j];
    }
    for (const [j, le] of BUCKETS.entries()) {
      out.push({ labels: { __name__: 'x_bucket', instance: `i${i}`, le }, values: counts[j] });
    }
  }
  for (let m = 0; m < MODELS; m++) {
    for (let i = 0; i < INSTANCES; i++) {
      const values = new Float64Array(steps);
      let v = 0;
      for (let s = 0; s < steps; s++) {
        v += Math.floor(rnd() * 100);
        values[s] = v;
      }
      out.push({ labels: { __name__: 'y_total', model: `m${m}`, instance: `i${i}` }, values });
    }
  }
  return out;
}

function openMetrics(series: readonly Series[]): string {
  const chunks: string[] = [];
  for (const s of series) {
    const { __name__, ...rest } = s.labels;
    const prefix = `${__name__}{${Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`;
    const lines: string[] = [];
    for (const [i, v] of s.values.entries()) lines.push(`${prefix} ${v} ${(T0 + i * STEP_MS) / 1000}`);
    chunks.push(lines.join('\n'));
  }
  return `${chunks.join('\n')}\n# EOF\n`;
}

async function dirSize(path: string, match: (name: string) => boolean): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) total += await dirSize(p, match);
    else if (match(p)) total += (await stat(p)).size;
  }
  return total;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeHttp(base: string, params: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPETITIONS + 3; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/v1/query_range?${new URLSearchParams(params)}`);
    const body = await res.text();
    if (!res.ok || !body.startsWith('{"status":"success"')) throw new Error(`${base}: ${body.slice(0, 200)}`);
    if (i >= 3) times.push(performance.now() - t);
  }
  return times;
}

async function prometheusVersion(): Promise<string> {
  const r = await run(requireTool('prometheus', 'prometheus'), ['--version']);
  return `${r.stdout}${r.stderr}`.split('\n')[0];
}

async function main(): Promise<void> {
  const promtool = requireTool('promtool', 'prometheus');
  const dir = await mkdtemp(join(tmpdir(), 'dynametrics-bench-'));
  let prometheus: Prometheus | undefined;
  let ours: QueryApiServer | undefined;
  let oursCold: QueryApiServer | undefined;
  try {
    const series = generate();
    const samples = series.reduce((n, s) => n + s.values.length, 0);
    await writeFile(join(dir, 'data.om'), openMetrics(series));
    const blocks = await run(promtool, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(dir, 'data.om'),
      join(dir, 'tsdb'),
    ]);
    if (blocks.code !== 0) throw new Error(blocks.stderr);
    prometheus = await Prometheus.start('global:\n  scrape_interval: 1m\n', { tsdbPath: join(dir, 'tsdb') });
    const promChunkBytes = await dirSize(join(dir, 'tsdb'), (p) => /\/chunks\/\d+$/.test(p));
    const promBlockBytes = await dirSize(join(dir, 'tsdb'), (p) => /\/(chunks\/\d+|index)$/.test(p));

    const load = (decodedCacheBytes: number) => {
      const store = new MemoryStore({ retentionMs: 7 * 86_400_000, maxBytes: 1024 ** 3, decodedCacheBytes });
      for (const s of series) {
        const target = store.series(labelsFromRecord(s.labels));
        for (const [i, v] of s.values.entries()) store.appendTo(target, T0 + i * STEP_MS, v);
      }
      return store;
    };
    const loadStart = performance.now();
    const store = load(64 * 1024 * 1024);
    const loadMs = performance.now() - loadStart;
    const stats = store.stats();
    const engine = new QueryEngine(store);
    ours = await QueryApiServer.start({ engine });
    // The same data without the decoded-chunk cache: every query decodes every chunk, as Prometheus does.
    const coldStore = load(0);
    oursCold = await QueryApiServer.start({ engine: new QueryEngine(coldStore) });

    const results = [];
    for (const q of QUERIES) {
      for (const r of RANGES) {
        const params = {
          query: q.query,
          start: `${r.start / 1000}`,
          end: `${r.end / 1000}`,
          step: `${r.step / 1000}`,
        };
        const promMs = median(await timeHttp(prometheus.url, params));
        const oursMs = median(await timeHttp(ours.url, params));
        const coldMs = median(await timeHttp(oursCold.url, params));
        const inProcess: number[] = [];
        for (let i = 0; i < REPETITIONS; i++) {
          const t = performance.now();
          await engine.rangeQuery(q.query, r.start, r.end, r.step);
          inProcess.push(performance.now() - t);
        }
        const row = {
          query: q.query,
          range: r.name,
          prometheusHttpMs: Number(promMs.toFixed(2)),
          oursHttpMs: Number(oursMs.toFixed(2)),
          oursInProcessMs: Number(median(inProcess).toFixed(2)),
          oursNoDecodedCacheHttpMs: Number(coldMs.toFixed(2)),
          ratio: Number((oursMs / promMs).toFixed(2)),
          ratioNoDecodedCache: Number((coldMs / promMs).toFixed(2)),
        };
        results.push(row);
        console.log(
          `${q.name.padEnd(30)} ${r.name.padEnd(9)} prometheus ${row.prometheusHttpMs} ms, ours ${row.oursHttpMs} ms (${row.ratio}x; ` +
            `${row.oursNoDecodedCacheHttpMs} ms = ${row.ratioNoDecodedCache}x without the decoded-chunk cache), in-process ${row.oursInProcessMs} ms`,
        );
      }
    }
    const report = {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
      node: process.version,
      prometheus: await prometheusVersion(),
      data: {
        series: series.length,
        samples,
        spanHours: SPAN_MS / 3600_000,
        intervalSeconds: STEP_MS / 1000,
      },
      repetitions: REPETITIONS,
      storage: {
        oursSampleBytes: stats.sampleBytes,
        oursBytesPerSample: Number(stats.bytesPerSample.toFixed(3)),
        oursMemoryBytes: stats.memoryBytes,
        oursMemoryBytesPerSample: Number((stats.memoryBytes / samples).toFixed(3)),
        oursLoadMs: Number(loadMs.toFixed(0)),
        prometheusChunkBytes: promChunkBytes,
        prometheusChunkBytesPerSample: Number((promChunkBytes / samples).toFixed(3)),
        prometheusBlockBytesPerSample: Number((promBlockBytes / samples).toFixed(3)),
      },
      queries: results,
    };
    console.log(JSON.stringify(report.storage, null, 2));
    const out = join(process.cwd(), 'bench', 'results', 'query-latest.json');
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`saved ${out}`);
  } finally {
    await ours?.close();
    await oursCold?.close();
    await prometheus?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
