// Callbacks: refresh gauges before each scrape, and merge an engine's exposition text into /metrics.
import { DistributedRuntime } from 'dynametrics';

export async function main(): Promise<string> {
  const drt = new DistributedRuntime({ instanceId: 1n, systemServer: false });
  const worker = drt.namespace('dynamo').component('backend').endpoint('generate');

  const queueDepth = worker.metrics.createIntGauge('queue_depth', 'Requests waiting.');
  const queue: string[] = ['a', 'b', 'c'];
  worker.metrics.registerUpdateCallback(() => queueDepth.set(queue.length));

  // Text from an engine (text 0.0.4 or OpenMetrics). It is parsed and merged, so a family never appears twice;
  // text that does not parse is dropped and counted, and the rest of the scrape is still served.
  worker.metrics.registerExpfmtCallback(
    async () =>
      '# HELP vllm:num_requests_running Running requests.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 2\n',
  );

  return worker.metrics.prometheusExpfmt();
}
