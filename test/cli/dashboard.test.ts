import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';
import { reapAll, spawnCli } from '../helpers/processes.js';
import { serveScript } from '../helpers/scripted-server.js';
import { waitFor } from '../helpers/tools.js';

const GAUGE =
  '# HELP dynamo_frontend_queued_requests Queued.\n# TYPE dynamo_frontend_queued_requests gauge\ndynamo_frontend_queued_requests 2\n';

afterAll(async () => {
  await reapAll();
});

interface DashboardReady {
  readonly url: string;
  readonly targets: string[];
}

describe('dynametrics dashboard', () => {
  it('serves the page and the Prometheus API over its targets until SIGTERM, then exits 0', async () => {
    const target = await serveScript([GAUGE]);
    try {
      const d = await spawnCli<DashboardReady>([
        'dashboard',
        '--target',
        `frontend=${target.url}`,
        '--port',
        '0',
        '--interval',
        '200ms',
      ]);
      expect(d.ready.targets).toEqual([`${target.url}/metrics`]);
      const page = await fetch(`${d.ready.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script type="module" src="/dashboard/main.js"></script>');
      const value = await waitFor('a scrape', 10_000, async () => {
        const res = await fetch(`${d.ready.url}/api/v1/query?query=dynamo_frontend_queued_requests`);
        const body = (await res.json()) as {
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
        return body.data.result[0];
      });
      expect(value.metric.job).toBe('frontend');
      expect(value.value[1]).toBe('2');
      expect(d.stderr()).toContain(
        `dashboard on ${d.ready.url} (Prometheus API at ${d.ready.url}/api/v1/), scraping 1 target every 0.2s`,
      );
      expect(await d.stop()).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('keeps serving with an unreachable target and stops after --duration', async () => {
    const result = await dynametrics(
      'dashboard',
      '--target',
      'http://127.0.0.1:9',
      '--port',
      '0',
      '--duration',
      '300ms',
    );
    expect(result.code).toBe(0);
    const ready = JSON.parse(result.stdout) as { event: string; url: string };
    expect(ready.event).toBe('ready');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('exits 1 when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await dynametrics('dashboard', '--target', 'http://127.0.0.1:9', '--port', String(port));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`EADDRINUSE`);
      expect(result.stdout).toBe('');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('exits 2 on bad options', async () => {
    const none = await dynametrics('dashboard');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give at least one --target URL');
    const fast = await dynametrics('dashboard', '--target', 'http://x', '--interval', '10ms');
    expect(fast.code).toBe(2);
    expect(fast.stderr).toContain(
      '--interval must be a duration such as 500ms, 5s or 1m (at least 100 ms), got "10ms"',
    );
    expect((await dynametrics('dashboard', '--target', 'http://x', '--port', '70000')).code).toBe(2);
  });
});
