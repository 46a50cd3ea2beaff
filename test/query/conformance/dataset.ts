/**
 * The conformance data set: Dynamo metric families (counters with resets, gauges with NaN and ±Inf,
 * histograms with `le="1"`/`le="1.0"` variants), series that start late or stop early, jittered and missing
 * scrapes, plus the reference's worked vectors shifted to the same epoch. Written once as OpenMetrics for
 * `promtool tsdb create-blocks-from openmetrics`, and loaded sample for sample into our store, with the
 * timestamps promtool will compute (`int64(seconds × 1000)`).
 */
import { labelsFromRecord } from '../../../src/query/labels.js';
import type { MemoryStore } from '../../../src/query/storage/store.js';
import { Random } from './random.js';
import { workedVectorSeries } from './worked-vector-data.js';

export interface DataSeries {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** [ms, value] in increasing time. */
  readonly samples: [number, number][];
}

/** Start of the data, ms (2023-11-14T22:13:20Z). */
export const T0 = 1_700_000_000_000;
/** Length of the generated data, ms. */
export const SPAN_MS = 60 * 60_000;
export const SCRAPE_MS = 15_000;

export const MODELS = ['llama-3-8b', 'qwen-7b'];
export const INSTANCES = ['10.0.0.1:8000', '10.0.0.2:8000', '10.0.0.3:8000'];
const BUCKETS_SECONDS = ['0.005', '0.01', '0.05', '0.1', '0.5', '1.0', '2.5', '10.0', '+Inf'];
const BUCKETS_TOKENS = ['16.0', '64.0', '256.0', '1024.0', '4096.0', '+Inf'];
const BUCKETS_RATIO = ['0.1', '0.3', '0.5', '0.7', '0.9', '1.0', '+Inf'];

