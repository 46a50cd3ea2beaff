/**
 * The frontend's metric set (reference spec §6.2), in the frontend's own registry. Request-path metrics use
 * the configured prefix (`dynamo_frontend` unless `DYN_METRICS_PREFIX` says otherwise); the per-worker and
 * pipeline-stage gauges always use the literal `dynamo_frontend_` prefix, as upstream. Series that exist
 * from the start (zero-valued) are created eagerly only where labels are known in advance.
 */
import { IntCounterVec } from '../core/counter.js';
import { GaugeVec, IntGauge, IntGaugeVec } from '../core/gauge.js';
import { HistogramVec } from '../core/histogram.js';
import { Registry } from '../core/registry.js';
import {
  FrontendLabel,
  FrontendMetric,
  FrontendPerfMetric,
  FrontendWorkerMetric,
  frontendMetric,
} from '../names/frontend.js';
import { LabelName } from '../names/labels.js';
import { NamePrefix } from '../names/prefixes.js';
import type { FrontendConfig } from './config.js';

const { MODEL, ENDPOINT, REQUEST_TYPE, STATUS, ERROR_TYPE } = FrontendLabel;
const WORKER_LABELS = [LabelName.WORKER_ID, LabelName.DP_RANK, LabelName.WORKER_TYPE] as const;

/** The model-configuration gauges, keyed by the model card field they show. */
export const MODEL_CONFIG_GAUGES = {
  totalKvBlocks: FrontendMetric.MODEL_TOTAL_KV_BLOCKS,
  maxNumSeqs: FrontendMetric.MODEL_MAX_NUM_SEQS,
  maxNumBatchedTokens: FrontendMetric.MODEL_MAX_NUM_BATCHED_TOKENS,
  contextLength: FrontendMetric.MODEL_CONTEXT_LENGTH,
  kvCacheBlockSize: FrontendMetric.MODEL_KV_CACHE_BLOCK_SIZE,
  migrationLimit: FrontendMetric.MODEL_MIGRATION_LIMIT,
} as const;

export type ModelConfigField = keyof typeof MODEL_CONFIG_GAUGES;

export class FrontendMetrics {
  readonly registry = new Registry();
  readonly requests: IntCounterVec<readonly ['model', 'endpoint', 'request_type', 'status', 'error_type']>;
  readonly requestsStarted: IntCounterVec<readonly ['endpoint', 'model', 'request_type']>;
  readonly inflight: IntGaugeVec<readonly ['model']>;
  readonly active: IntGaugeVec<readonly ['model']>;
  readonly queued: IntGaugeVec<readonly ['model']>;
  readonly disconnectedClients: IntGauge;
  readonly requestDuration: HistogramVec<readonly ['model']>;
  readonly inputSequenceTokens: HistogramVec<readonly ['model']>;
  readonly outputSequenceTokens: HistogramVec<readonly ['model']>;
  readonly outputTokens: IntCounterVec<readonly ['model']>;
  readonly cachedTokens: HistogramVec<readonly ['model']>;
  readonly timeToFirstToken: HistogramVec<readonly ['model']>;
  readonly interTokenLatency: HistogramVec<readonly ['model']>;
  readonly modelConfig: Readonly<Record<ModelConfigField, IntGaugeVec<readonly ['model']>>>;
  readonly cancellations: IntCounterVec<readonly ['model', 'endpoint', 'request_type']>;
  readonly rejections: IntCounterVec<readonly ['model', 'endpoint']>;
  readonly workerLastTimeToFirstToken: GaugeVec<typeof WORKER_LABELS>;
  readonly workerLastInputSequenceTokens: GaugeVec<typeof WORKER_LABELS>;
  readonly workerLastInterTokenLatency: GaugeVec<typeof WORKER_LABELS>;
  readonly stageRequests: IntGaugeVec<readonly ['stage', 'phase', 'model']>;

