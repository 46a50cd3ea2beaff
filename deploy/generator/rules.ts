/**
 * Recording and alerting rules. Recording rules precompute, over fixed 5-minute windows, the expensive
 * expressions the dashboards and alerts need (quantiles over many buckets, ratios of sums), so that large
 * fleets can graph and alert on them cheaply; the alerts read the recorded series.
 *
 * Recorded names follow Prometheus's `level:metric:operations` convention; quantiles are one name with a
 * `quantile` label. Alert thresholds are starting points, meant to be tuned per deployment.
 */
import { componentMetric, WorkHandlerMetric as W } from '../../src/names/component.js';
import { FrontendMetric as F, frontendMetric } from '../../src/names/frontend.js';
import { mean, quantile, type Scope, SERVICE_ERRORS, sel, sum, summedRate } from './promql.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

export interface RuleGroup<R> {
  readonly name: string;
  readonly rules: readonly R[];
}

const WINDOW = '5m';
const QUANTILES = [0.5, 0.9, 0.99];

const REQUESTS = frontendMetric(F.REQUESTS_TOTAL);
const TTFT = frontendMetric(F.TIME_TO_FIRST_TOKEN_SECONDS);

/** Quantile and mean rules of one histogram, at one aggregation level. */
function histogramRules(level: string, metric: string, by: readonly string[]): RecordingRule[] {
  const scope: Scope = { window: WINDOW, by };
  return [
    ...QUANTILES.map((q) => ({
      record: `${level}_quantile:${metric}:histogram_quantile_rate${WINDOW}`,
      expr: quantile(q, metric, scope),
      labels: { quantile: String(q) },
    })),
    { record: `${level}:${metric}:mean_rate${WINDOW}`, expr: mean(metric, scope) },
  ];
}

const byModel: Scope = { window: WINDOW, by: ['model'] };
const byWorker = ['job', 'instance', 'model'];

/** The recorded name of the frontend's error ratio, read by an alert. */
const ERROR_RATIO = `model:${REQUESTS.replace(/_total$/, '')}:error_ratio_rate${WINDOW}`;
const TTFT_QUANTILE = `model_quantile:${TTFT}:histogram_quantile_rate${WINDOW}`;

export const recordingRules: readonly RuleGroup<RecordingRule>[] = [
  {
    name: 'dynametrics-frontend',
    rules: [
      {
        record: `model:${REQUESTS.replace(/_total$/, '')}:rate${WINDOW}`,
        expr: summedRate(REQUESTS, byModel),
      },
      {
        record: ERROR_RATIO,
        // `or 0 * total` keeps the ratio at 0, rather than absent, while nothing fails.
        expr: `(${summedRate(REQUESTS, { ...byModel, matchers: SERVICE_ERRORS })} or 0 * ${summedRate(REQUESTS, byModel)}) / ${summedRate(REQUESTS, byModel)}`,
      },
      {
        record: `model:${frontendMetric(F.OUTPUT_TOKENS_TOTAL).replace(/_total$/, '')}:rate${WINDOW}`,
        expr: summedRate(frontendMetric(F.OUTPUT_TOKENS_TOTAL), byModel),
      },
      ...histogramRules('model', TTFT, ['model']),
      ...histogramRules('model', frontendMetric(F.INTER_TOKEN_LATENCY_SECONDS), ['model']),
      ...histogramRules('model', frontendMetric(F.REQUEST_DURATION_SECONDS), ['model']),
    ],
  },
  {
    name: 'dynametrics-workers',
    rules: [
      {
        record: `instance:${componentMetric('requests')}:rate${WINDOW}`,
        expr: summedRate(componentMetric(W.REQUESTS_TOTAL), { window: WINDOW, by: byWorker }),
      },
      {
        record: `instance:${componentMetric('errors')}:rate${WINDOW}`,
        expr: summedRate(componentMetric(W.ERRORS_TOTAL), {
          window: WINDOW,
          by: [...byWorker, 'error_type'],
        }),
      },
      ...histogramRules('instance', componentMetric(W.REQUEST_DURATION_SECONDS), byWorker),
    ],
  },
];

export const alertingRules: readonly RuleGroup<AlertingRule>[] = [
  {
    name: 'dynametrics-alerts',
    rules: [
      {
        alert: 'DynamoTimeToFirstTokenHigh',
        expr: `${sel(TTFT_QUANTILE, ['quantile="0.99"'])} > 2`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'p99 time to first token of {{ $labels.model }} is {{ $value | humanizeDuration }}',
          description:
            'Over the last 5 minutes one request in a hundred waited more than 2 s for its first token. Look for queueing (Inflight vs Queued) and long prompts.',
        },
      },
      {
        alert: 'DynamoErrorRatioHigh',
        expr: `${ERROR_RATIO} > 0.05`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: '{{ $value | humanizePercentage }} of {{ $labels.model }} requests fail',
          description:
            'More than 5% of requests ended in an error the service is answerable for (client cancellations, invalid requests, unknown models and unsupported features excluded).',
        },
      },
      {
        alert: 'DynamoWorkerDown',
        expr: 'up{job="dynamo-backend"} == 0',
        for: '1m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'worker {{ $labels.instance }} cannot be scraped',
          description:
            "Prometheus has not reached the worker's system status server for a minute: the worker is down, restarting, or its DYN_SYSTEM_PORT is not reachable.",
        },
      },
      {
        alert: 'DynamoRequestQueueBuildingUp',
        expr: `${sum(sel(frontendMetric(F.QUEUED_REQUESTS)), ['model'])} > 10`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: '{{ $value }} requests for {{ $labels.model }} are waiting for their first token',
          description:
            'More than 10 requests have been waiting for a first token for 5 minutes: the workers cannot keep up with the arrival rate.',
        },
      },
      {
        alert: 'DynamoWorkerInflightStuck',
        expr: `${sum(componentMetric(W.INFLIGHT_REQUESTS), ['job', 'instance'])} > 0 and ${sum(`increase(${componentMetric(W.REQUEST_DURATION_SECONDS)}_count[10m])`, ['job', 'instance'])} == 0`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'worker {{ $labels.instance }} has requests in flight but finished none in 10 minutes',
          description:
            'The worker reports requests in progress, yet none completed for 10 minutes: its engine is probably hung.',
        },
      },
    ],
  },
];
