/**
 * What the conformance test asks both engines: every worked vector of the reference (at its own time),
 * the Dynamo dashboard queries of spec §8.3–8.4 with Grafana variables substituted, and seeded random
 * combinations of every supported feature.
 */
import { INSTANCES, MODELS, T0 } from './dataset.js';
import { Random } from './random.js';

export interface CorpusQuery {
  readonly query: string;
  /** Instant evaluation times, ms; the shared default times when omitted. */
  readonly times?: readonly number[];
  /** Evaluate as range queries too (the shared ranges). */
  readonly range: boolean;
}

const at = (seconds: number) => T0 + seconds * 1000;

export function workedVectorQueries(): CorpusQuery[] {
  const out: CorpusQuery[] = [];
  const rid = (metric: string, range: string, t: number) => {
    for (const f of ['rate', 'increase', 'delta'])
      out.push({ query: `${f}(${metric}[${range}])`, times: [at(t)], range: false });
  };
  rid('wv_r1', '1m', 300);
  rid('wv_r1', '1m', 307);
  rid('wv_r3', '1m', 60);
  rid('wv_r4', '10m', 300);
  rid('wv_r4b', '10m', 300);
  rid('wv_r5', '5m', 300);
  rid('wv_r6', '2m', 100);
  rid('wv_r7', '5m', 3000);
  rid('wv_r8', '20m', 600);
  for (const [metric, range, t] of [
    ['wv_i1', '1m', 45],
    ['wv_i2', '1m', 30],
    ['wv_r6', '2m', 90],
    ['wv_i4', '1m', 30],
    ['wv_i5', '1m', 120],
  ] as const) {
    out.push({ query: `irate(${metric}[${range}])`, times: [at(t)], range: false });
    out.push({ query: `idelta(${metric}[${range}])`, times: [at(t)], range: false });
  }
  const qs = [
    '0',
    '0.05',
    '0.1',
    '0.25',
    '0.3',
    '0.5',
    '0.6',
    '0.75',
    '0.8',
    '0.9',
    '0.95',
    '0.99',
    '1',
    '-0.1',
    '1.1',
    '1.5',
    'NaN',
  ];
  for (const q of qs)
    out.push({ query: `histogram_quantile(${q}, wv_h_bucket)`, times: [at(0)], range: false });
  for (const q of [
    'rate(wv_p1_bucket[1m])',
    'histogram_quantile(0.5, rate(wv_p1_bucket{instance="a"}[1m]))',
    'sum by (le) (rate(wv_p1_bucket[1m]))',
    'histogram_quantile(0.9, sum by (le)(rate(wv_p1_bucket[1m])))',
    'histogram_quantile(0.5, wv_p1_bucket)',
  ]) {
    out.push({ query: q, times: [at(120)], range: false });
  }
  for (const q of [
    'sum by (job) (wv_x)',
    'sum without (instance) (wv_x)',
    'sum by (nonexistent) (wv_x)',
    'sum by (__name__) ({__name__=~"wv_x|wv_y",job="a"})',
    'sum without (job) ({__name__=~"wv_x|wv_y"})',
    'sum without () ({__name__=~"wv_m1|wv_m2"})',
    'sum by (set) (wv_s)',
    'avg by (set) (wv_s)',
    'sum(nonexistent)',
  ]) {
    out.push({ query: q, times: [at(0)], range: false });
  }
  out.push({ query: 'wv_l1', times: [at(299.999), at(300), at(300.001)], range: false });
  out.push({ query: 'count_over_time(wv_l1[5m])', times: [at(300)], range: false });
  return out;
}

