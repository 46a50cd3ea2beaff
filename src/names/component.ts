/**
 * Names of component (backend worker) metrics, all under the `dynamo_component_` prefix (reference spec
 * §6.1, §6.4, §5.6, §6.5). Each constant is the short name; {@link componentMetric} gives the full name.
 */
import { NamePrefix } from './prefixes.js';

/** The full name of a component metric: `dynamo_component_<short>`. */
export function componentMetric(short: string): string {
  return `${NamePrefix.COMPONENT}_${short}`;
}

/** Metrics recorded by the work handler of every served endpoint (§6.1). */
export const WorkHandlerMetric = {
  REQUESTS_TOTAL: 'requests_total',
  INFLIGHT_REQUESTS: 'inflight_requests',
  REQUEST_DURATION_SECONDS: 'request_duration_seconds',
  REQUEST_BYTES_TOTAL: 'request_bytes_total',
  RESPONSE_BYTES_TOTAL: 'response_bytes_total',
  ERRORS_TOTAL: 'errors_total',
  CANCELLATION_TOTAL: 'cancellation_total',
  NETWORK_TRANSIT_SECONDS: 'network_transit_seconds',
  TIME_TO_FIRST_RESPONSE_SECONDS: 'time_to_first_response_seconds',
  QUEUE_DEPTH: 'queue_depth',
  QUEUE_CAPACITY: 'queue_capacity',
  ENQUEUE_REJECTED_TOTAL: 'enqueue_rejected_total',
  PERMIT_WAIT_SECONDS: 'permit_wait_seconds',
  POOL_ACTIVE_TASKS: 'pool_active_tasks',
  POOL_CAPACITY: 'pool_capacity',
} as const;

/** Label names of the work handler's metrics (§6.1). */
export const WorkHandlerLabel = {
  /** The only variable label: on `dynamo_component_errors_total`, one of {@link WorkHandlerErrorType}. */
  ERROR_TYPE: 'error_type',
} as const;

/** Values of `error_type` on `dynamo_component_errors_total` (§6.1). */
export const WorkHandlerErrorType = {
  DESERIALIZATION: 'deserialization',
  INVALID_MESSAGE: 'invalid_message',
  RESPONSE_STREAM: 'response_stream',
  GENERATE: 'generate',
  PUBLISH_RESPONSE: 'publish_response',
  PUBLISH_FINAL: 'publish_final',
  SERIALIZATION: 'serialization',
} as const;

/** Buckets of `dynamo_component_request_duration_seconds`, up to 600 s (§6.1). */
export const REQUEST_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600,
]);

/** Buckets of the network-transit histogram (§6.1). */
export const NETWORK_TRANSIT_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1,
]);

/**
 * Buckets of the time-to-first-response histogram, exactly as the reference lists them (§6.1). Upstream PR
 * #8087 later raised the ceiling to 60 s, but the reference does not give the new bounds, so we keep the
 * listed ones rather than guess.
 */
export const TIME_TO_FIRST_RESPONSE_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Runtime-level metrics (§6.4). */
export const RuntimeMetric = {
  UPTIME_SECONDS: 'uptime_seconds',
} as const;

/** KV statistics published by workers (§5.6, §6.5). */
export const KvStatsMetric = {
  TOTAL_BLOCKS: 'total_blocks',
  GPU_CACHE_USAGE_PERCENT: 'gpu_cache_usage_percent',
  ACTIVE_BLOCKS: 'kvstats_active_blocks',
  KVSTATS_TOTAL_BLOCKS: 'kvstats_total_blocks',
  KVSTATS_GPU_CACHE_USAGE_PERCENT: 'kvstats_gpu_cache_usage_percent',
  GPU_PREFIX_CACHE_HIT_RATE: 'kvstats_gpu_prefix_cache_hit_rate',
} as const;

/** Model information (§5.6). */
export const ModelInfoMetric = {
  MODEL_LOAD_TIME_SECONDS: 'model_load_time_seconds',
} as const;

/** Embedding cache metrics (§5.6). */
export const EmbeddingCacheMetric = {
  HITS_TOTAL: 'embedding_cache_hits_total',
  MISSES_TOTAL: 'embedding_cache_misses_total',
  EVICTIONS_TOTAL: 'embedding_cache_evictions_total',
  UTILIZATION: 'embedding_cache_utilization',
  CURRENT_BYTES: 'embedding_cache_current_bytes',
  ENTRIES: 'embedding_cache_entries',
} as const;

