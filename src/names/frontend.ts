/**
 * Names, labels and label values of the OpenAI-compatible frontend's metrics (reference spec §6.2–6.3).
 * Constants are short names; the prefix (`dynamo_frontend` unless `DYN_METRICS_PREFIX` overrides it) is
 * added by {@link frontendMetric}. The per-worker gauges and pipeline metrics always use the literal
 * `dynamo_frontend_` prefix, as upstream does.
 */
import { NamePrefix } from './prefixes.js';

/** The full name of a frontend metric under `prefix`. */
export function frontendMetric(short: string, prefix: string = NamePrefix.FRONTEND): string {
  return `${prefix}_${short}`;
}

/** The main frontend metric set (§6.2), subject to `DYN_METRICS_PREFIX`. */
export const FrontendMetric = {
  REQUESTS_TOTAL: 'requests_total',
  REQUESTS_STARTED_TOTAL: 'requests_started_total',
  INFLIGHT_REQUESTS: 'inflight_requests',
  ACTIVE_REQUESTS: 'active_requests',
  QUEUED_REQUESTS: 'queued_requests',
  DISCONNECTED_CLIENTS: 'disconnected_clients',
  REQUEST_DURATION_SECONDS: 'request_duration_seconds',
  INPUT_SEQUENCE_TOKENS: 'input_sequence_tokens',
  OUTPUT_SEQUENCE_TOKENS: 'output_sequence_tokens',
  OUTPUT_TOKENS_TOTAL: 'output_tokens_total',
  CACHED_TOKENS: 'cached_tokens',
  TOKENIZER_LATENCY_MS: 'tokenizer_latency_ms',
  TIME_TO_FIRST_TOKEN_SECONDS: 'time_to_first_token_seconds',
  INTER_TOKEN_LATENCY_SECONDS: 'inter_token_latency_seconds',
  MODEL_TOTAL_KV_BLOCKS: 'model_total_kv_blocks',
  MODEL_MAX_NUM_SEQS: 'model_max_num_seqs',
  MODEL_MAX_NUM_BATCHED_TOKENS: 'model_max_num_batched_tokens',
  MODEL_CONTEXT_LENGTH: 'model_context_length',
  MODEL_KV_CACHE_BLOCK_SIZE: 'model_kv_cache_block_size',
  MODEL_MIGRATION_LIMIT: 'model_migration_limit',
  MODEL_MIGRATION_TOTAL: 'model_migration_total',
  MODEL_MIGRATION_MAX_SEQ_LEN_EXCEEDED_TOTAL: 'model_migration_max_seq_len_exceeded_total',
  MODEL_CANCELLATION_TOTAL: 'model_cancellation_total',
  MODEL_REJECTION_TOTAL: 'model_rejection_total',
} as const;

/** Per-worker gauges, always `dynamo_frontend_`-prefixed, labels `worker_id`, `dp_rank`, `worker_type` (§6.2). */
export const FrontendWorkerMetric = {
  LAST_TIME_TO_FIRST_TOKEN_SECONDS: 'worker_last_time_to_first_token_seconds',
  LAST_INPUT_SEQUENCE_TOKENS: 'worker_last_input_sequence_tokens',
  LAST_INTER_TOKEN_LATENCY_SECONDS: 'worker_last_inter_token_latency_seconds',
  ACTIVE_DECODE_BLOCKS: 'worker_active_decode_blocks',
  ACTIVE_PREFILL_TOKENS: 'worker_active_prefill_tokens',
  WAITING_REQUESTS: 'worker_waiting_requests',
  ROUTER_QUEUE_PENDING_REQUESTS: 'router_queue_pending_requests',
  KV_HIT_RATE: 'kv_hit_rate',
  KV_TRANSFER_ESTIMATED_LATENCY_SECONDS: 'kv_transfer_estimated_latency_seconds',
  SHARED_CACHE_HIT_RATE: 'shared_cache_hit_rate',
  SHARED_CACHE_BEYOND_BLOCKS: 'shared_cache_beyond_blocks',
} as const;

/** Frontend pipeline metrics (`frontend_perf`), always `dynamo_frontend_`-prefixed (§6.2). */
export const FrontendPerfMetric = {
  STAGE_REQUESTS: 'stage_requests',
  STAGE_DURATION_SECONDS: 'stage_duration_seconds',
  TOKENIZE_SECONDS: 'tokenize_seconds',
  TEMPLATE_SECONDS: 'template_seconds',
  DETOKENIZE_TOTAL_US: 'detokenize_total_us',
  DETOKENIZE_TOKEN_COUNT: 'detokenize_token_count',
  EVENT_LOOP_DELAY_SECONDS: 'event_loop_delay_seconds',
  EVENT_LOOP_STALL_TOTAL: 'event_loop_stall_total',
  TOKENIZER_CACHE_HITS_TOTAL: 'tokenizer_cache_hits_total',
  TOKENIZER_CACHE_MISSES_TOTAL: 'tokenizer_cache_misses_total',
  TOKENIZER_CACHE_CACHED_TOKENS_TOTAL: 'tokenizer_cache_cached_tokens_total',
  TOKENIZER_CACHE_UNCACHED_TOKENS_TOTAL: 'tokenizer_cache_uncached_tokens_total',
} as const;