export function dashboardQueries(): CorpusQuery[] {
  const model = MODELS[0];
  const ri = '1m';
  const m = `model="${model}"`;
  const h = (q: string, name: string, by = 'le', extra = m) =>
    `histogram_quantile(${q}, sum by (${by}) (rate(${name}_bucket{${extra}}[${ri}])))`;
  const avg = (name: string, extra = m) =>
    `sum(rate(${name}_sum{${extra}}[${ri}])) / clamp_min(sum(rate(${name}_count{${extra}}[${ri}])), 1)`;
  const ratio = (name: string) =>
    `sum(increase(${name}_sum{${m}}[1h])) / sum(increase(${name}_count{${m}}[1h]))`;
  const out: string[] = [
    `(sum(increase(dynamo_frontend_requests_total{${m}}[1h])) - (sum(increase(dynamo_frontend_requests_total{${m},error_type="internal"}[1h])) or vector(0))) / sum(increase(dynamo_frontend_requests_total{${m}}[1h])) * 100`,
    `sum(increase(dynamo_frontend_requests_total{${m}}[1h]))`,
    `sum(increase(dynamo_frontend_input_sequence_tokens_sum{${m}}[1h]))`,
    `sum(increase(dynamo_frontend_output_sequence_tokens_sum{${m}}[1h]))`,
    `${ratio('dynamo_frontend_time_to_first_token_seconds')} * 1000`,
    `${ratio('dynamo_frontend_inter_token_latency_seconds')} * 1000`,
    ratio('dynamo_frontend_request_duration_seconds'),
    `sum by(model) (rate(dynamo_frontend_requests_total{${m}}[${ri}]))`,
    `sum(rate(dynamo_frontend_requests_total{${m},status="success"}[${ri}]))`,
    `sum(dynamo_frontend_active_requests{${m}})`,
    `sum(dynamo_frontend_stage_requests{stage=~"preprocess|route|dispatch", ${m}})`,
    'dynamo_frontend_worker_active_decode_blocks',
    'dynamo_frontend_worker_active_prefill_tokens',
    avg('dynamo_component_router_kv_hit_rate', 'namespace="dynamo"'),
    `sum by (instance) (rate(dynamo_component_requests_total{${m}}[${ri}]))`,
    `sum by (instance) (rate(dynamo_component_cancellation_total{${m}}[${ri}]))`,
    `sum by (instance, error_type) (rate(dynamo_component_errors_total{${m}}[${ri}]))`,
    `sum by (instance) (rate(dynamo_component_request_duration_seconds_sum{${m}}[${ri}])) / clamp_min(sum by (instance) (rate(dynamo_component_request_duration_seconds_count{${m}}[${ri}])), 1)`,
    `rate(dynamo_component_response_bytes_total{dynamo_endpoint="generate", ${m}}[${ri}])`,
    `rate(dynamo_component_request_bytes_total{dynamo_endpoint="generate", ${m}}[${ri}])`,
    // Disaggregated dashboard (§8.4), namespace substituted.
    'sum by (request_type, status) (rate(dynamo_frontend_requests_total{namespace="dynamo"}[30s]))',
    '1000 * rate(dynamo_frontend_time_to_first_token_seconds_sum{namespace="dynamo"}[5m]) / rate(dynamo_frontend_time_to_first_token_seconds_count{namespace="dynamo"}[5m])',
    '1000 * rate(dynamo_frontend_request_duration_seconds_sum{namespace="dynamo"}[5m]) / rate(dynamo_frontend_request_duration_seconds_count{namespace="dynamo"}[5m])',
    '1000 * rate(dynamo_frontend_inter_token_latency_seconds_sum{namespace="dynamo"}[5m]) / rate(dynamo_frontend_inter_token_latency_seconds_count{namespace="dynamo"}[5m])',
    'rate(dynamo_frontend_input_sequence_tokens_sum{namespace="dynamo"}[5m]) / rate(dynamo_frontend_input_sequence_tokens_count{namespace="dynamo"}[5m])',
    'rate(dynamo_frontend_output_sequence_tokens_sum{namespace="dynamo"}[5m]) / rate(dynamo_frontend_output_sequence_tokens_count{namespace="dynamo"}[5m])',
    'dynamo_frontend_queued_requests{namespace="dynamo"}',
    'rate(dynamo_component_request_duration_seconds_sum{dynamo_component="prefill",dynamo_endpoint="generate"}[5m]) / rate(dynamo_component_request_duration_seconds_count{dynamo_component="prefill",dynamo_endpoint="generate"}[5m])',
    'histogram_quantile(0.99, sum by (le) (rate(dynamo_component_request_duration_seconds_bucket{dynamo_component="prefill",dynamo_endpoint="generate"}[5m])))',
    'sum(rate(dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate"}[5m]))',
    'dynamo_component_gpu_cache_usage_percent{dynamo_component="backend"}',
    'dynamo_component_total_blocks{dynamo_component="backend"}',
    'DCGM_FI_DEV_GPU_UTIL',
    'rate(DCGM_FI_PROF_NVLINK_TX_BYTES[1m]) / 1e9',
    'DCGM_FI_DEV_FB_USED / 1024',
    'sum by (instance) (rate(container_cpu_usage_seconds_total[5m]))',
  ];
  for (const q of ['0.5', '0.9', '0.99', '1.0']) {
    out.push(h(q, 'dynamo_frontend_request_duration_seconds'));
    out.push(`${h(q, 'dynamo_frontend_time_to_first_token_seconds')} * 1000`);
    out.push(`${h(q, 'dynamo_frontend_inter_token_latency_seconds')} * 1000`);
    out.push(h(q, 'dynamo_frontend_input_sequence_tokens'));
    out.push(h(q, 'dynamo_frontend_output_sequence_tokens'));
    out.push(h(q, 'dynamo_frontend_cached_tokens'));
    out.push(h(q, 'dynamo_component_request_duration_seconds', 'instance, le'));
  }
  for (const q of ['0.5', '0.9', '1.0'])
    out.push(h(q, 'dynamo_component_router_kv_hit_rate', 'le', 'namespace="dynamo"'));
  for (const part of ['block_hashing', 'indexer_find_matches', 'seq_hashing', 'scheduling', 'total']) {
    out.push(avg(`dynamo_router_overhead_${part}_ms`, 'namespace="dynamo"'));
    for (const q of ['0.5', '0.9'])
      out.push(h(q, `dynamo_router_overhead_${part}_ms`, 'le', 'namespace="dynamo"'));
  }
  for (const name of [
    'dynamo_frontend_request_duration_seconds',
    'dynamo_frontend_time_to_first_token_seconds',
    'dynamo_frontend_inter_token_latency_seconds',
    'dynamo_frontend_input_sequence_tokens',
    'dynamo_frontend_output_sequence_tokens',
    'dynamo_frontend_cached_tokens',
  ]) {
    out.push(avg(name));
  }
  for (const error_type of [
    'cancelled',
    'validation',
    'not_found',
    'not_implemented',
    'overload',
    'internal',
  ]) {
    out.push(
      `sum(rate(dynamo_frontend_requests_total{${m},status="error",error_type="${error_type}"}[${ri}]))`,
    );
  }
  for (const [event_type, status] of [
    ['stored', 'ok'],
    ['stored', 'parent_block_not_found'],
    ['stored', 'invalid_block'],
    ['removed', 'ok'],
    ['removed', 'block_not_found'],
    ['cleared', 'ok'],
  ]) {
    out.push(
      `sum(rate(dynamo_component_kv_cache_events_applied{event_type="${event_type}", status="${status}"}[${ri}]))`,
    );
  }
  return out.map((query) => ({ query, range: true }));
}

