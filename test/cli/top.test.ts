import { describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';
import { serveScript } from '../helpers/scripted-server.js';
import { freePort } from '../helpers/tools.js';

const EXPOSITION = `# HELP dynamo_frontend_inflight_requests In flight.
# TYPE dynamo_frontend_inflight_requests gauge
dynamo_frontend_inflight_requests{model="m"} 3
# HELP dynamo_frontend_queued_requests Queued.
# TYPE dynamo_frontend_queued_requests gauge
dynamo_frontend_queued_requests{model="m"} 2
# HELP dynamo_component_inflight_requests In flight.
# TYPE dynamo_component_inflight_requests gauge
dynamo_component_inflight_requests 5
# HELP dynamo_component_gpu_cache_usage_percent KV.
# TYPE dynamo_component_gpu_cache_usage_percent gauge
dynamo_component_gpu_cache_usage_percent 0.5
`;

describe('dynametrics top', () => {
  it('prints frames one after the other when stdout is not a terminal, and stops after --duration', async () => {
    const target = await serveScript([EXPOSITION]);
    const down = await freePort();
    try {
      const result = await dynametrics(
        'top',
        '--target',
        target.url,
        '--target',
        `other=http://127.0.0.1:${down}/metrics`,
        '--duration',
        '0',
      );
      expect(result.code).toBe(0);
      const host = new URL(target.url).host;
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(
        /^dynametrics top {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}every 2s, rates over 30s$/,
      );
      expect(lines.slice(1)).toEqual([
        `targets: dynamo/${host} up, other/127.0.0.1:${down} DOWN (connect ECONNREFUSED 127.0.0.1:${down})`,
        '',
        'frontend  req/s  errors/s  in flight  queued  TTFT p50  TTFT p99  ITL p50  ITL p99',
        '          -      -         3          2       -         -         -        -',
        '',
        `worker${' '.repeat(host.length - 6)}  req/s  errors/s  in flight  p99 duration  KV cache`,
        `${host}  -      -         5          -             50%`,
        '',
        '',
      ]);
      expect(result.stdout).not.toContain('\x1b');
    } finally {
      await target.close();
    }
  });

  it('exits 2 on bad options', async () => {
    expect((await dynametrics('top')).code).toBe(2);
    const result = await dynametrics('top', '--target', 'http://x', '--window', 'soon');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--window must be a duration');
  });
});
