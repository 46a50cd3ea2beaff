/**
 * The overview dashboard (reference spec §8.3): what users see of a deployment at a glance (success rate,
 * volume, mean latencies), the frontend's view per model, and the workers' view per instance. The KV routing
 * row of upstream is left out: our frontend routes by load, not by KV cache, and its series do not exist.
 */
import { componentMetric, WorkHandlerMetric as W } from '../../../src/names/component.js';
import {
  FrontendMetric as F,
  FrontendPerfMetric as FP,
  FrontendWorkerMetric as FW,
  frontendMetric,
} from '../../../src/names/frontend.js';
import { type DashboardSpec, distribution, graph, stat } from '../grafana.js';
import { increase, mean, type Scope, SERVICE_ERRORS, scaled, sel, sum, summedRate } from '../promql.js';

const REQUESTS = frontendMetric(F.REQUESTS_TOTAL);
const DURATION = frontendMetric(F.REQUEST_DURATION_SECONDS);
const TTFT = frontendMetric(F.TIME_TO_FIRST_TOKEN_SECONDS);
const ITL = frontendMetric(F.INTER_TOKEN_LATENCY_SECONDS);
const ISL = frontendMetric(F.INPUT_SEQUENCE_TOKENS);
const OSL = frontendMetric(F.OUTPUT_SEQUENCE_TOKENS);

const MODEL = ['model="$model"'];
/** Stat panels cover the dashboard's whole time range. */
const WHOLE_RANGE: Scope = { matchers: MODEL, window: '$__range' };
/** Time series use Grafana's rate window (at least four scrape intervals). */
const PER_STEP: Scope = { matchers: MODEL, window: '$__rate_interval' };
const PER_WORKER: Scope = { ...PER_STEP, by: ['instance'] };

const rangeTotal = (metric: string, matchers: readonly string[] = MODEL) =>
  sum(increase(sel(metric, matchers), '$__range'));