/** Router metrics, component-scoped, carrying `router_id` (§6.5). */
export const RouterMetric = {
  REQUESTS_STARTED_TOTAL: 'router_requests_started_total',
  REQUESTS_TOTAL: 'router_requests_total',
  REMOTE_INDEXER_QUERY_FAILURES_TOTAL: 'router_remote_indexer_query_failures_total',
  REMOTE_INDEXER_WRITE_FAILURES_TOTAL: 'router_remote_indexer_write_failures_total',
  KV_EVENT_SOURCE_MISMATCH_WORKERS: 'router_kv_event_source_mismatch_workers',
  TIME_TO_FIRST_TOKEN_SECONDS: 'router_time_to_first_token_seconds',
  INTER_TOKEN_LATENCY_SECONDS: 'router_inter_token_latency_seconds',
  INPUT_SEQUENCE_TOKENS: 'router_input_sequence_tokens',
  OUTPUT_SEQUENCE_TOKENS: 'router_output_sequence_tokens',
  KV_HIT_RATE: 'router_kv_hit_rate',
  SHARED_CACHE_HIT_RATE: 'router_shared_cache_hit_rate',
  SHARED_CACHE_BEYOND_BLOCKS: 'router_shared_cache_beyond_blocks',
  WORKER_REGISTERED: 'router_worker_registered',
} as const;

/** The prefix the router puts before frontend names (§6.5). */
export const ROUTER_REQUEST_METRIC_PREFIX = 'router_';

/** KV router indexer events (§6.5). */
export const KvRouterMetric = {
  KV_CACHE_EVENTS_APPLIED: 'kv_cache_events_applied',
} as const;

/** KV publisher metrics (§6.5). */
export const KvPublisherMetric = {
  ENGINES_DROPPED_EVENTS_TOTAL: 'kv_publisher_engines_dropped_events_total',
  ZMQ_EVENTS_TOTAL: 'kv_publisher_zmq_events_total',
  ZMQ_FILTERED_EVENTS_TOTAL: 'kv_publisher_zmq_filtered_events_total',
  ZMQ_CONVERSION_ISSUES_TOTAL: 'kv_publisher_zmq_conversion_issues_total',
  ZMQ_SUSPICIOUS_EVENTS_TOTAL: 'kv_publisher_zmq_suspicious_events_total',
} as const;

/** Task tracker metrics (§6.5). */
export const TaskTrackerMetric = {
  TASKS_ISSUED_TOTAL: 'tasks_issued_total',
  TASKS_STARTED_TOTAL: 'tasks_started_total',
  TASKS_SUCCESS_TOTAL: 'tasks_success_total',
  TASKS_CANCELLED_TOTAL: 'tasks_cancelled_total',
  TASKS_FAILED_TOTAL: 'tasks_failed_total',
  TASKS_REJECTED_TOTAL: 'tasks_rejected_total',
} as const;

/** KVBM metrics, served on their own port with the `kvbm_` prefix (§6.5). */
export const KvbmMetric = {
  OFFLOAD_BLOCKS_D2H: 'offload_blocks_d2h',
  OFFLOAD_BLOCKS_H2D: 'offload_blocks_h2d',
  OFFLOAD_BLOCKS_D2D: 'offload_blocks_d2d',
  ONBOARD_BLOCKS_H2D: 'onboard_blocks_h2d',
  ONBOARD_BLOCKS_D2D: 'onboard_blocks_d2d',
  MATCHED_TOKENS: 'matched_tokens',
  HOST_CACHE_HIT_RATE: 'host_cache_hit_rate',
  DISK_CACHE_HIT_RATE: 'disk_cache_hit_rate',
  OBJECT_CACHE_HIT_RATE: 'object_cache_hit_rate',
  OFFLOAD_BLOCKS_D2O: 'offload_blocks_d2o',
  ONBOARD_BLOCKS_O2D: 'onboard_blocks_o2d',
  OFFLOAD_BYTES_OBJECT: 'offload_bytes_object',
  ONBOARD_BYTES_OBJECT: 'onboard_bytes_object',
  OBJECT_READ_FAILURES: 'object_read_failures',
  OBJECT_WRITE_FAILURES: 'object_write_failures',
} as const;
