// The runtime hierarchy: metrics created at any level carry that level's labels automatically.
import { DistributedRuntime } from 'dynametrics';

export async function main(): Promise<string> {
  const drt = new DistributedRuntime({ instanceId: 0x694d9d78249cbd10n, systemServer: false });
  const backend = drt.namespace('dynamo').component('backend');
  const generate = backend.endpoint('generate');

  // dynamo_component_requests_total{dynamo_namespace, dynamo_component, dynamo_endpoint, worker_id, model}
  const requests = generate.metrics.createIntCounterVec('requests_total', 'Requests received.', ['model']);
  requests.labels('llama-3-8b').inc();

  // A component-level gauge carries dynamo_namespace and dynamo_component, but no dynamo_endpoint.
  backend.metrics.createIntGauge('kv_total_blocks', 'KV cache blocks.').set(8192);

  // The endpoint's own exposition; drt.metrics.prometheusExpfmt() would show everything.
  return generate.metrics.prometheusExpfmt();
}
