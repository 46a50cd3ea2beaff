import { afterEach, describe, expect, it } from 'vitest';
import { CounterVec, Registry } from '../../src/core/index.js';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.js';
import { inProcessTarget, startEmbeddedPrometheus } from '../../src/query/index.js';
import { httpRequest } from '../helpers/http.js';

let dashboard: Dashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

function registry(): Registry {
  const r = new Registry();
  r.register(
    new CounterVec({ name: 'dynamo_frontend_requests_total', help: 'Requests.', labelNames: ['model'] }),
  )
    .labels('llama')
    .inc(3);
  return r;
}

describe('the dashboard server', () => {
  it('serves the page with an import map for every package the page imports', async () => {
    dashboard = await startDashboard({ scrapeIntervalMs: 2_000, title: 'fleet <one>' });
    const page = await httpRequest(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>fleet &#60;one&#62;</title>');
    expect(page.text).toContain(
      '<script id="dashboard-config" type="application/json">{"title":"fleet \\u003cone>","scrapeIntervalMs":2000}</script>',
    );
    const map = JSON.parse(/<script type="importmap">(.*)<\/script>/.exec(page.text)![1]) as {
      imports: Record<string, string>;
    };
    expect(
      Object.keys(map.imports)
        .filter((k) => !k.startsWith('/'))
        .sort(),
    ).toEqual([
      '@codemirror/autocomplete',
      '@codemirror/commands',
      '@codemirror/language',
      '@codemirror/lint',
      '@codemirror/state',
      '@codemirror/streamparser',
      '@codemirror/view',
      '@lezer/common',
      '@lezer/highlight',
      '@lezer/lr',
      '@marijn/find-cluster-break',
      '@prometheus-io/codemirror-promql',
      '@prometheus-io/lezer-promql',
      'crelt',
      'lru-cache',
      'style-mod',
      'uplot',
      'w3c-keyname',
    ]);
    for (const url of [
      ...Object.values(map.imports),
      '/dashboard/main.js',
      '/vendor/uplot/dist/uPlot.min.css',
    ]) {
      const res = await httpRequest(`${dashboard.url}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/(javascript|css); charset=utf-8$/);
    }
  });

  it('serves nothing outside the module graph', async () => {
    dashboard = await startDashboard();
    for (const path of [
      '/vendor/@codemirror/view/package.json',
      '/vendor/../package.json',
      '/vendor/%2e%2e/package.json',
      '/dashboard/main.ts',
      '/dashboard/main.js.map',
      '/dashboard/../server.js',
      '/etc/passwd',
    ]) {
      const res = await httpRequest(`${dashboard.url}${path}`);
      expect(res.status, path).toBe(404);
    }
    expect((await httpRequest(`${dashboard.url}/dashboard/main.js`, { method: 'POST' })).status).toBe(405);
    const head = await httpRequest(`${dashboard.url}/dashboard/main.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.raw.length).toBe(0);
  });

  it('answers Prometheus API queries about its targets on the same port', async () => {
    dashboard = await startDashboard({
      targets: [inProcessTarget({ job: 'dynamo', instance: 'local', source: registry() })],
    });
    await dashboard.scraper.scrapeNow();
    const res = await fetch(
      `${dashboard.url}/api/v1/query?query=${encodeURIComponent('sum by (model) (dynamo_frontend_requests_total)')}`,
    );
    const body = (await res.json()) as { data: { result: { metric: object; value: [number, string] }[] } };
    expect(body.data.result.map((r) => [r.metric, r.value[1]])).toEqual([[{ model: 'llama' }, '3']]);
    const targets = (await (await fetch(`${dashboard.url}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; scrapeUrl: string }[] };
    };
    expect(targets.data.activeTargets.map((t) => [t.scrapeUrl, t.health])).toEqual([
      ['inprocess://dynamo/local', 'up'],
    ]);
    const bad = await fetch(`${dashboard.url}/api/v1/query?query=${encodeURIComponent('sum(')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe(
      'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    );
    expect((await httpRequest(`${dashboard.url}/-/ready`)).status).toBe(200);
  });

  it('shows an embedded Prometheus it is given, and leaves it running when closed', async () => {
    const prom = await startEmbeddedPrometheus({
      targets: [inProcessTarget({ job: 'dynamo', instance: 'local', source: registry() })],
      scrape: { intervalMs: 1_000 },
    });
    try {
      dashboard = await startDashboard({ prometheus: prom });
      expect(dashboard.scraper).toBe(prom.scraper);
      const page = await httpRequest(`${dashboard.url}/`);
      expect(page.text).toContain('"scrapeIntervalMs":1000');
      await dashboard.close();
      dashboard = undefined;
      await prom.scraper.scrapeNow();
      const res = await fetch(`${prom.url}/api/v1/query?query=up`);
      expect(((await res.json()) as { data: { result: unknown[] } }).data.result).toHaveLength(1);
    } finally {
      await prom.close();
    }
  });

  it('fails to start on a port in use, and says which', async () => {
    dashboard = await startDashboard();
    const port = new URL(dashboard.url).port;
    await expect(startDashboard({ port: Number(port) })).rejects.toThrow(`EADDRINUSE`);
  });
});
