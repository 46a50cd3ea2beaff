// The metrics core on its own: typed metrics, child handles, a registry, both exposition formats.
import {
  CounterVec,
  Histogram,
  OPENMETRICS_FORMAT,
  Registry,
  TEXT_FORMAT,
  writeExposition,
} from 'dynametrics';

export function main(): string {
  const registry = new Registry();
  const requests = registry.register(
    new CounterVec({
      name: 'http_requests_total',
      help: 'Requests handled.',
      labelNames: ['method', 'code'],
    }),
  );
  // Resolve a label set once and keep the child: recording then touches only numbers.
  const ok = requests.labels('GET', '200');
  ok.inc();
  ok.inc(2);
  requests.labels({ method: 'POST', code: '500' }).inc();

  const latency = registry.register(
    new Histogram({ name: 'request_seconds', help: 'Latency.', buckets: [0.1, 1] }),
  );
  latency.observe(0.25);

  return (
    writeExposition(registry.gather(), TEXT_FORMAT) + writeExposition(registry.gather(), OPENMETRICS_FORMAT)
  );
}
