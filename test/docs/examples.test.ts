import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/expfmt/index.js';
import { readmeBlockOf } from '../helpers/readme-examples.js';

const EXAMPLES = ['core-metrics', 'runtime-metrics', 'callbacks', 'system-status-server'] as const;

async function load(name: string): Promise<{ main: () => string | Promise<string> }> {
  return import(`../../examples/${name}.ts`);
}

describe('the README examples', () => {
  it.each(EXAMPLES)('appear in the README exactly as in examples/%s.ts', async (name) => {
    const { readme, block } = await readmeBlockOf(name);
    expect(readme).toContain(block);
  });

  it('core-metrics prints both formats', async () => {
    const out = await (await load('core-metrics')).main();
    expect(out).toContain('http_requests_total{code="200",method="GET"} 3\n');
    expect(out).toContain('http_requests_total{code="200",method="GET"} 3.0\n');
    expect(out).toContain('request_seconds_bucket{le="1.0"} 1\n');
    expect(out.endsWith('request_seconds_count 1\n# EOF\n')).toBe(true);
  });

  it('runtime-metrics labels the series with the level it was created on', async () => {
    expect(await (await load('runtime-metrics')).main()).toBe(
      '# HELP dynamo_component_requests_total Requests received.\n' +
        '# TYPE dynamo_component_requests_total counter\n' +
        'dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="llama-3-8b",worker_id="694d9d78249cbd10"} 1\n',
    );
  });

  it('callbacks refresh a gauge and merge engine text', async () => {
    const families = parseExposition(await (await load('callbacks')).main());
    expect(families.map((f) => [f.name, (f.series[0] as { value: number }).value])).toEqual([
      ['dynamo_component_queue_depth', 3],
      ['vllm:num_requests_running', 2],
    ]);
  });

  it('system-status-server serves OpenMetrics and health, then shuts down', async () => {
    expect(await (await load('system-status-server')).main()).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8\n200 ready\n',
    );
  });
});
