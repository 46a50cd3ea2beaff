/** Names of metrics of other subsystems, listed by the reference (spec §6.5), without their prefix. */

/** `dynamo_router_` routing overhead, label `router_id`. */
export const RoutingOverheadMetric = {
  BLOCK_HASHING_MS: 'overhead_block_hashing_ms',
  INDEXER_FIND_MATCHES_MS: 'overhead_indexer_find_matches_ms',
  SEQ_HASHING_MS: 'overhead_seq_hashing_ms',
  SCHEDULING_MS: 'overhead_scheduling_ms',
  TOTAL_MS: 'overhead_total_ms',
  SHARED_CACHE_QUERY_MS: 'overhead_shared_cache_query_ms',
  SHARED_CACHE_ERRORS_TOTAL: 'shared_cache_errors_total',
} as const;

/** `dynamo_kvindexer_`. */
export const KvIndexerMetric = {
  REQUEST_DURATION_SECONDS: 'request_duration_seconds',
  REQUESTS_TOTAL: 'requests_total',
  ERRORS_TOTAL: 'errors_total',
  MODELS: 'models',
  WORKERS: 'workers',
} as const;

/** `dynamo_request_plane_`. */
export const RequestPlaneMetric = {
  QUEUE_SECONDS: 'queue_seconds',
  SEND_SECONDS: 'send_seconds',
  ROUNDTRIP_TTFT_SECONDS: 'roundtrip_ttft_seconds',
  INFLIGHT_REQUESTS: 'inflight_requests',
} as const;

/** `dynamo_transport_`. */
export const TransportMetric = {
  TCP_POOL_ACTIVE: 'tcp_pool_active',
  TCP_POOL_IDLE: 'tcp_pool_idle',
  TCP_BYTES_SENT_TOTAL: 'tcp_bytes_sent_total',
  TCP_BYTES_RECEIVED_TOTAL: 'tcp_bytes_received_total',
  TCP_ERRORS_TOTAL: 'tcp_errors_total',
  TCP_SERVER_QUEUE_DEPTH: 'tcp_server_queue_depth',
  NATS_ERRORS_TOTAL: 'nats_errors_total',
} as const;

/** `dynamo_tokio_` (the Rust runtime's scheduler; listed for completeness). */
export const TokioMetric = {
  WORKER_MEAN_POLL_TIME_NS: 'worker_mean_poll_time_ns',
  GLOBAL_QUEUE_DEPTH: 'global_queue_depth',
  BUDGET_FORCED_YIELD_TOTAL: 'budget_forced_yield_total',
  WORKER_BUSY_RATIO: 'worker_busy_ratio',
  WORKER_PARK_COUNT_TOTAL: 'worker_park_count_total',
  WORKER_LOCAL_QUEUE_DEPTH: 'worker_local_queue_depth',
  WORKER_STEAL_COUNT_TOTAL: 'worker_steal_count_total',
  WORKER_OVERFLOW_COUNT_TOTAL: 'worker_overflow_count_total',
  BLOCKING_THREADS: 'blocking_threads',
  BLOCKING_IDLE_THREADS: 'blocking_idle_threads',
  BLOCKING_QUEUE_DEPTH: 'blocking_queue_depth',
  ALIVE_TASKS: 'alive_tasks',
} as const;
