import { describe, expect, it } from 'vitest';
import { DEFAULT_BUCKETS, generateLogBuckets } from '../../src/core/buckets.js';
import {
  componentMetric,
  NETWORK_TRANSIT_BUCKETS,
  REQUEST_DURATION_BUCKETS,
  RuntimeMetric,
  TIME_TO_FIRST_RESPONSE_BUCKETS,
  WorkHandlerErrorType,
  WorkHandlerLabel,
  WorkHandlerMetric,
} from '../../src/names/component.js';
import {
  DP_RANK_NONE,
  FrontendEndpoint,
  FrontendErrorType,
  FrontendExtraMetric,
  FrontendHistogramConfig,
  FrontendLabel,
  FrontendMetric,
  FrontendPerfMetric,
  FrontendStage,
  FrontendWorkerMetric,
  frontendMetric,
  MigrationType,
  RequestStatus,
  RequestType,
  STAGE_DURATION_BUCKETS,
  TEMPLATE_BUCKETS,
  TOKENIZER_LATENCY_BUCKETS_MS,
  TokenizerOperation,
} from '../../src/names/frontend.js';
import {
  AUTO_LABELS,
  BUCKET_LABELS,
  LabelName,
  ROUTER_COMPONENT,
  WorkerType,
} from '../../src/names/labels.js';
import { EnginePrefix, METRICS_PREFIX_ENV, NamePrefix } from '../../src/names/prefixes.js';

const sorted = (values: Iterable<string>) => [...values].sort();

describe('name prefixes (spec §4.1)', () => {
  it('are exactly the ten prefixes of the name_prefix module', () => {
    expect(NamePrefix).toEqual({
      COMPONENT: 'dynamo_component',
      FRONTEND: 'dynamo_frontend',
      ROUTER: 'dynamo_router',
      KVINDEXER: 'dynamo_kvindexer',
      REQUEST_PLANE: 'dynamo_request_plane',
      TRANSPORT: 'dynamo_transport',
      WORK_HANDLER: 'dynamo_work_handler',
      REJECTION: 'dynamo_rejection',
      TOKIO: 'dynamo_tokio',
      ROUTING_OVERHEAD: 'dynamo_routing_overhead',
    });
  });

  it('include the prefixes engine metrics keep when passed through', () => {
    expect(sorted(Object.values(EnginePrefix))).toEqual(
      sorted(['vllm:', 'sglang:', 'trtllm_', 'lmcache:', 'kvbm_']),
    );
  });

  it('name the frontend prefix override DYN_METRICS_PREFIX (spec §4.5)', () => {
    expect(METRICS_PREFIX_ENV).toBe('DYN_METRICS_PREFIX');
  });
});

describe('label names (spec §1.4, §4.6)', () => {
  it('are the reserved and well-known label names of the labels module', () => {
    expect(LabelName).toEqual({
      NAMESPACE: 'dynamo_namespace',
      COMPONENT: 'dynamo_component',
      ENDPOINT: 'dynamo_endpoint',
      WORKER_ID: 'worker_id',
      DP_RANK: 'dp_rank',
      MODEL: 'model',
      MODEL_NAME: 'model_name',
      WORKER_TYPE: 'worker_type',
      ROUTER_ID: 'router_id',
    });
  });

  it('mark the hierarchy labels and worker_id as automatic, in build order', () => {
    expect(AUTO_LABELS).toEqual(['dynamo_namespace', 'dynamo_component', 'dynamo_endpoint', 'worker_id']);
  });

  it('reserve le and quantile for buckets and quantiles', () => {
    expect(sorted(BUCKET_LABELS)).toEqual(['le', 'quantile']);
  });

  it('know the router component and the worker types', () => {
    expect(ROUTER_COMPONENT).toBe('router');
    expect(sorted(Object.values(WorkerType))).toEqual(sorted(['aggregated', 'prefill', 'decode', 'encode']));
  });
});