const COUNTERS = [
  'dynamo_frontend_requests_total',
  'dynamo_component_requests_total',
  'dynamo_component_response_bytes_total',
  'dynamo_component_kv_cache_events_applied',
  'container_cpu_usage_seconds_total',
  'conformance_mixed_bucket',
];
const GAUGES = [
  'dynamo_frontend_active_requests',
  'dynamo_frontend_stage_requests',
  'dynamo_component_gpu_cache_usage_percent',
  'dynamo_frontend_worker_active_decode_blocks',
  'conformance_special',
  'DCGM_FI_DEV_GPU_UTIL',
];
const HISTOGRAMS = [
  'dynamo_frontend_time_to_first_token_seconds',
  'dynamo_frontend_request_duration_seconds',
  'dynamo_component_request_duration_seconds',
  'dynamo_frontend_input_sequence_tokens',
];
const LABELS = [
  'model',
  'instance',
  'job',
  'status',
  'stage',
  'dynamo_component',
  'kind',
  'le',
  'error_type',
];
const RANGE_FUNCS = [
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
];
const RANGES = ['30s', '1m', '2m', '5m', '10m', '1m30s'];
const AGGS = ['sum', 'avg', 'min', 'max', 'count'];

/** Seeded random expressions combining selectors, functions, aggregations and operators. */
export class ExpressionGenerator {
  readonly #rng: Random;

  constructor(seed: number) {
    this.#rng = new Random(seed);
  }

  matchers(): string {
    const r = this.#rng;
    const parts: string[] = [];
    if (r.chance(0.3)) parts.push(`model${r.pick(['=', '!='])}"${r.pick(MODELS)}"`);
    if (r.chance(0.2))
      parts.push(`instance=~"${r.pick(INSTANCES).replace(/\./g, '\\\\.')}|10\\\\.0\\\\.0\\\\.3.*"`);
    if (r.chance(0.15)) parts.push(`job!~"dynamo-f.*"`);
    if (r.chance(0.1)) parts.push(`status=~"succ.+|"`);
    return parts.length === 0 ? '' : `{${parts.join(', ')}}`;
  }

  offset(): string {
    const r = this.#rng;
    return r.chance(0.15) ? ` offset ${r.pick(['1m', '5m', '30s', '-1m', '90s'])}` : '';
  }

  selector(): string {
    return `${this.#rng.pick([...COUNTERS, ...GAUGES])}${this.matchers()}${this.offset()}`;
  }

