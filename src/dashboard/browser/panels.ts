/**
 * The dashboard's panels as data: one table drives the page (and `dynametrics top` reuses its query
 * builders). The panels are those of the Dynamo dashboard (reference spec §8.3: overview, frontend and
 * worker rows) plus engine panels (KV cache usage, running and waiting requests). Queries are PromQL with
 * Grafana-style variables, expanded by {@link expandQuery}: `$model` (a regex, `.*` for every model),
 * `$__range` and `$__rate_interval`.
 *
 * Deliberate difference from the upstream dashboard: averages divide by the request rate itself, not by
 * `clamp_min(rate, 1)`, which understates every average while traffic is below one request per second.
 *
 * No DOM and no Node here: the browser imports this module as it is, and so does the CLI.
 */

/** How a panel's values are shown. */
export type Unit = 'percent' | 'count' | 'tokens' | 'seconds' | 'ms' | 'reqps' | 'bytesps' | 'fraction';

export interface PanelQuery {
  readonly expr: string;
  /** Series name, with `{{label}}` replaced by the series' label value. */
  readonly legend: string;
}

export type Row = 'Overview' | 'Frontend' | 'Workers' | 'Engine';

export interface Panel {
  readonly id: string;
  readonly title: string;
  readonly row: Row;
  /** `stat`: one number over the whole range (instant query); `timeseries`: a chart (range query). */
  readonly kind: 'stat' | 'timeseries';
  readonly unit: Unit;
  readonly queries: readonly PanelQuery[];
}

/** The model filter every Dynamo query carries. */
const MODEL = 'model=~"$model"';
const WINDOW = '[$__rate_interval]';

function selector(metric: string, extra = ''): string {
  return `${metric}{${MODEL}${extra === '' ? '' : `,${extra}`}}`;
}

/** `sum by (…) (rate(metric{…}[window]))`. */
export function rateSum(metric: string, by: readonly string[] = [], extra = '', window = WINDOW): string {
  const grouping = by.length === 0 ? '' : ` by (${by.join(', ')})`;
  return `sum${grouping} (rate(${selector(metric, extra)}${window}))`;
}

/** The q-quantile of a histogram over the window, per group of `by`. */
export function quantile(q: number, histogram: string, by: readonly string[] = [], window = WINDOW): string {
  return `histogram_quantile(${q}, ${rateSum(`${histogram}_bucket`, [...by, 'le'], '', window)})`;
}

/** The mean observation of a histogram over the window, per group of `by`. */
export function average(histogram: string, by: readonly string[] = [], window = WINDOW): string {
  return `${rateSum(`${histogram}_sum`, by, '', window)} / ${rateSum(`${histogram}_count`, by, '', window)}`;
}

const scaled = (expr: string, factor: number) => (factor === 1 ? expr : `(${expr}) * ${factor}`);

/** p50, p90, p99, max and average of a histogram, multiplied by `factor` (1000 for milliseconds). */
function distribution(histogram: string, factor = 1): PanelQuery[] {
  return [
    ...[0.5, 0.9, 0.99].map((q) => ({
      expr: scaled(quantile(q, histogram), factor),
      legend: `p${Math.round(q * 100)}`,
    })),
    { expr: scaled(quantile(1, histogram), factor), legend: 'max' },
    { expr: scaled(average(histogram), factor), legend: 'avg' },
  ];
}

/** `sum(increase(metric{…}[$__range]))`: a total over the dashboard's range. */
function total(metric: string, extra = ''): string {
  return `sum(increase(${selector(metric, extra)}[$__range]))`;
}

/** The mean of a histogram over the whole range. */
function rangeAverage(histogram: string, factor: number): string {
  return scaled(`${total(`${histogram}_sum`)} / ${total(`${histogram}_count`)}`, factor);
}

/** The first engine's metric that exists, per worker: `a or b or c`, each aggregated by instance. */
export function perEngine(aggregation: 'sum' | 'max', metrics: readonly string[]): string {
  return metrics.map((m) => `${aggregation} by (instance) (${selector(m)})`).join(' or ');
}

/** KV cache usage (0–1) as Dynamo's kvstats, vLLM, SGLang and TensorRT-LLM expose it. */
export const KV_CACHE_USAGE = [
  'dynamo_component_gpu_cache_usage_percent',
  'vllm:kv_cache_usage_perc',
  'sglang:token_usage',
  'trtllm_kv_cache_utilization',
];

const F = 'dynamo_frontend_';
const C = 'dynamo_component_';

const stat = (id: string, title: string, unit: Unit, expr: string): Panel => ({
  id,
  title,
  row: 'Overview',
  kind: 'stat',
  unit,
  queries: [{ expr, legend: title }],
});

const chart = (id: string, title: string, row: Row, unit: Unit, queries: readonly PanelQuery[]): Panel => ({
  id,
  title,
  row,
  kind: 'timeseries',
  unit,
  queries,
});

