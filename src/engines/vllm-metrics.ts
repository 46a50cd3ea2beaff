/**
 * The mock engine's own metrics, under vLLM's public names, in a prom-client 15 `Registry`, so that the
 * engine pass-through, dashboards and PromQL written against a real vLLM work against the mock unchanged.
 *
 * Names, HELP texts, label names and buckets follow vLLM v1 (`vllm/v1/metrics/loggers.py`,
 * `PrometheusStatLogger`): every series has `model_name` (the served model name) and `engine` (the engine
 * core index, "0" here). vLLM's Python client appends `_total` to counters; prom-client does not, so the
 * counter names here carry the suffix themselves and the exposition is the same. As in vLLM, every series
 * exists, at zero, from the start, and `vllm:request_success_total` has one series per finish reason.
 *
 * When things are recorded also follows vLLM: prompt tokens and time to first token when the first token
 * is produced, one time-per-output-token observation per later token (the gap since the previous one),
 * and the per-request histograms when a request finishes, whatever the reason.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** vLLM's `vllm:time_to_first_token_seconds` buckets. */
export const VLLM_TTFT_BUCKETS: readonly number[] = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
  80.0, 160.0, 640.0, 2560.0,
];

/** vLLM's `vllm:time_per_output_token_seconds` buckets. */
export const VLLM_TPOT_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];

/** vLLM's request latency buckets (`vllm:e2e_request_latency_seconds` and the phase histograms). */
export const VLLM_REQUEST_LATENCY_BUCKETS: readonly number[] = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
  960.0, 1920.0, 7680.0,
];

/** vLLM's `build_1_2_5_buckets(max)`: 1, 2, 5, 10, 20, 50, ... up to `max` (token-count histograms). */
export function build125Buckets(max: number): number[] {
  const buckets: number[] = [];
  for (let scale = 1; ; scale *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * scale > max) return buckets;
      buckets.push(m * scale);
    }
  }
}

/** The `finished_reason` values vLLM reports (`FINISH_REASON_STRINGS`, without `repetition`). */
export const VLLM_FINISHED_REASONS = ['stop', 'length', 'abort', 'error'] as const;
export type VllmFinishedReason = (typeof VLLM_FINISHED_REASONS)[number];

export interface VllmMetricsOptions {
  /** The served model name (`model_name` label). */
  readonly modelName: string;
  /** The `engine` label; "0" by default (one engine core). */
  readonly engine?: string;
  /** `max_model_len`, the top of the token-count histograms' 1-2-5 buckets. */
  readonly maxModelLen: number;
  /** Where to register; a new `Registry` by default. */
  readonly registry?: Registry;
}

type L = 'model_name' | 'engine';

export class VllmMetrics {
  readonly registry: Registry;
  readonly #labels: Record<L, string>;
  readonly #running: Gauge<L>;
  readonly #waiting: Gauge<L>;
  readonly #gpuCacheUsage: Gauge<L>;
  readonly #kvCacheUsage: Gauge<L>;
  readonly #promptTokens: Counter<L>;
  readonly #generationTokens: Counter<L>;
  readonly #success: Counter<L | 'finished_reason'>;
  readonly #ttft: Histogram<L>;
  readonly #tpot: Histogram<L>;
  readonly #e2e: Histogram<L>;
  readonly #requestPromptTokens: Histogram<L>;
  readonly #requestGenerationTokens: Histogram<L>;
  readonly #prefixQueries: Counter<L>;
  readonly #prefixHits: Counter<L>;

  constructor(options: VllmMetricsOptions) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const labelNames: L[] = ['model_name', 'engine'];
    const labels = { model_name: options.modelName, engine: options.engine ?? '0' };
    this.#labels = labels;
    const registers = [registry];
    const gauge = (name: string, help: string): Gauge<L> => {
      const g = new Gauge({ name, help, labelNames, registers });
      g.set(labels, 0);
      return g;
    };
    const counter = (name: string, help: string): Counter<L> => {
      const c = new Counter({ name, help, labelNames, registers });
      c.inc(labels, 0);
      return c;
    };
    const histogram = (name: string, help: string, buckets: readonly number[]): Histogram<L> => {
      const h = new Histogram({ name, help, labelNames, buckets: [...buckets], registers });
      h.zero(labels);
      return h;
    };
    const tokenBuckets = build125Buckets(options.maxModelLen);

