// Engine sources, renaming, and what happens when a source or an option is wrong.
import { DistributedRuntime, getPrometheusExpfmt, registerEngineMetricsCallback } from 'dynametrics';

export async function main(): Promise<string> {
  // Any function returning exposition text is a source; OpenMetrics is recognised by its `# EOF`.
  const sglang = () =>
    '# TYPE sglang:num_running_reqs gauge\nsglang:num_running_reqs{tp_rank="0"} 7\n# EOF\n';
  // Strip the matching filter prefix, then add our own: HELP, TYPE and samples are renamed together.
  const renamed = await getPrometheusExpfmt(sglang, {
    metricPrefixFilters: ['sglang:'],
    addPrefix: 'engine_',
  });

  const drt = new DistributedRuntime({ instanceId: 1n, systemServer: false });
  const generate = drt.namespace('dynamo').component('backend').endpoint('generate');
  // A mistake in the options fails here, at registration, not silently on every scrape.
  let refused = '';
  try {
    registerEngineMetricsCallback(generate, sglang, { customLabels: { le: '0.5' } });
  } catch (e) {
    refused = `${(e as Error).name}: ${(e as Error).message}`;
  }
  // A source that fails at scrape time is dropped alone, counted by cause, and tried again next scrape.
  registerEngineMetricsCallback(generate, { file: '/nonexistent/engine.prom' });
  registerEngineMetricsCallback(generate, () => 'vllm:num_requests_running{ 3\n');
  registerEngineMetricsCallback(generate, sglang);
  const scrape = await drt.metrics.prometheusExpfmt();
  const failures = scrape
    .split('\n')
    .filter((line) => line.includes('callback="engine"') && !line.endsWith(' 0'));
  const served = scrape.split('\n').filter((line) => line.startsWith('sglang:'));
  return [renamed, refused, ...failures, ...served].join('\n');
}