export const overview: DashboardSpec = {
  uid: 'dynametrics-overview',
  title: 'Dynamo / Overview',
  description: 'Requests, latency and token volume of a Dynamo-compatible deployment, per model.',
  tags: ['dynamo', 'dynametrics'],
  modelVariable: { metric: `${ISL}_count`, label: 'model' },
  rows: [
    {
      title: 'Overview',
      panels: [
        stat(
          'Request Success Rate',
          'Share of requests over the time range that did not fail through the service (engine, timeouts, overload, internal); requests the client cancelled or got wrong count as served.',
          'percent',
          `100 * (1 - (${rangeTotal(REQUESTS, [...MODEL, ...SERVICE_ERRORS])} or vector(0)) / ${rangeTotal(REQUESTS)})`,
          {
            decimals: 2,
            thresholds: [
              { color: 'red', value: null },
              { color: 'yellow', value: 95 },
              { color: 'green', value: 99 },
            ],
          },
        ),
        stat(
          'Total Requests',
          'Requests the frontend finished, whatever their outcome.',
          'short',
          rangeTotal(REQUESTS),
          {
            width: 3,
          },
        ),
        stat(
          'Input Tokens',
          'Prompt tokens of the requests that produced a first token.',
          'short',
          rangeTotal(`${ISL}_sum`),
        ),
        stat(
          'Output Tokens',
          'Tokens generated for requests that produced output.',
          'short',
          rangeTotal(`${OSL}_sum`),
        ),
        stat('Average TTFT', 'Mean time to first token.', 'ms', scaled(1000, mean(TTFT, WHOLE_RANGE)), {
          width: 3,
        }),
        stat(
          'Average ITL',
          'Mean time between two output tokens.',
          'ms',
          scaled(1000, mean(ITL, WHOLE_RANGE)),
          {
            width: 3,
          },
        ),
        stat(
          'Average E2E Latency',
          'Mean request duration, first byte in to last byte out.',
          's',
          mean(DURATION, WHOLE_RANGE),
          {
            width: 3,
          },
        ),
      ],
    },
    {
      title: 'Frontend',
      panels: [
        graph('Frontend Requests', 'Requests finished per second.', 'reqps', [
          { expr: summedRate(REQUESTS, { ...PER_STEP, by: ['model'] }), legend: '{{model}}' },
        ]),
        graph(
          'Request Outcome Breakdown',
          'Finished requests per second by outcome: success, or the kind of error (cancelled, validation, backend_error, overload, internal, ...).',
          'reqps',
          [
            {
              expr: summedRate(REQUESTS, { ...PER_STEP, by: ['status', 'error_type'] }),
              legend: '{{status}} {{error_type}}',
            },
          ],
          { stacked: true },
        ),
        distribution('E2E Request Latency', 'Request duration quantiles and mean.', 's', DURATION, PER_STEP),
        graph(
          'Inflight vs Queued',
          'Requests being handled, those still waiting for their first token, and where they are in the pipeline.',
          'short',
          [
            { expr: sum(sel(frontendMetric(F.ACTIVE_REQUESTS), MODEL)), legend: 'in flight' },
            { expr: sum(sel(frontendMetric(F.QUEUED_REQUESTS), MODEL)), legend: 'queued (no token yet)' },
            {
              expr: sum(sel(frontendMetric(FP.STAGE_REQUESTS), MODEL), ['stage']),
              legend: 'stage {{stage}}',
            },
          ],
        ),
        distribution('Time To First Token', 'TTFT quantiles and mean.', 'ms', TTFT, PER_STEP, {
          factor: 1000,
        }),
        distribution('Inter-Token Latency', 'ITL quantiles and mean.', 'ms', ITL, PER_STEP, { factor: 1000 }),
        distribution('Input Sequence Length', 'Prompt length in tokens.', 'short', ISL, PER_STEP),
        distribution('Output Sequence Length', 'Generated length in tokens.', 'short', OSL, PER_STEP),
        distribution(
          'Cached Tokens',
          'Prompt tokens served from the prefix cache.',
          'short',
          frontendMetric(F.CACHED_TOKENS),
          PER_STEP,
        ),
        graph('Output Token Throughput', 'Tokens streamed to clients per second.', 'short', [
          { expr: summedRate(frontendMetric(F.OUTPUT_TOKENS_TOTAL), PER_STEP), legend: 'tokens/s' },
        ]),
      ],
    },
    {
      title: 'Workers',
      panels: [
        graph(
          'Worker Request Breakdown',
          'Requests, cancellations and errors per second on each worker.',
          'reqps',
          [
            {
              expr: summedRate(componentMetric(W.REQUESTS_TOTAL), PER_WORKER),
              legend: 'requests {{instance}}',
            },
            {
              expr: summedRate(componentMetric(W.CANCELLATION_TOTAL), PER_WORKER),
              legend: 'cancelled {{instance}}',
            },
            {
              expr: summedRate(componentMetric(W.ERRORS_TOTAL), {
                ...PER_STEP,
                by: ['instance', 'error_type'],
              }),
              legend: 'error {{error_type}} {{instance}}',
            },
          ],
        ),
        distribution(
          'Worker Request Duration',
          'Time from a request reaching the worker to its last response frame.',
          's',
          componentMetric(W.REQUEST_DURATION_SECONDS),
          PER_WORKER,
        ),
        graph('Worker In-Flight Requests', 'Requests each worker is handling now.', 'short', [
          {
            expr: sum(sel(componentMetric(W.INFLIGHT_REQUESTS), MODEL), ['instance']),
            legend: '{{instance}}',
          },
        ]),
        graph(
          'Component Throughput',
          'Bytes received and sent by the generate endpoint of each worker.',
          'Bps',
          [
            {
              expr: summedRate(componentMetric(W.RESPONSE_BYTES_TOTAL), {
                ...PER_WORKER,
                matchers: ['dynamo_endpoint="generate"', ...MODEL],
              }),
              legend: 'sent {{instance}}',
            },
            {
              expr: summedRate(componentMetric(W.REQUEST_BYTES_TOTAL), {
                ...PER_WORKER,
                matchers: ['dynamo_endpoint="generate"', ...MODEL],
              }),
              legend: 'received {{instance}}',
            },
          ],
        ),
        graph(
          'Per-Worker Last TTFT and ITL',
          "The frontend's latest time to first token and inter-token latency for each worker it routed to.",
          'ms',
          [
            {
              expr: scaled(
                1000,
                `max by (worker_id) (${frontendMetric(FW.LAST_TIME_TO_FIRST_TOKEN_SECONDS)})`,
              ),
              legend: 'TTFT {{worker_id}}',
            },
            {
              expr: scaled(
                1000,
                `max by (worker_id) (${frontendMetric(FW.LAST_INTER_TOKEN_LATENCY_SECONDS)})`,
              ),
              legend: 'ITL {{worker_id}}',
            },
          ],
          { width: 24 },
        ),
      ],
    },
  ],
};