  rangeCall(): string {
    const r = this.#rng;
    const metric = r.chance(0.7) ? r.pick(COUNTERS) : r.pick(GAUGES);
    return `${r.pick(RANGE_FUNCS)}(${metric}${this.matchers()}[${r.pick(RANGES)}]${this.offset()})`;
  }

  grouping(): string {
    const r = this.#rng;
    if (r.chance(0.3)) return '';
    return ` ${r.pick(['by', 'without'])} (${r.subset(LABELS, 2).join(', ')})`;
  }

  scalar(depth: number): string {
    const r = this.#rng;
    const choice = r.int(0, depth > 0 ? 4 : 2);
    switch (choice) {
      case 0:
        return r.pick(['2', '0.5', '100', '-1', '1e-3', '0', '3']);
      case 1:
        return 'time()';
      case 2:
        return r.pick(['1', '10', '0.25']);
      case 3:
        return `scalar(${this.vector(depth - 1)})`;
      default:
        return `(${this.scalar(depth - 1)} ${r.pick(['+', '-', '*', '/'])} ${this.scalar(depth - 1)})`;
    }
  }

  vector(depth: number): string {
    const r = this.#rng;
    if (depth <= 0) return r.chance(0.6) ? this.rangeCall() : this.selector();
    switch (r.int(0, 10)) {
      case 0:
        return this.selector();
      case 1:
        return this.rangeCall();
      case 2:
        return `${r.pick(AGGS)}${this.grouping()} (${this.vector(depth - 1)})`;
      case 3:
        return `${r.pick(['topk', 'bottomk'])}(${r.int(1, 3)}, ${this.vector(depth - 1)})`;
      case 4: {
        const op = r.pick(['+', '-', '*', '/', '%', '>', '<', '>=', '==', '!=', '^']);
        const bool = ['>', '<', '>=', '==', '!='].includes(op) && r.chance(0.4) ? ' bool' : '';
        const s = op === '^' ? r.pick(['2', '0.5', '3']) : this.scalar(depth - 1);
        return r.chance(0.5)
          ? `${this.vector(depth - 1)} ${op}${bool} ${s}`
          : `${s} ${op}${bool} ${this.vector(depth - 1)}`;
      }
      case 5:
        return this.vectorPair(depth);
      case 6: {
        const f = r.pick(['abs', 'clamp_min', 'clamp_max']);
        const inner = this.vector(depth - 1);
        return f === 'abs' ? `abs(${inner})` : `${f}(${inner}, ${r.pick(['0', '1', '10', '-5'])})`;
      }
      case 7: {
        const h = r.pick(HISTOGRAMS);
        const by = r.chance(0.5) ? 'le' : `le, ${r.pick(['model', 'instance'])}`;
        const q = r.pick(['0.5', '0.9', '0.99', '0', '1', '0.25']);
        return r.chance(0.7)
          ? `histogram_quantile(${q}, sum by (${by}) (rate(${h}_bucket${this.matchers()}[${r.pick(RANGES)}])))`
          : `histogram_quantile(${q}, rate(${h}_bucket${this.matchers()}[${r.pick(RANGES)}]))`;
      }
      case 8:
        return `vector(${this.scalar(depth - 1)})`;
      case 9:
        return `-${this.vector(depth - 1)}`;
      default:
        return `(${this.vector(depth - 1)})`;
    }
  }

  vectorPair(depth: number): string {
    const r = this.#rng;
    const lhs = `${r.pick(AGGS)} by (model, instance) (${this.rangeCall()})`;
    const rhs = `${r.pick(AGGS)} by (${r.pick(['model', 'instance', 'model, instance'])}) (${depth > 1 ? this.vector(depth - 2) : this.rangeCall()})`;
    const op = r.pick(['+', '/', '*', '-', '>', 'and', 'or', 'unless', '<=']);
    const set = ['and', 'or', 'unless'].includes(op);
    const matching = r.pick([
      '',
      ' on (model)',
      ' ignoring (instance)',
      ' on (model, instance)',
      ' on (model) group_left',
      ' on (model) group_left (instance)',
    ]);
    const usable = set ? matching.replace(/ group_left.*$/, '') : matching;
    const bool = !set && ['>', '<='].includes(op) && r.chance(0.5) ? ' bool' : '';
    return `${lhs} ${op}${bool}${usable} ${rhs}`;
  }
}

export function randomQueries(count: number, seed = 7): CorpusQuery[] {
  const g = new ExpressionGenerator(seed);
  const out: CorpusQuery[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const query = g.vector(3);
    if (seen.has(query)) continue;
    seen.add(query);
    out.push({ query, range: true });
  }
  return out;
}
