import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/expfmt/index.js';
import { dynametrics } from '../helpers/cli.js';
import { promtoolCheckMetrics } from '../helpers/tools.js';

describe('dynametrics demo (the README main job)', () => {
  it('prints a sample exposition of every metric type that promtool accepts', async () => {
    const result = await dynametrics('demo');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",model="llama-3-8b",worker_id="694d9d78249cbd10"} 42\n',
    );
    const types = new Set(parseExposition(result.stdout).map((f) => f.type));
    expect([...types].sort()).toEqual(['counter', 'gauge', 'histogram']);
    const lint = await promtoolCheckMetrics(result.stdout);
    expect(lint.stderr).toBe('');
    expect(lint.code).toBe(0);
  });

  it('prints OpenMetrics on request', async () => {
    const result = await dynametrics('demo', '--openmetrics');
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('# EOF\n')).toBe(true);
    expect(parseExposition(result.stdout, { syntax: 'openmetrics' })).toHaveLength(5);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await dynametrics('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
