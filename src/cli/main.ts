#!/usr/bin/env node
/**
 * The `dynametrics` command. For now `demo` prints a sample exposition of every metric type in the text
 * format (or OpenMetrics with `--openmetrics`).
 */
import {
  Counter,
  CounterVec,
  Gauge,
  Histogram,
  HistogramVec,
  IntCounter,
  IntGauge,
  IntGaugeVec,
  Registry,
} from '../core/index.js';
import { OPENMETRICS_FORMAT, TEXT_FORMAT, writeExposition } from '../expfmt/index.js';
import { buildComponentMetricName, REQUEST_DURATION_BUCKETS } from '../names/index.js';

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
  registry.register(new Counter({ name: 'demo_float_total', help: 'A float counter.' })).inc(0.25);
  registry.register(new IntCounter({ name: 'demo_int_total', help: 'An integer counter.' })).inc(1234567);
  registry.register(new Gauge({ name: 'demo_temperature_celsius', help: 'A float gauge.' })).set(21.5);
  registry
    .register(new IntGaugeVec({ name: 'demo_blocks', help: 'An int gauge vector.', labelNames: ['kind'] }))
    .labels('free')
    .set(8192);
  registry
    .register(new Histogram({ name: 'demo_latency_seconds', help: 'A histogram with default buckets.' }))
    .observe(0.042);
  return registry;
}

function main(argv: string[]): number {
  const [command = 'demo', ...flags] = argv;
  if (command === '--help' || command === 'help') {
    process.stdout.write(
      'usage: dynametrics demo [--openmetrics]\n  prints a sample exposition of every metric type\n',
    );
    return 0;
  }
  if (command !== 'demo') {
    process.stderr.write(`dynametrics: unknown command ${JSON.stringify(command)}; try --help\n`);
    return 2;
  }
  const format = flags.includes('--openmetrics') ? OPENMETRICS_FORMAT : TEXT_FORMAT;
  process.stdout.write(writeExposition(sampleRegistry().gather(), format));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
