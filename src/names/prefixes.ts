/** Metric name prefixes (reference spec §4.1). */
export const NamePrefix = {
  /** Everything created through a hierarchy level's `create*` methods. */
  COMPONENT: 'dynamo_component',
  /** The OpenAI-compatible frontend's metrics; overridable with `DYN_METRICS_PREFIX`. */
  FRONTEND: 'dynamo_frontend',
  ROUTER: 'dynamo_router',
  KVINDEXER: 'dynamo_kvindexer',
  REQUEST_PLANE: 'dynamo_request_plane',
  TRANSPORT: 'dynamo_transport',
  WORK_HANDLER: 'dynamo_work_handler',
  REJECTION: 'dynamo_rejection',
  TOKIO: 'dynamo_tokio',
  ROUTING_OVERHEAD: 'dynamo_routing_overhead',
} as const;

/** Prefixes engine metrics keep when passed through (reference spec §4.1). */
export const EnginePrefix = {
  VLLM: 'vllm:',
  SGLANG: 'sglang:',
  TRTLLM: 'trtllm_',
  LMCACHE: 'lmcache:',
  KVBM: 'kvbm_',
} as const;

/** The environment variable that overrides the frontend prefix. */
export const METRICS_PREFIX_ENV = 'DYN_METRICS_PREFIX';

/** Unit suffixes the naming rules use (spec §4.2). */
export const UnitSuffix = ['_seconds', '_bytes', '_ms', '_percent', '_messages', '_connections'] as const;

/** Suffixes the naming rules advise against, with the preferred replacement (spec §4.2). */
export const DiscouragedSuffix: Readonly<Record<string, string>> = {
  _counter: '_total',
  _gauge: '(no suffix)',
  _time: '_seconds or _duration_seconds',
  _size: '_bytes or _length',
  _rate: '_per_second',
};