    this.#running = gauge('vllm:num_requests_running', 'Number of requests in model execution batches.');
    this.#waiting = gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.');
    this.#gpuCacheUsage = gauge(
      'vllm:gpu_cache_usage_perc',
      'GPU KV-cache usage. 1 means 100 percent usage.DEPRECATED: Use vllm:kv_cache_usage_perc instead.',
    );
    this.#kvCacheUsage = gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.');
    this.#prefixQueries = counter(
      'vllm:prefix_cache_queries_total',
      'Prefix cache queries, in terms of number of queried tokens.',
    );
    this.#prefixHits = counter(
      'vllm:prefix_cache_hits_total',
      'Prefix cache hits, in terms of number of cached tokens.',
    );
    this.#promptTokens = counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.');
    this.#generationTokens = counter(
      'vllm:generation_tokens_total',
      'Number of generation tokens processed.',
    );
    this.#success = new Counter({
      name: 'vllm:request_success_total',
      help: 'Count of successfully processed requests.',
      labelNames: [...labelNames, 'finished_reason'],
      registers,
    });
    for (const reason of VLLM_FINISHED_REASONS) this.#success.inc({ ...labels, finished_reason: reason }, 0);
    this.#requestPromptTokens = histogram(
      'vllm:request_prompt_tokens',
      'Number of prefill tokens processed.',
      tokenBuckets,
    );
    this.#requestGenerationTokens = histogram(
      'vllm:request_generation_tokens',
      'Number of generation tokens processed.',
      tokenBuckets,
    );
    this.#ttft = histogram(
      'vllm:time_to_first_token_seconds',
      'Histogram of time to first token in seconds.',
      VLLM_TTFT_BUCKETS,
    );
    this.#tpot = histogram(
      'vllm:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
      VLLM_TPOT_BUCKETS,
    );
    this.#e2e = histogram(
      'vllm:e2e_request_latency_seconds',
      'Histogram of e2e request latency in seconds.',
      VLLM_REQUEST_LATENCY_BUCKETS,
    );
  }

  /** Scheduler state: running and waiting requests, and the fraction of KV blocks in use (0 to 1). */
  setSchedulerState(running: number, waiting: number, kvCacheUsage: number): void {
    this.#running.set(this.#labels, running);
    this.#waiting.set(this.#labels, waiting);
    this.#gpuCacheUsage.set(this.#labels, kvCacheUsage);
    this.#kvCacheUsage.set(this.#labels, kvCacheUsage);
  }

  /** A prefix cache lookup of `queriedTokens` prompt tokens, `hitTokens` of them found. */
  recordPrefixCacheQuery(queriedTokens: number, hitTokens: number): void {
    this.#prefixQueries.inc(this.#labels, queriedTokens);
    this.#prefixHits.inc(this.#labels, hitTokens);
  }

  /** The first token of a request: its prompt is now processed. */
  recordFirstToken(promptTokens: number, ttftSeconds: number): void {
    this.#promptTokens.inc(this.#labels, promptTokens);
    this.#generationTokens.inc(this.#labels, 1);
    this.#ttft.observe(this.#labels, ttftSeconds);
  }

  /** A token after the first, `gapSeconds` after the previous one. */
  recordNextToken(gapSeconds: number): void {
    this.#generationTokens.inc(this.#labels, 1);
    this.#tpot.observe(this.#labels, gapSeconds);
  }

  /** A request that ended, for any reason, after it was admitted. */
  recordFinished(
    reason: VllmFinishedReason,
    e2eSeconds: number,
    promptTokens: number,
    generationTokens: number,
  ): void {
    this.#success.inc({ ...this.#labels, finished_reason: reason }, 1);
    this.#e2e.observe(this.#labels, e2eSeconds);
    this.#requestPromptTokens.observe(this.#labels, promptTokens);
    this.#requestGenerationTokens.observe(this.#labels, generationTokens);
  }
}