export const PANELS: readonly Panel[] = [
  stat(
    'success-rate',
    'Request success rate',
    'percent',
    `(${total(`${F}requests_total`)} - (${total(`${F}requests_total`, 'error_type="internal"')} or vector(0))) / ${total(`${F}requests_total`)} * 100`,
  ),
  stat('total-requests', 'Total requests', 'count', total(`${F}requests_total`)),
  stat('input-tokens', 'Input tokens', 'tokens', total(`${F}input_sequence_tokens_sum`)),
  stat('output-tokens', 'Output tokens', 'tokens', total(`${F}output_sequence_tokens_sum`)),
  stat('avg-ttft', 'Average TTFT', 'ms', rangeAverage(`${F}time_to_first_token_seconds`, 1000)),
  stat('avg-itl', 'Average ITL', 'ms', rangeAverage(`${F}inter_token_latency_seconds`, 1000)),
  stat('avg-e2e', 'Average end-to-end latency', 'seconds', rangeAverage(`${F}request_duration_seconds`, 1)),

  chart('frontend-rps', 'Frontend requests/s', 'Frontend', 'reqps', [
    { expr: rateSum(`${F}requests_total`, ['model']), legend: '{{model}}' },
  ]),
  chart(
    'e2e-latency',
    'End-to-end latency',
    'Frontend',
    'seconds',
    distribution(`${F}request_duration_seconds`),
  ),
  chart('outcomes', 'Request outcomes', 'Frontend', 'reqps', [
    { expr: rateSum(`${F}requests_total`, [], 'status="success"'), legend: 'success' },
    { expr: rateSum(`${F}requests_total`, ['error_type'], 'status="error"'), legend: '{{error_type}}' },
  ]),
  chart('inflight-queued', 'In flight vs queued', 'Frontend', 'count', [
    { expr: `sum(${selector(`${F}active_requests`)})`, legend: 'in flight' },
    { expr: `sum(${selector(`${F}queued_requests`)})`, legend: 'queued' },
    {
      expr: `sum(${selector(`${F}stage_requests`, 'stage=~"preprocess|route|dispatch"')})`,
      legend: 'in frontend stages',
    },
  ]),
  chart(
    'ttft',
    'Time to first token',
    'Frontend',
    'ms',
    distribution(`${F}time_to_first_token_seconds`, 1000),
  ),
  chart(
    'itl',
    'Inter-token latency',
    'Frontend',
    'ms',
    distribution(`${F}inter_token_latency_seconds`, 1000),
  ),
  chart('isl', 'Input sequence length', 'Frontend', 'tokens', distribution(`${F}input_sequence_tokens`)),
  chart('osl', 'Output sequence length', 'Frontend', 'tokens', distribution(`${F}output_sequence_tokens`)),
  chart('cached-tokens', 'Cached tokens', 'Frontend', 'tokens', distribution(`${F}cached_tokens`)),

  chart('worker-requests', 'Requests per worker', 'Workers', 'reqps', [
    { expr: rateSum(`${C}requests_total`, ['instance']), legend: '{{instance}}' },
    { expr: rateSum(`${C}cancellation_total`, ['instance']), legend: '{{instance}} cancelled' },
  ]),
  chart('worker-errors', 'Errors per worker', 'Workers', 'reqps', [
    { expr: rateSum(`${C}errors_total`, ['instance', 'error_type']), legend: '{{instance}} {{error_type}}' },
  ]),
  chart('worker-duration', 'Request duration per worker', 'Workers', 'seconds', [
    { expr: quantile(0.5, `${C}request_duration_seconds`, ['instance']), legend: '{{instance}} p50' },
    { expr: quantile(0.99, `${C}request_duration_seconds`, ['instance']), legend: '{{instance}} p99' },
    { expr: average(`${C}request_duration_seconds`, ['instance']), legend: '{{instance}} avg' },
  ]),
  chart('component-bytes', 'Component throughput', 'Workers', 'bytesps', [
    {
      expr: rateSum(`${C}response_bytes_total`, ['instance'], 'dynamo_endpoint="generate"'),
      legend: '{{instance}} responses',
    },
    {
      expr: rateSum(`${C}request_bytes_total`, ['instance'], 'dynamo_endpoint="generate"'),
      legend: '{{instance}} requests',
    },
  ]),

  chart('kv-cache-usage', 'KV cache usage', 'Engine', 'fraction', [
    { expr: perEngine('max', KV_CACHE_USAGE), legend: '{{instance}}' },
  ]),
  chart('engine-requests', 'Engine requests running and waiting', 'Engine', 'count', [
    {
      expr: perEngine('sum', [
        'vllm:num_requests_running',
        'sglang:num_running_reqs',
        'trtllm_num_requests_running',
      ]),
      legend: '{{instance}} running',
    },
    {
      expr: perEngine('sum', [
        'vllm:num_requests_waiting',
        'sglang:num_queue_reqs',
        'trtllm_num_requests_waiting',
      ]),
      legend: '{{instance}} waiting',
    },
  ]),
];

export const ROWS: readonly Row[] = ['Overview', 'Frontend', 'Workers', 'Engine'];

export interface QueryVariables {
  /** A regex of model names; `.*` for all. */
  readonly model: string;
  /** `$__range`: the dashboard's time range. */
  readonly rangeMs: number;
  /** `$__rate_interval`: the window of `rate`, see {@link rateIntervalMs}. */
  readonly rateIntervalMs: number;
}

/** A query with its variables replaced. */
export function expandQuery(expr: string, vars: QueryVariables): string {
  return expr
    .replaceAll('$__rate_interval', `${Math.round(vars.rateIntervalMs)}ms`)
    .replaceAll('$__range', `${Math.round(vars.rangeMs)}ms`)
    .replaceAll('$model', vars.model.replaceAll('\\', '\\\\').replaceAll('"', '\\"'));
}

/** The legend of a series: `{{name}}` replaced by its label value. */
export function legendOf(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/** A model name as an exact-match regex for `$model`. */
export function modelRegex(model: string | undefined): string {
  return model === undefined ? '.*' : model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