/** LoRA controller and multimodal gauges listed by the reference (§6.2). */
export const FrontendExtraMetric = {
  LORA_REPLICA_FACTOR: 'lora_replica_factor',
  LORA_IS_ACTIVE: 'lora_is_active',
  LORA_ESTIMATED_LOAD: 'lora_estimated_load',
  LORA_RAW_ARRIVAL_COUNT: 'lora_raw_arrival_count',
  LORA_ACTIVE_REQUESTS: 'lora_active_requests',
  LORA_CHURN_LOADS_TOTAL: 'lora_churn_loads_total',
  LORA_CHURN_UNLOADS_TOTAL: 'lora_churn_unloads_total',
  LORA_OVERFLOW_COUNT: 'lora_overflow_count',
  IMAGES_PER_REQUEST: 'images_per_request',
  VIDEOS_PER_REQUEST: 'videos_per_request',
  AUDIO_PER_REQUEST: 'audio_per_request',
  EMBEDDING_LATENCY_SECONDS: 'embedding_latency_seconds',
} as const;

/** Label names of frontend metrics. */
export const FrontendLabel = {
  MODEL: 'model',
  ENDPOINT: 'endpoint',
  REQUEST_TYPE: 'request_type',
  STATUS: 'status',
  ERROR_TYPE: 'error_type',
  OPERATION: 'operation',
  MIGRATION_TYPE: 'migration_type',
  STAGE: 'stage',
  PHASE: 'phase',
} as const;

/** Values of the `endpoint` label. */
export const FrontendEndpoint = {
  COMPLETIONS: 'completions',
  CHAT_COMPLETIONS: 'chat_completions',
  EMBEDDINGS: 'embeddings',
  IMAGES: 'images',
  VIDEOS: 'videos',
  AUDIOS: 'audios',
  RESPONSES: 'responses',
  ANTHROPIC_MESSAGES: 'anthropic_messages',
  TENSOR: 'tensor',
} as const;

export const RequestType = { STREAM: 'stream', UNARY: 'unary' } as const;

export const RequestStatus = { SUCCESS: 'success', ERROR: 'error' } as const;

/** Values of `error_type` on `requests_total`; `""` on success (§6.2). */
export const FrontendErrorType = {
  NONE: '',
  VALIDATION: 'validation',
  NOT_FOUND: 'not_found',
  OVERLOAD: 'overload',
  CANCELLED: 'cancelled',
  RESPONSE_TIMEOUT: 'response_timeout',
  INTERNAL: 'internal',
  NOT_IMPLEMENTED: 'not_implemented',
  UNAVAILABLE: 'unavailable',
  FIRST_TOKEN_TIMEOUT: 'first_token_timeout',
  INTRA_TOKEN_TIMEOUT: 'intra_token_timeout',
  BACKEND_ERROR: 'backend_error',
  TRUNCATED_STREAM: 'truncated_stream',
} as const;

/**
 * Values of the `stage` label of `stage_requests` (`preprocess`, `route`, `dispatch`) and
 * `stage_duration_seconds` (`preprocess`, `route`, `transport_roundtrip`, `postprocess`) (§6.2). The
 * `phase` label of `stage_requests` takes a `WorkerType` value (`labels.ts`), or `""` for `preprocess`.
 */
export const FrontendStage = {
  PREPROCESS: 'preprocess',
  ROUTE: 'route',
  DISPATCH: 'dispatch',
  TRANSPORT_ROUNDTRIP: 'transport_roundtrip',
  POSTPROCESS: 'postprocess',
} as const;

export const MigrationType = { NEW_REQUEST: 'new_request', ONGOING_REQUEST: 'ongoing_request' } as const;

export const TokenizerOperation = { TOKENIZE: 'tokenize', DETOKENIZE: 'detokenize' } as const;

/** `dp_rank` value when the rank is unknown. */
export const DP_RANK_NONE = 'none';

/** Environment keys `X` of `DYN_METRICS_<X>_{MIN,MAX,COUNT}` and their defaults (§6.3). */
export const FrontendHistogramConfig = {
  REQUEST_DURATION: { min: 1, max: 512, count: 10 },
  INPUT_SEQUENCE: { min: 50, max: 128000, count: 12 },
  OUTPUT_SEQUENCE: { min: 50, max: 32000, count: 10 },
  TTFT: { min: 0.001, max: 480, count: 18 },
  ITL: { min: 0.001, max: 2, count: 13 },
  EMBEDDING_LATENCY: { min: 0.001, max: 10, count: 14 },
} as const;

/** Fixed buckets of `tokenizer_latency_ms` (§6.3). */
export const TOKENIZER_LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512,
]);

/** Buckets of `stage_duration_seconds` (§6.2). */
export const STAGE_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5,
]);

/** Buckets of `template_seconds` (§6.2). */
export const TEMPLATE_BUCKETS: readonly number[] = Object.freeze([
  0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05,
]);

/** Environment variable of the model-config gauges' refresh interval, and its default in seconds. */
export const CONFIG_METRICS_POLL_INTERVAL_ENV = 'DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS';
export const CONFIG_METRICS_POLL_INTERVAL_DEFAULT_SECS = 8;