describe('work-handler metrics (spec §6.1)', () => {
  it('have the full names of the component metric table', () => {
    const full = (Object.values(WorkHandlerMetric) as string[]).map(componentMetric);
    expect(full).toEqual(
      expect.arrayContaining([
        'dynamo_component_requests_total',
        'dynamo_component_inflight_requests',
        'dynamo_component_request_duration_seconds',
        'dynamo_component_request_bytes_total',
        'dynamo_component_response_bytes_total',
        'dynamo_component_errors_total',
        'dynamo_component_cancellation_total',
        'dynamo_component_network_transit_seconds',
        'dynamo_component_time_to_first_response_seconds',
      ]),
    );
  });

  it('include the work-queue and pool metrics of the newest names file', () => {
    expect(Object.values(WorkHandlerMetric)).toEqual(
      expect.arrayContaining([
        'queue_depth',
        'queue_capacity',
        'enqueue_rejected_total',
        'permit_wait_seconds',
        'pool_active_tasks',
        'pool_capacity',
      ]),
    );
    expect(Object.keys(WorkHandlerMetric)).toHaveLength(15);
  });

  it('put the error kind in the error_type label, with exactly the seven reference values', () => {
    expect(WorkHandlerLabel.ERROR_TYPE).toBe('error_type');
    expect(sorted(Object.values(WorkHandlerErrorType))).toEqual(
      sorted([
        'deserialization',
        'invalid_message',
        'response_stream',
        'generate',
        'publish_response',
        'publish_final',
        'serialization',
      ]),
    );
  });

  it('name the uptime gauge dynamo_component_uptime_seconds (spec §6.4)', () => {
    expect(componentMetric(RuntimeMetric.UPTIME_SECONDS)).toBe('dynamo_component_uptime_seconds');
  });

  it('use the request-duration buckets of PR #8087, up to 600 s', () => {
    expect(REQUEST_DURATION_BUCKETS).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600,
    ]);
  });

  it('use the network-transit buckets', () => {
    expect(NETWORK_TRANSIT_BUCKETS).toEqual([0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1]);
  });

  it('use the time-to-first-response buckets as listed', () => {
    expect(TIME_TO_FIRST_RESPONSE_BUCKETS).toEqual([
      0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
  });

  it('fall back to the Prometheus default buckets elsewhere (spec §2.1)', () => {
    expect(DEFAULT_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
  });

  it('freeze every bucket list so no caller can change it for everyone', () => {
    for (const list of [
      DEFAULT_BUCKETS,
      REQUEST_DURATION_BUCKETS,
      NETWORK_TRANSIT_BUCKETS,
      TIME_TO_FIRST_RESPONSE_BUCKETS,
      TOKENIZER_LATENCY_BUCKETS_MS,
      STAGE_DURATION_BUCKETS,
      TEMPLATE_BUCKETS,
    ]) {
      expect(Object.isFrozen(list)).toBe(true);
    }
  });
});

describe('frontend metrics (spec §6.2)', () => {
  it('have the full names of the main frontend table under the default prefix', () => {
    const full = (Object.values(FrontendMetric) as string[]).map((short) => frontendMetric(short));
    expect(sorted(full)).toEqual(
      sorted([
        'dynamo_frontend_requests_total',
        'dynamo_frontend_requests_started_total',
        'dynamo_frontend_inflight_requests',
        'dynamo_frontend_active_requests',
        'dynamo_frontend_queued_requests',
        'dynamo_frontend_disconnected_clients',
        'dynamo_frontend_request_duration_seconds',
        'dynamo_frontend_input_sequence_tokens',
        'dynamo_frontend_output_sequence_tokens',
        'dynamo_frontend_output_tokens_total',
        'dynamo_frontend_cached_tokens',
        'dynamo_frontend_tokenizer_latency_ms',
        'dynamo_frontend_time_to_first_token_seconds',
        'dynamo_frontend_inter_token_latency_seconds',
        'dynamo_frontend_model_total_kv_blocks',
        'dynamo_frontend_model_max_num_seqs',
        'dynamo_frontend_model_max_num_batched_tokens',
        'dynamo_frontend_model_context_length',
        'dynamo_frontend_model_kv_cache_block_size',
        'dynamo_frontend_model_migration_limit',
        'dynamo_frontend_model_migration_total',
        'dynamo_frontend_model_migration_max_seq_len_exceeded_total',
        'dynamo_frontend_model_cancellation_total',
        'dynamo_frontend_model_rejection_total',
      ]),
    );
  });

  it('put a custom prefix in front of the main set', () => {
    expect(frontendMetric(FrontendMetric.REQUESTS_TOTAL, 'nv_llm_http_service')).toBe(
      'nv_llm_http_service_requests_total',
    );
  });

  it('have the per-worker and router-side gauges under the literal dynamo_frontend_ prefix', () => {
    const full = (Object.values(FrontendWorkerMetric) as string[]).map((short) => `dynamo_frontend_${short}`);
    expect(sorted(full)).toEqual(
      sorted([
        'dynamo_frontend_worker_last_time_to_first_token_seconds',
        'dynamo_frontend_worker_last_input_sequence_tokens',
        'dynamo_frontend_worker_last_inter_token_latency_seconds',
        'dynamo_frontend_worker_active_decode_blocks',
        'dynamo_frontend_worker_active_prefill_tokens',
        'dynamo_frontend_worker_waiting_requests',
        'dynamo_frontend_router_queue_pending_requests',
        'dynamo_frontend_kv_hit_rate',
        'dynamo_frontend_kv_transfer_estimated_latency_seconds',
        'dynamo_frontend_shared_cache_hit_rate',
        'dynamo_frontend_shared_cache_beyond_blocks',
      ]),
    );
  });

  it('have the LoRA, multimodal and embedding-latency names', () => {
    expect(sorted(Object.values(FrontendExtraMetric))).toEqual(
      sorted([
        'lora_replica_factor',
        'lora_is_active',
        'lora_estimated_load',
        'lora_raw_arrival_count',
        'lora_active_requests',
        'lora_churn_loads_total',
        'lora_churn_unloads_total',
        'lora_overflow_count',
        'images_per_request',
        'videos_per_request',
        'audio_per_request',
        'embedding_latency_seconds',
      ]),
    );
  });

  it('have the frontend pipeline names', () => {
    expect(sorted(Object.values(FrontendPerfMetric))).toEqual(
      sorted([
        'stage_requests',
        'stage_duration_seconds',
        'tokenize_seconds',
        'template_seconds',
        'detokenize_total_us',
        'detokenize_token_count',
        'event_loop_delay_seconds',
        'event_loop_stall_total',
        'tokenizer_cache_hits_total',
        'tokenizer_cache_misses_total',
        'tokenizer_cache_cached_tokens_total',
        'tokenizer_cache_uncached_tokens_total',
      ]),
    );
  });

  it('have the label names of the frontend table', () => {
    expect(FrontendLabel).toEqual({
      MODEL: 'model',
      ENDPOINT: 'endpoint',
      REQUEST_TYPE: 'request_type',
      STATUS: 'status',
      ERROR_TYPE: 'error_type',
      OPERATION: 'operation',
      MIGRATION_TYPE: 'migration_type',
      STAGE: 'stage',
      PHASE: 'phase',
    });
  });

  it('have the endpoint, request_type, status, operation, migration_type and stage values', () => {
    expect(sorted(Object.values(FrontendEndpoint))).toEqual(
      sorted([
        'completions',
        'chat_completions',
        'embeddings',
        'images',
        'videos',
        'audios',
        'responses',
        'anthropic_messages',
        'tensor',
      ]),
    );
    expect(sorted(Object.values(RequestType))).toEqual(['stream', 'unary']);
    expect(sorted(Object.values(RequestStatus))).toEqual(['error', 'success']);
    expect(sorted(Object.values(TokenizerOperation))).toEqual(['detokenize', 'tokenize']);
    expect(sorted(Object.values(MigrationType))).toEqual(['new_request', 'ongoing_request']);
    expect(sorted(Object.values(FrontendStage))).toEqual(
      sorted(['preprocess', 'route', 'dispatch', 'transport_roundtrip', 'postprocess']),
    );
    expect(DP_RANK_NONE).toBe('none');
  });

  it('have every error_type value, the empty string meaning success', () => {
    expect(FrontendErrorType.NONE).toBe('');
    expect(sorted(Object.values(FrontendErrorType))).toEqual(
      sorted([
        '',
        'validation',
        'not_found',
        'overload',
        'cancelled',
        'response_timeout',
        'internal',
        'not_implemented',
        'unavailable',
        'first_token_timeout',
        'intra_token_timeout',
        'backend_error',
        'truncated_stream',
      ]),
    );
  });

  it('use the stage-duration and template buckets', () => {
    expect(STAGE_DURATION_BUCKETS).toEqual([0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5]);
    expect(TEMPLATE_BUCKETS).toEqual([0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05]);
  });
});

describe('frontend histogram buckets (spec §6.3)', () => {
  it('default to the min, max and count of the reference table', () => {
    expect(FrontendHistogramConfig).toEqual({
      REQUEST_DURATION: { min: 1, max: 512, count: 10 },
      INPUT_SEQUENCE: { min: 50, max: 128000, count: 12 },
      OUTPUT_SEQUENCE: { min: 50, max: 32000, count: 10 },
      TTFT: { min: 0.001, max: 480, count: 18 },
      ITL: { min: 0.001, max: 2, count: 13 },
      EMBEDDING_LATENCY: { min: 0.001, max: 10, count: 14 },
    });
  });

  it.each([
    ['REQUEST_DURATION', [0, 2, 4, 8, 16, 32, 64, 130, 260, 510]],
    ['INPUT_SEQUENCE', [0, 100, 210, 430, 870, 1800, 3600, 7400, 15000, 31000, 63000, 130000]],
    ['OUTPUT_SEQUENCE', [0, 100, 210, 430, 880, 1800, 3700, 7600, 16000, 32000]],
    [
      'TTFT',
      [0, 0.0022, 0.0047, 0.01, 0.022, 0.047, 0.1, 0.22, 0.47, 1, 2.2, 4.7, 10, 22, 48, 100, 220, 480],
    ],
    ['ITL', [0, 0.0019, 0.0035, 0.0067, 0.013, 0.024, 0.045, 0.084, 0.16, 0.3, 0.56, 1.1, 2]],
  ] as const)('turn the %s defaults into the buckets the reference lists', (key, expected) => {
    const { min, max, count } = FrontendHistogramConfig[key];
    expect(generateLogBuckets(min, max, count).buckets).toEqual(expected);
  });

  it('use the fixed tokenizer-latency buckets in milliseconds', () => {
    expect(TOKENIZER_LATENCY_BUCKETS_MS).toEqual([0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
  });
});
