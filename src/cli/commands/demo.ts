import { CounterVec, Histogram, HistogramVec, IntCounter, IntGauge, Registry } from '../../core/index.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT, writeExposition } from '../../expfmt/index.js';
import { buildComponentMetricName, REQUEST_DURATION_BUCKETS } from '../../names/index.js';
import { type Command, ExitCode, parseOptions } from '../command.js';

/** A registry holding every metric type, with the labels a worker's metrics carry. */
function sampleRegistry(): Registry {
  const registry = new Registry();
  const auto = {
    dynamo_namespace: 'dynamo',
    dynamo_component: 'backend',
    dynamo_endpoint: 'generate',
    worker_id: '694d9d78249cbd10',
  };
  const requests = registry.register(
    new CounterVec({
      name: buildComponentMetricName('requests_total'),
      help: 'Requests received.',
      labelNames: ['model'],
      constLabels: auto,
    }),
  );
  requests.labels('llama-3-8b').inc(42);
  registry
    .register(
      new IntGauge({
        name: buildComponentMetricName('inflight_requests'),
        help: 'Requests in flight.',
        constLabels: auto,
      }),
    )
    .set(3);
  const duration = registry.register(
    new HistogramVec({
      name: buildComponentMetricName('request_duration_seconds'),
      help: 'Request duration.',
      labelNames: ['model'],
      buckets: REQUEST_DURATION_BUCKETS,
      constLabels: auto,
    }),
  );
  for (const v of [0.02, 0.3, 1.7, 12]) duration.labels('llama-3-8b').observe(v);
  registry.register(new IntCounter({ name: 'demo_int_total', help: 'An integer counter.' })).inc(1234567);
  registry
    .register(new Histogram({ name: 'demo_latency_seconds', help: 'A histogram with default buckets.' }))
    .observe(0.042);
  return registry;
}

export const demo: Command = {
  name: 'demo',
  summary: 'print a sample exposition of every metric type',
  help: `usage: dynametrics demo [--openmetrics]

Prints a sample exposition of every metric type, as a worker's /metrics would serve it.

options:
  --openmetrics   print OpenMetrics 1.0.0 instead of the text format 0.0.4
  -h, --help      show this help
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { openmetrics: { type: 'boolean' } });
    io.stdout.write(
      writeExposition(sampleRegistry().gather(), values.openmetrics ? OPENMETRICS_FORMAT : TEXT_FORMAT),
    );
    return ExitCode.OK;
  },
};
