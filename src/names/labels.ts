/** Label names with a meaning in Dynamo (reference spec §4.6). */
export const LabelName = {
  /** Auto label: the namespace path of the level that created the metric. */
  NAMESPACE: 'dynamo_namespace',
  /** Auto label: the component. */
  COMPONENT: 'dynamo_component',
  /** Auto label: the endpoint. */
  ENDPOINT: 'dynamo_endpoint',
  /** Auto label: the runtime's instance id as lower-case hex. */
  WORKER_ID: 'worker_id',
  /** Worker rank disambiguation; not automatic. */
  DP_RANK: 'dp_rank',
  MODEL: 'model',
  MODEL_NAME: 'model_name',
  /** `aggregated`, `prefill`, `decode`, `encode`. */
  WORKER_TYPE: 'worker_type',
  ROUTER_ID: 'router_id',
} as const;

/** Labels the hierarchy adds itself; setting them by hand is an error. */
export const AUTO_LABELS: readonly string[] = Object.freeze([
  LabelName.NAMESPACE,
  LabelName.COMPONENT,
  LabelName.ENDPOINT,
  LabelName.WORKER_ID,
]);

/** Labels that belong to histogram buckets and summary quantiles and can never be injected. */
export const BUCKET_LABELS: readonly string[] = Object.freeze(['le', 'quantile']);

/** Well-known component name of the KV router. */
export const ROUTER_COMPONENT = 'router';

/** Values of `worker_type`. */
export const WorkerType = {
  AGGREGATED: 'aggregated',
  PREFILL: 'prefill',
  DECODE: 'decode',
  ENCODE: 'encode',
} as const;
