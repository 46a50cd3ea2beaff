/**
 * The engine dashboard: what the inference engine itself reports (vLLM's metrics, passed through each
 * worker's `/metrics` with the worker's labels added) next to the KV gauges the worker publishes, per
 * worker instance. The `model` variable reads the `model` label the pass-through adds.
 */
import { componentMetric, KvStatsMetric as KV } from '../../../src/names/component.js';
import { type DashboardSpec, distribution, graph } from '../grafana.js';
import { type Scope, sel, summedRate } from '../promql.js';

const MODEL = ['model="$model"'];
const PER_STEP: Scope = { matchers: MODEL, window: '$__rate_interval' };
const PER_WORKER: Scope = { ...PER_STEP, by: ['instance'] };

const perWorker = (aggregation: 'sum' | 'max', metric: string) =>
  `${aggregation} by (instance) (${sel(metric, MODEL)})`;

export const engine: DashboardSpec = {
  uid: 'dynametrics-engine',
  title: 'Dynamo / Engine (vLLM)',
  description:
    "The inference engine's own metrics (vLLM names) and the workers' KV cache gauges, per worker.",
  tags: ['dynamo', 'dynametrics', 'vllm'],
  modelVariable: { metric: 'vllm:num_requests_running', label: 'model' },
  rows: [
    {
      title: 'Scheduler and KV cache',
      panels: [
        graph(
          'Running and Waiting Requests',
          'Requests in the running batch, and those the scheduler holds back.',
          'short',
          [
            { expr: perWorker('sum', 'vllm:num_requests_running'), legend: 'running {{instance}}' },
            { expr: perWorker('sum', 'vllm:num_requests_waiting'), legend: 'waiting {{instance}}' },
          ],
        ),
        graph(
          'KV Cache Usage',
          "Share of KV cache blocks in use, as the engine reports it and as the worker's gauge publishes it.",
          'percentunit',
          [
            { expr: perWorker('max', 'vllm:kv_cache_usage_perc'), legend: 'engine {{instance}}' },
            {
              expr: perWorker('max', componentMetric(KV.GPU_CACHE_USAGE_PERCENT)),
              legend: 'worker {{instance}}',
            },
          ],
        ),
        graph('KV Cache Blocks', 'Total KV cache blocks of each worker.', 'short', [
          { expr: perWorker('sum', componentMetric(KV.TOTAL_BLOCKS)), legend: '{{instance}}' },
        ]),
        graph(
          'Prefix Cache Hit Rate',
          'Share of queried prompt tokens found in the prefix cache.',
          'percentunit',
          [
            {
              expr: `${summedRate('vllm:prefix_cache_hits_total', PER_WORKER)} / ${summedRate('vllm:prefix_cache_queries_total', PER_WORKER)}`,
              legend: '{{instance}}',
            },
          ],
        ),
      ],
    },
    {
      title: 'Throughput',
      panels: [
        graph('Token Throughput', 'Prompt tokens prefilled and tokens generated per second.', 'short', [
          { expr: summedRate('vllm:prompt_tokens_total', PER_STEP), legend: 'prompt' },
          { expr: summedRate('vllm:generation_tokens_total', PER_STEP), legend: 'generation' },
        ]),
        graph(
          'Finished Requests by Reason',
          'Requests the engine finished per second: stop, length, abort or error.',
          'reqps',
          [
            {
              expr: summedRate('vllm:request_success_total', { ...PER_STEP, by: ['finished_reason'] }),
              legend: '{{finished_reason}}',
            },
          ],
          { stacked: true },
        ),
      ],
    },
    {
      title: 'Latency and lengths',
      panels: [
        distribution(
          'Engine Time To First Token',
          "The engine's own TTFT, without frontend and transport.",
          'ms',
          'vllm:time_to_first_token_seconds',
          PER_STEP,
          { factor: 1000 },
        ),
        distribution(
          'Time Per Output Token',
          'Time between two generated tokens.',
          'ms',
          'vllm:time_per_output_token_seconds',
          PER_STEP,
          { factor: 1000 },
        ),
        distribution(
          'Engine E2E Latency',
          'Time from arrival in the engine to the last token.',
          's',
          'vllm:e2e_request_latency_seconds',
          PER_STEP,
        ),
        distribution(
          'Prompt Length',
          'Prompt length in tokens.',
          'short',
          'vllm:request_prompt_tokens',
          PER_STEP,
        ),
        distribution(
          'Generation Length',
          'Generated tokens per finished request.',
          'short',
          'vllm:request_generation_tokens',
          PER_STEP,
        ),
      ],
    },
  ],
};