  constructor(config: Pick<FrontendConfig, 'prefix' | 'buckets'>) {
    const r = this.registry;
    const n = (short: string) => frontendMetric(short, config.prefix);
    const literal = (short: string) => frontendMetric(short, NamePrefix.FRONTEND);
    const b = config.buckets;
    this.requests = r.register(
      new IntCounterVec({
        name: n(FrontendMetric.REQUESTS_TOTAL),
        help: 'Total number of LLM requests processed',
        labelNames: [MODEL, ENDPOINT, REQUEST_TYPE, STATUS, ERROR_TYPE] as const,
      }),
    );
    this.requestsStarted = r.register(
      new IntCounterVec({
        name: n(FrontendMetric.REQUESTS_STARTED_TOTAL),
        help: 'Total number of LLM requests accepted by the HTTP handler',
        labelNames: [ENDPOINT, MODEL, REQUEST_TYPE] as const,
      }),
    );
    const modelGauge = (short: string, help: string) =>
      r.register(new IntGaugeVec({ name: n(short), help, labelNames: [MODEL] as const }));
    this.inflight = modelGauge(
      FrontendMetric.INFLIGHT_REQUESTS,
      'Number of inflight requests (deprecated alias of active_requests)',
    );
    this.active = modelGauge(
      FrontendMetric.ACTIVE_REQUESTS,
      'Number of requests being handled, from handler entry to the end of the response',
    );
    this.queued = modelGauge(
      FrontendMetric.QUEUED_REQUESTS,
      'Number of requests from handler entry until their first token',
    );
    this.disconnectedClients = r.register(
      new IntGauge({ name: n(FrontendMetric.DISCONNECTED_CLIENTS), help: 'Number of disconnected clients' }),
    );
    const histogram = (short: string, help: string, buckets: readonly number[]) =>
      r.register(new HistogramVec({ name: n(short), help, labelNames: [MODEL] as const, buckets }));
    this.requestDuration = histogram(
      FrontendMetric.REQUEST_DURATION_SECONDS,
      'Duration of LLM requests',
      b.REQUEST_DURATION,
    );
    this.inputSequenceTokens = histogram(
      FrontendMetric.INPUT_SEQUENCE_TOKENS,
      'Input sequence length in tokens',
      b.INPUT_SEQUENCE,
    );
    this.outputSequenceTokens = histogram(
      FrontendMetric.OUTPUT_SEQUENCE_TOKENS,
      'Output sequence length in tokens',
      b.OUTPUT_SEQUENCE,
    );
    this.outputTokens = r.register(
      new IntCounterVec({
        name: n(FrontendMetric.OUTPUT_TOKENS_TOTAL),
        help: 'Total number of output tokens generated',
        labelNames: [MODEL] as const,
      }),
    );
    this.cachedTokens = histogram(
      FrontendMetric.CACHED_TOKENS,
      'Number of cached tokens (prefix cache hits) per request',
      b.INPUT_SEQUENCE,
    );
    this.timeToFirstToken = histogram(
      FrontendMetric.TIME_TO_FIRST_TOKEN_SECONDS,
      'Time to first token in seconds',
      b.TTFT,
    );
    this.interTokenLatency = histogram(
      FrontendMetric.INTER_TOKEN_LATENCY_SECONDS,
      'Inter-token latency in seconds',
      b.ITL,
    );
    this.modelConfig = {
      totalKvBlocks: modelGauge(
        MODEL_CONFIG_GAUGES.totalKvBlocks,
        'Total KV cache blocks available for a model',
      ),
      maxNumSeqs: modelGauge(
        MODEL_CONFIG_GAUGES.maxNumSeqs,
        'Maximum number of sequences a model handles at once',
      ),
      maxNumBatchedTokens: modelGauge(
        MODEL_CONFIG_GAUGES.maxNumBatchedTokens,
        'Maximum number of batched tokens for a model',
      ),
      contextLength: modelGauge(
        MODEL_CONFIG_GAUGES.contextLength,
        'Maximum context length in tokens for a model',
      ),
      kvCacheBlockSize: modelGauge(
        MODEL_CONFIG_GAUGES.kvCacheBlockSize,
        'KV cache block size in tokens for a model',
      ),
      migrationLimit: modelGauge(
        MODEL_CONFIG_GAUGES.migrationLimit,
        'Maximum number of request migrations allowed for a model',
      ),
    };
    this.cancellations = r.register(
      new IntCounterVec({
        name: n(FrontendMetric.MODEL_CANCELLATION_TOTAL),
        help: 'Total number of request cancellations',
        labelNames: [MODEL, ENDPOINT, REQUEST_TYPE] as const,
      }),
    );
    this.rejections = r.register(
      new IntCounterVec({
        name: n(FrontendMetric.MODEL_REJECTION_TOTAL),
        help: 'Total number of requests rejected because the model was overloaded',
        labelNames: [MODEL, ENDPOINT] as const,
      }),
    );
    const workerGauge = (short: string, help: string) =>
      r.register(new GaugeVec({ name: literal(short), help, labelNames: WORKER_LABELS }));
    this.workerLastTimeToFirstToken = workerGauge(
      FrontendWorkerMetric.LAST_TIME_TO_FIRST_TOKEN_SECONDS,
      'Last time to first token per worker in seconds',
    );
    this.workerLastInputSequenceTokens = workerGauge(
      FrontendWorkerMetric.LAST_INPUT_SEQUENCE_TOKENS,
      'Last input sequence length per worker in tokens',
    );
    this.workerLastInterTokenLatency = workerGauge(
      FrontendWorkerMetric.LAST_INTER_TOKEN_LATENCY_SECONDS,
      'Last inter-token latency per worker in seconds',
    );
    this.stageRequests = r.register(
      new IntGaugeVec({
        name: literal(FrontendPerfMetric.STAGE_REQUESTS),
        help: 'Requests in each frontend pipeline stage',
        labelNames: ['stage', 'phase', MODEL] as const,
      }),
    );
  }
}
