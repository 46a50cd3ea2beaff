import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';
import { serveScript } from '../helpers/scripted-server.js';
import { freePort } from '../helpers/tools.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const CLEAN =
  '# HELP dynamo_component_requests_total Requests.\n# TYPE dynamo_component_requests_total counter\n' +
  'dynamo_component_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",worker_id="694d9d78249cbd10"} 4\n';

const DEFECTS = `# HELP dynamo_component_requests Requests.
# TYPE dynamo_component_requests counter
dynamo_component_requests 1
# HELP dynamo_component_depth_total Depth.
# TYPE dynamo_component_depth_total gauge
dynamo_component_depth_total{model="a"} 1
dynamo_component_depth_total{model="a"} 2
# HELP dynamo_component_wait_seconds Wait.
# TYPE dynamo_component_wait_seconds histogram
dynamo_component_wait_seconds_bucket{le="1"} 5
dynamo_component_wait_seconds_bucket{le="2"} 4
dynamo_component_wait_seconds_sum 3
dynamo_component_wait_seconds_count 5
`;

describe('dynametrics check', () => {
  it('passes a clean exposition with exit code 0', async () => {
    const result = await dynametrics('check', await file('clean.txt', CLEAN));
    expect(result).toEqual({ code: 0, stdout: 'ok: 1 family, 1 series, no problems\n', stderr: '' });
  });

  it('lists each problem like promtool and exits 1', async () => {
    const result = await dynametrics('check', await file('defects.txt', DEFECTS));
    expect(result.stdout).toBe(
      [
        'dynamo_component_depth_total{model="a"} duplicate series: Prometheus keeps the first sample and drops this one',
        'dynamo_component_depth_total non-counter metrics should not have "_total" suffix',
        'dynamo_component_requests counter metrics should have "_total" suffix',
        'dynamo_component_wait_seconds bucket le="2" (4) is below bucket le="1" (5): buckets must be cumulative',
        'dynamo_component_wait_seconds has no le="+Inf" bucket',
        '5 problems in 3 of 3 families (3 series)',
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(1);
  });

  it('prints the findings as JSON with --json', async () => {
    const result = await dynametrics('check', await file('defects2.txt', DEFECTS), '--json', '--no-dynamo');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.families).toBe(3);
    expect(report.problems[0]).toEqual({
      metric: 'dynamo_component_depth_total',
      labels: { model: 'a' },
      rule: 'duplicate-series',
      group: 'structure',
      message: 'duplicate series: Prometheus keeps the first sample and drops this one',
    });
    expect(report.problems.map((p: { rule: string }) => p.rule)).toEqual([
      'duplicate-series',
      'non-counter-total',
      'counter-total',
      'non-cumulative',
      'missing-inf',
    ]);
  });

  it('reads an OpenMetrics file', async () => {
    const om =
      '# HELP dynamo_component_requests Requests.\n# TYPE dynamo_component_requests counter\ndynamo_component_requests_total 1\n# EOF\n';
    const result = await dynametrics('check', await file('om.txt', om), '--no-dynamo');
    expect(result.stdout).toBe('ok: 1 family, 1 series, no problems\n');
    expect(result.code).toBe(0);
  });

  it('scrapes a URL twice and reports a counter that went down', async () => {
    const counter = (v: number) =>
      `# HELP dynamo_component_requests_total R.\n# TYPE dynamo_component_requests_total counter\ndynamo_component_requests_total ${v}\n`;
    const target = await serveScript([counter(12), counter(7)]);
    try {
      const result = await dynametrics('check', `${target.url}/metrics`, '--interval', '10ms');
      expect(result.stdout).toBe(
        'dynamo_component_requests_total dynamo_component_requests_total went down from 12 to 7 between two scrapes\n' +
          '1 problem in 1 of 1 family (1 series)\n',
      );
      expect(result.code).toBe(1);
      expect(target.served()).toBe(2);
    } finally {
      await target.close();
    }
  });

  it('scrapes once with --interval 0', async () => {
    const target = await serveScript([CLEAN]);
    try {
      const result = await dynametrics('check', `${target.url}/metrics`, '--interval', '0');
      expect(result.code).toBe(0);
      expect(target.served()).toBe(1);
    } finally {
      await target.close();
    }
  });

  it('says so when a URL serves HTML, and exits 1', async () => {
    const target = await serveScript([{ body: '<!DOCTYPE html><html></html>', contentType: 'text/html' }]);
    try {
      const result = await dynametrics('check', `${target.url}/`);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `dynametrics check: ${target.url}/ returned an HTML page (text/html), not a metrics exposition; is the path right (usually /metrics)?\n`,
      });
    } finally {
      await target.close();
    }
  });

  it('says so when a URL answers with an HTTP error', async () => {
    const target = await serveScript([{ body: 'nope', status: 404 }]);
    try {
      const result = await dynametrics('check', `${target.url}/metrics`, '--json');
      expect(result.code).toBe(1);
      const message = `cannot scrape ${target.url}/metrics: server returned HTTP status 404 Not Found`;
      expect(result.stderr).toBe(`dynametrics check: ${message}\n`);
      expect(JSON.parse(result.stdout)).toEqual({
        source: `${target.url}/metrics`,
        ok: false,
        error: message,
      });
    } finally {
      await target.close();
    }
  });

  it('says so when a target is unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}/metrics`;
    const result = await dynametrics('check', url);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `dynametrics check: cannot scrape ${url}: connect ECONNREFUSED ${url.slice(7, -8)}\n`,
    );
  });

  it('says where an exposition does not parse', async () => {
    const path = await file('broken.txt', 'ok_metric 1\n7bad 1\n');
    const result = await dynametrics('check', path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^dynametrics check: ${path} is not a valid exposition: exposition line 2: `),
    );
  });

  it('says so when a file is missing', async () => {
    const result = await dynametrics('check', join(dir, 'missing.txt'));
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `dynametrics check: cannot read ${join(dir, 'missing.txt')}: ENOENT\n`,
    });
  });

  it('exits 2 without a source or with a bad option value', async () => {
    expect((await dynametrics('check')).code).toBe(2);
    const bad = await dynametrics('check', 'x.txt', '--interval', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--interval must be a duration such as 500ms, 5s or 1m, got "soon"');
  });
});
