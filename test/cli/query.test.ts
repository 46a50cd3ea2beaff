import { describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';
import { type ScriptedServer, serveScript } from '../helpers/scripted-server.js';
import { freePort } from '../helpers/tools.js';

const GAUGES =
  '# HELP dynamo_frontend_inflight_requests In flight.\n# TYPE dynamo_frontend_inflight_requests gauge\n' +
  'dynamo_frontend_inflight_requests{model="a"} 3\ndynamo_frontend_inflight_requests{model="b"} 4\n';

const counter = (v: number) =>
  `# HELP dynamo_component_requests_total Requests.\n# TYPE dynamo_component_requests_total counter\ndynamo_component_requests_total{worker_id="1f"} ${v}\n`;

/** `dynametrics query <expr> --target <url> [flags]`. */
const query = (expr: string, target: string, ...flags: string[]) =>
  dynametrics('query', expr, '--target', target, ...flags);

async function withTarget<T>(
  script: Parameters<typeof serveScript>[0],
  f: (s: ScriptedServer) => Promise<T>,
): Promise<T> {
  const server = await serveScript(script);
  try {
    return await f(server);
  } finally {
    await server.close();
  }
}

describe('dynametrics query', () => {
  it('prints an instant result as a table with a column per label', async () => {
    await withTarget([GAUGES], async ({ url }) => {
      const result = await query('sum by (model) (dynamo_frontend_inflight_requests)', url, '--over', '0');
      expect(result.stdout).toBe('model  value\na      3\nb      4\n');
      expect(result.stderr).toBe('[####################] scrape 1/1, 1/1 targets up\n');
      expect(result.code).toBe(0);
    });
  });

  it('scrapes once per step over the window, then answers', async () => {
    await withTarget([counter(10), counter(20), counter(30)], async ({ url, served }) => {
      const target = `svc=${url}/metrics`;
      const result = await query(
        'count_over_time(dynamo_component_requests_total[1m]) * 100 + max_over_time(dynamo_component_requests_total[1m])',
        target,
        '--over',
        '2s',
        '--step',
        '1s',
      );
      expect(result.code).toBe(0);
      expect(served()).toBe(3);
      const host = new URL(url).host;
      expect(result.stdout).toBe(
        `instance${' '.repeat(host.length - 8)}  job  worker_id  value\n${host}  svc  1f         330\n`,
      );
      expect(result.stderr.split('\n')).toEqual([
        '[#######.............] scrape 1/3, 1/1 targets up',
        '[#############.......] scrape 2/3, 1/1 targets up',
        '[####################] scrape 3/3, 1/1 targets up',
        '',
      ]);
    });
  });

  it('prints every step with --range, and Prometheus API JSON with --json', async () => {
    await withTarget([GAUGES], async ({ url }) => {
      const range = await query(
        'sum(dynamo_frontend_inflight_requests)',
        url,
        '--over',
        '1s',
        '--step',
        '500ms',
        '--range',
      );
      expect(range.code).toBe(0);
      const lines = range.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('time                      value');
      expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['7', '7', '7']);
      const json = await query('dynamo_frontend_inflight_requests{model="b"}', url, '--over', '0', '--json');
      expect(json.code).toBe(0);
      const data = JSON.parse(json.stdout);
      expect(data.resultType).toBe('vector');
      expect(
        data.result.map((r: { metric: object; value: [number, string] }) => [r.metric, r.value[1]]),
      ).toEqual([
        [
          {
            __name__: 'dynamo_frontend_inflight_requests',
            instance: new URL(url).host,
            job: 'dynamo',
            model: 'b',
          },
          '4',
        ],
      ]);
    });
  });

  it('prints scalars, and says when nothing matches', async () => {
    await withTarget([GAUGES], async ({ url }) => {
      const scalar = await query('scalar(sum(dynamo_frontend_inflight_requests)) * 2', url, '--over', '0');
      expect(scalar.stdout).toBe('value\n14\n');
      const none = await query('nothing_here', url, '--over', '0');
      expect(none.code).toBe(0);
      expect(none.stdout).toBe('');
      expect(none.stderr).toContain('dynametrics query: no series\n');
    });
  });

  it('rejects an expression that does not parse with its position and exit code 2, before scraping', async () => {
    await withTarget([GAUGES], async ({ url, served }) => {
      const result = await dynametrics('query', 'sum(rate(x[5m])', '--target', url);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'dynametrics query: 1:16: parse error: unclosed left parenthesis\n  sum(rate(x[5m])\n                 ^\nRun "dynametrics query --help" for usage.\n',
      );
      const unsupported = await dynametrics('query', 'sum(predict_linear(x[5m], 60))', '--target', url);
      expect(unsupported.code).toBe(2);
      expect(unsupported.stderr).toContain(
        '1:5: not supported: function "predict_linear" is not implemented by the embedded PromQL engine\n  sum(predict_linear(x[5m], 60))\n      ^\n',
      );
      expect(served()).toBe(0);
    });
  });

  it('fails with exit code 1 when the evaluation fails', async () => {
    await withTarget([GAUGES], async ({ url }) => {
      const result = await query(
        'dynamo_frontend_inflight_requests + on() dynamo_frontend_inflight_requests',
        url,
        '--over',
        '0',
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/dynametrics query: .*many-to-many matching not allowed/);
    });
  });

  it('fails with exit code 1 and says why when no target can be scraped', async () => {
    const port = await freePort();
    const result = await query('up', `http://127.0.0.1:${port}`, '--over', '10s');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `dynametrics query: no target could be scraped:\ncannot scrape http://127.0.0.1:${port}/metrics: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    await withTarget(
      [{ body: '<html><body>login</body></html>', contentType: 'text/html' }],
      async ({ url }) => {
        const html = await query('up', url, '--over', '0');
        expect(html.code).toBe(1);
        expect(html.stderr).toMatch(
          /^dynametrics query: no target could be scraped:\ncannot scrape .*\/metrics: /,
        );
      },
    );
  });

  it('warns about a target that is down and answers from the others', async () => {
    const port = await freePort();
    await withTarget([GAUGES], async ({ url }) => {
      const result = await query(
        'sum by (job) (up)',
        url,
        '--target',
        `down=http://127.0.0.1:${port}/metrics`,
        '--over',
        '0',
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('job     value\ndown    0\ndynamo  1\n');
      expect(result.stderr).toContain(
        `dynametrics query: warning: cannot scrape http://127.0.0.1:${port}/metrics: connect ECONNREFUSED 127.0.0.1:${port}\n`,
      );
    });
  });

  it('exits 2 on bad options', async () => {
    expect((await dynametrics('query', 'up')).stderr).toContain('give at least one --target URL');
    expect((await dynametrics('query', '--target', 'http://x')).code).toBe(2);
    const badTarget = await dynametrics('query', 'up', '--target', 'localhost:8000');
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toContain('--target must be an http(s) URL');
    expect((await query('up', 'http://x', '--step', '0')).code).toBe(2);
  });
});
