// Engine metrics pass-through: the engine's own metrics on the worker's /metrics, filtered and labelled.

import { DistributedRuntime, registerEngineMetricsCallback } from 'dynametrics';
import promClient from 'prom-client';

export async function main(): Promise<string> {
  // The engine keeps its metrics in a prom-client registry of its own (vLLM's names, for the example).
  const engine = new promClient.Registry();
  const running = new promClient.Gauge({
    name: 'vllm:num_requests_running',
    help: 'Running requests.',
    registers: [engine],
  });
  const prompt = new promClient.Counter({
    name: 'vllm:prompt_tokens_total',
    help: 'Prefill tokens.',
    labelNames: ['model_name'],
    registers: [engine],
  });
  new promClient.Gauge({ name: 'vllm:cache_config_info', help: 'Config.', registers: [engine] }).set(1);
  new promClient.Gauge({ name: 'process_open_fds', help: 'Open files.', registers: [engine] }).set(42);
  running.set(3);
  prompt.inc({ model_name: 'llama-3-8b-instruct' }, 512);

  const drt = new DistributedRuntime({ instanceId: 0x694d9d78249cbd10n, systemServer: false });
  const generate = drt.namespace('dynamo').component('backend').endpoint('generate');
  registerEngineMetricsCallback(generate, engine, {
    excludePrefixes: ['vllm:cache_config'], // applied first
    metricPrefixFilters: ['vllm:'], // then keep what matches: process_open_fds goes too
    modelName: 'llama-3-8b', // model and model_name, unless the engine set them itself
    customLabels: { cluster: 'eu-1' },
  });
  // The engine's families are parsed, filtered, labelled and merged on every scrape of the endpoint.
  return generate.metrics.prometheusExpfmt();
}
