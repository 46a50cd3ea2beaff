/**
 * Serving an inference engine on an endpoint: what a Dynamo worker does. The engine's requests run through
 * the endpoint's work handler (so every request is counted by the work-handler metrics), its model card is
 * announced through discovery (the frontend routes by it and publishes its configuration gauges), its own
 * metrics (vLLM, SGLang, ...) pass through on the same `/metrics` with the hierarchy labels added, and its
 * KV cache occupancy is published as the `total_blocks` / `gpu_cache_usage_percent` gauges the router and
 * the dashboards read. The `worker` command, the demo and tests all serve engines through this one function.
 */
import { registerEngineMetricsCallback } from '../engine/register.js';
import { type Engine, EngineError, type GenerateRequest } from '../engines/types.js';
import { KvStatsMetric } from '../names/component.js';
import type { Endpoint, ServingHandle } from '../runtime/endpoint.js';

/** The engine metric prefixes passed through by default: vLLM, SGLang, TRT-LLM and LMCache. */
export const DEFAULT_ENGINE_METRIC_PREFIXES: readonly string[] = ['vllm:', 'sglang:', 'trtllm_', 'lmcache:'];

export interface ServeEngineOptions {
  /** Engine metric name prefixes to pass through (default {@link DEFAULT_ENGINE_METRIC_PREFIXES}). */
  readonly engineMetricPrefixes?: readonly string[];
}

/** Checks a request payload from the request plane; a malformed one is a 400 for the caller. */
export function generateRequest(payload: unknown): GenerateRequest {
  const p = payload as Partial<GenerateRequest> | null;
  if (p === null || typeof p !== 'object' || typeof p.prompt !== 'string' || typeof p.model !== 'string') {
    throw new EngineError('the request needs a string "model" and "prompt"', 400);
  }
  if (!Number.isSafeInteger(p.maxTokens) || (p.maxTokens as number) < 1)
    throw new EngineError('"maxTokens" must be a positive integer', 400);
  return p as GenerateRequest;
}

/** Serves `engine` on `endpoint` and announces it; resolves once it is discoverable. */
export async function serveEngine(
  endpoint: Endpoint,
  engine: Engine,
  options: ServeEngineOptions = {},
): Promise<ServingHandle> {
  const card = engine.modelCard;
  const labels = { model: card.name.toLowerCase(), model_name: card.name };
  if (engine.metricsSource !== undefined) {
    registerEngineMetricsCallback(endpoint, engine.metricsSource, {
      metricPrefixFilters: [...(options.engineMetricPrefixes ?? DEFAULT_ENGINE_METRIC_PREFIXES)],
      modelName: card.name,
    });
  }
  if (engine.kvStats !== undefined) {
    const kvStats = engine.kvStats.bind(engine);
    const total = endpoint.metrics.createIntGaugeVec(
      KvStatsMetric.TOTAL_BLOCKS,
      'Total number of KV cache blocks',
      ['model', 'dp_rank'],
    );
    const usage = endpoint.metrics.createGaugeVec(
      KvStatsMetric.GPU_CACHE_USAGE_PERCENT,
      'GPU KV cache usage as a fraction (0.0-1.0)',
      ['model', 'dp_rank'],
    );
    endpoint.metrics.registerUpdateCallback(() => {
      const stats = kvStats();
      total.labels(labels.model, '0').set(stats.totalBlocks);
      usage.labels(labels.model, '0').set(stats.totalBlocks === 0 ? 0 : stats.usedBlocks / stats.totalBlocks);
    }, 'kv stats');
  }
  return endpoint.serve<unknown, unknown>(
    (payload, ctx) => engine.generate(generateRequest(payload), ctx.signal),
    { metricsLabels: labels, modelCard: card },
  );
}