/** Sample times of one scrape series: 15 s apart with jitter, some missing, maybe a late start or early end. */
function scrapeTimes(rng: Random): number[] {
  const start = rng.chance(0.1) ? rng.int(5, 20) * 60_000 : 0;
  const end = rng.chance(0.1) ? rng.int(35, 55) * 60_000 : SPAN_MS;
  const phase = rng.int(0, 14_999);
  const times: number[] = [];
  for (let t = start + phase; t <= end; t += SCRAPE_MS) {
    if (rng.chance(0.03)) continue;
    times.push(T0 + t + rng.int(-400, 400));
  }
  return times;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

function counter(rng: Random, rate: number): (i: number) => number {
  let value = rng.int(0, 1000);
  return () => {
    if (rng.chance(0.01)) value = 0;
    value += rng.int(0, Math.ceil(rate * 30));
    return value;
  };
}

function gauge(rng: Random, level: number): () => number {
  let value = level;
  return () => {
    value = Math.max(0, round3(value + (rng.next() - 0.5) * level * 0.2));
    return value;
  };
}

export function generateDataset(seed = 42): DataSeries[] {
  const rng = new Random(seed);
  const out: DataSeries[] = [];
  const add = (name: string, labels: Record<string, string>, next: (i: number) => number) => {
    const samples = scrapeTimes(rng).map((t, i) => [t, next(i)] as [number, number]);
    if (samples.length > 0) out.push({ name, labels, samples });
  };
  const histogram = (
    name: string,
    labels: Record<string, string>,
    bounds: readonly string[],
    scale: number,
  ) => {
    const times = scrapeTimes(rng);
    const counts = bounds.map(() => 0);
    let sum = 0;
    const perBucket: [number, number][][] = bounds.map(() => []);
    const sums: [number, number][] = [];
    const resetAt = rng.chance(0.15) ? rng.int(20, times.length - 1) : -1;
    times.forEach((t, i) => {
      if (i === resetAt) {
        counts.fill(0);
        sum = 0;
      }
      const n = rng.int(0, 12);
      for (let k = 0; k < n; k++) {
        const b = Math.min(bounds.length - 1, Math.floor(rng.next() ** 1.5 * bounds.length));
        for (let j = b; j < bounds.length; j++) counts[j]++;
        sum = round3(sum + rng.next() * scale);
      }
      for (let j = 0; j < bounds.length; j++) perBucket[j].push([t, counts[j]]);
      sums.push([t, sum]);
    });
    if (times.length === 0) return;
    for (const [j, le] of bounds.entries()) {
      out.push({ name: `${name}_bucket`, labels: { ...labels, le }, samples: perBucket[j] });
    }
    out.push({ name: `${name}_sum`, labels, samples: sums });
    out.push({ name: `${name}_count`, labels, samples: perBucket[bounds.length - 1] });
  };

  const frontend = { job: 'dynamo-frontend', namespace: 'dynamo' };
  for (const model of MODELS) {
    for (const instance of INSTANCES.slice(0, 2)) {
      const base = { ...frontend, instance, model };
      add(
        'dynamo_frontend_requests_total',
        { ...base, status: 'success', request_type: 'stream' },
        counter(rng, 5),
      );
      for (const error_type of ['cancelled', 'internal', 'validation', 'overload']) {
        add(
          'dynamo_frontend_requests_total',
          { ...base, status: 'error', error_type, request_type: 'stream' },
          counter(rng, 0.2),
        );
      }
      add('dynamo_frontend_active_requests', base, gauge(rng, 20));
      add('dynamo_frontend_queued_requests', base, gauge(rng, 5));
      for (const stage of ['preprocess', 'route', 'dispatch', 'postprocess']) {
        add('dynamo_frontend_stage_requests', { ...base, stage }, gauge(rng, 3));
      }
      histogram('dynamo_frontend_time_to_first_token_seconds', base, BUCKETS_SECONDS, 0.8);
      histogram('dynamo_frontend_inter_token_latency_seconds', base, BUCKETS_SECONDS, 0.05);
      histogram('dynamo_frontend_request_duration_seconds', base, BUCKETS_SECONDS, 6);
      histogram('dynamo_frontend_input_sequence_tokens', base, BUCKETS_TOKENS, 2000);
      histogram('dynamo_frontend_output_sequence_tokens', base, BUCKETS_TOKENS, 500);
      histogram('dynamo_frontend_cached_tokens', base, BUCKETS_TOKENS, 300);
    }
    for (const instance of INSTANCES) {
      for (const dynamo_component of ['backend', 'prefill']) {
        const base = {
          job: 'dynamo-backend',
          namespace: 'dynamo',
          instance,
          model,
          dynamo_component,
          dynamo_endpoint: 'generate',
        };
        add('dynamo_component_requests_total', base, counter(rng, 2));
        add('dynamo_component_cancellation_total', base, counter(rng, 0.1));
        add('dynamo_component_errors_total', { ...base, error_type: 'generate' }, counter(rng, 0.05));
        add('dynamo_component_response_bytes_total', base, counter(rng, 50_000));
        add('dynamo_component_request_bytes_total', base, counter(rng, 10_000));
        add('dynamo_component_gpu_cache_usage_percent', base, gauge(rng, 0.6));
        add('dynamo_component_total_blocks', base, () => 8192);
        histogram('dynamo_component_request_duration_seconds', base, BUCKETS_SECONDS, 4);
      }
    }
  }
  for (const instance of INSTANCES) {
    const base = { job: 'dynamo-frontend', namespace: 'dynamo', instance };
    for (const [worker_id, dp_rank] of [
      ['w1', '0'],
      ['w2', '1'],
    ]) {
      const w = { ...base, worker_id, dp_rank, worker_type: 'decode' };
      add('dynamo_frontend_worker_active_decode_blocks', w, gauge(rng, 400));
      add('dynamo_frontend_worker_active_prefill_tokens', w, gauge(rng, 3000));
    }
    histogram('dynamo_component_router_kv_hit_rate', base, BUCKETS_RATIO, 1);
    for (const part of ['block_hashing', 'indexer_find_matches', 'seq_hashing', 'scheduling', 'total']) {
      histogram(`dynamo_router_overhead_${part}_ms`, base, ['0.1', '0.5', '1.0', '5.0', '+Inf'], 2);
    }
    for (const [event_type, status] of [
      ['stored', 'ok'],
      ['stored', 'parent_block_not_found'],
      ['removed', 'ok'],
      ['cleared', 'ok'],
    ]) {
      add('dynamo_component_kv_cache_events_applied', { ...base, event_type, status }, counter(rng, 10));
    }
    add('DCGM_FI_DEV_GPU_UTIL', { ...base, gpu: '0' }, gauge(rng, 70));
    add('DCGM_FI_PROF_NVLINK_TX_BYTES', { ...base, gpu: '0' }, counter(rng, 1e9));
    add('DCGM_FI_DEV_FB_USED', { ...base, gpu: '0' }, gauge(rng, 40_000));
    add('container_cpu_usage_seconds_total', { ...base, container: 'worker' }, counter(rng, 3));
  }
  // Values Prometheus treats specially: NaN, ±Inf, -0 and huge magnitudes.
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, -1e-300, 0.1];
  for (const kind of ['a', 'b']) {
    add('conformance_special', { kind }, () =>
      rng.chance(0.2) ? rng.pick(specials) : round3(rng.next() * 10),
    );
  }
  // Buckets written both as `1` and `1.0`: Prometheus coalesces them in histogram_quantile.
  for (const le of ['0.5', '1', '1.0', '+Inf']) {
    add('conformance_mixed_bucket', { le }, counter(rng, le === '+Inf' ? 8 : 2));
  }
  return [...out, ...workedVectorSeries(T0)];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function omValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** Seconds with millisecond digits, as written into the OpenMetrics file. */
function omTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** The timestamp promtool stores for what {@link omTime} wrote: `int64(seconds × 1000)`. */
export function promtoolMs(ms: number): number {
  return Math.trunc(Number(omTime(ms)) * 1000);
}

/** The data set as an OpenMetrics file (families grouped by name, each series in time order). */
export function toOpenMetrics(data: readonly DataSeries[]): string {
  const byName = new Map<string, DataSeries[]>();
  for (const s of data) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, series] of byName) {
    for (const s of series) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      const prefix = labels === '' ? name : `${name}{${labels}}`;
      for (const [t, v] of s.samples) lines.push(`${prefix} ${omValue(v)} ${omTime(t)}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

/** Loads the same samples into our store. */
export function loadInto(store: MemoryStore, data: readonly DataSeries[]): number {
  let n = 0;
  for (const s of data) {
    const labels = labelsFromRecord({ ...s.labels, __name__: s.name });
    for (const [t, v] of s.samples) {
      store.append(labels, promtoolMs(t), v);
      n++;
    }
  }
  return n;
}
