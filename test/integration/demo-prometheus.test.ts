/**
 * The README's main job, checked by a real Prometheus 2.42: `dynametrics demo --duration 20 --rps 20` on
 * loopback, Prometheus scraping the frontend and both workers every second; what Prometheus computes from
 * the scraped series must agree with what the load generator measured.
 *
 * Prometheus starts first and the demo only once Prometheus's scrape loops run, so it scrapes from the
 * frontend's first second (the frontend port is picked in
 * advance; the workers' ephemeral system ports reach Prometheus through a file_sd file written when the
 * demo reports them). `--linger 5` keeps the demo serving after its load, so the final counts are scraped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frontendConfigFromEnv } from '../../src/frontend/config.js';
import { reapAll, type Spawned, spawnCli } from '../helpers/processes.js';
import { Prometheus } from '../helpers/prometheus.js';
import { freePort, waitFor } from '../helpers/tools.js';

interface DemoReady {
  readonly frontend: string;
  readonly workers: { readonly systemStatus: string }[];
}

interface DemoSummary {
  readonly load: {
    readonly sent: number;
    readonly completed: number;
    readonly errors: Record<string, number>;
    readonly ttftSeconds: { readonly p50: number };
  };
}

/** Index of the bucket (upper bound, le) that holds `v`. */
function bucketOf(bounds: readonly number[], v: number): number {
  const i = bounds.findIndex((b) => v <= b);
  return i === -1 ? bounds.length : i;
}

describe('the demo under a real Prometheus', () => {
  let prom: Prometheus | undefined;
  let demo: Spawned<DemoReady> | undefined;
  let dir: string | undefined;

  afterAll(async () => {
    await demo?.kill();
    await reapAll();
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('agrees with the load generator on request rate and median TTFT', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dynametrics-demo-sd-'));
    const workersFile = join(dir, 'workers.json');
    await writeFile(workersFile, '[]');
    const httpPort = await freePort();
    prom = await Prometheus.start(
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: frontend',
        '    static_configs:',
        `      - targets: ["127.0.0.1:${httpPort}"]`,
        '  - job_name: workers',
        '    file_sd_configs:',
        `      - files: [${JSON.stringify(workersFile)}]`,
        '',
      ].join('\n'),
    );
    // Prometheus's scrape loops start about 5 s after it does: start the demo only once the frontend's has
    // run (its `up` exists, still 0).
    await prom.waitForQuery('up{job="frontend"}', (r) => r.length === 1);
    demo = await spawnCli<DemoReady>(
      [
        'demo',
        '--host',
        '127.0.0.1',
        '--http-port',
        String(httpPort),
        '--system-port',
        '0',
        '--dashboard-port',
        '0',
        '--duration',
        '20',
        '--rps',
        '20',
        '--linger',
        '5',
        '--json',
      ],
      {},
      30_000,
    );
    expect(demo.ready.workers).toHaveLength(2);
    await writeFile(
      workersFile,
      JSON.stringify([{ targets: demo.ready.workers.map((w) => new URL(w.systemStatus).host) }]),
    );
    await prom.waitForUp('frontend', 1);
    await prom.waitForUp('workers', 2);

    // The summary line is printed after the load ended and the frontend settled; the demo then lingers.
    const summaryLine = await waitFor('the demo summary', 60_000, async () =>
      demo!.stdoutLines().find((l) => l.startsWith('{"event":"summary"')),
    );
    const summary = JSON.parse(summaryLine) as DemoSummary;
    const sent = summary.load.sent;
    expect(sent).toBeGreaterThan(300);
    expect(summary.load.completed).toBe(sent);
    expect(summary.load.errors).toEqual({});
    // Every request counted once, by the frontend and (through the request plane) by the workers.
    await prom.waitForQuery(
      'sum(dynamo_frontend_requests_total)',
      (r) => Number(r[0]?.value[1]) === sent,
      10_000,
    );
    const t = Date.now() / 1000;
    const [workerTotal] = await prom.query('sum(dynamo_component_requests_total)', t);
    expect(Number(workerTotal.value[1])).toBe(sent);
    const perWorker = await prom.query('sum by (worker_id) (dynamo_component_requests_total)', t);
    expect(perWorker).toHaveLength(2);

    // The whole run (about 25 s) lies inside the minute before t, so the generator's rate over that minute
    // is `sent / 60`; Prometheus extrapolates from the scraped counter.
    const [rate] = await prom.query('sum(rate(dynamo_frontend_requests_total[1m]))', t);
    const generatorRate = sent / 60;
    const relative = Math.abs(Number(rate.value[1]) - generatorRate) / generatorRate;
    expect(relative, `Prometheus ${rate.value[1]}/s, generator ${generatorRate}/s`).toBeLessThan(0.1);

    const [median] = await prom.query(
      'histogram_quantile(0.5, sum by (le) (rate(dynamo_frontend_time_to_first_token_seconds_bucket[1m])))',
      t,
    );
    const bounds = frontendConfigFromEnv({}).buckets.TTFT;
    const server = bucketOf(bounds, Number(median.value[1]));
    const client = bucketOf(bounds, summary.load.ttftSeconds.p50);
    expect(
      Math.abs(server - client),
      `server ${median.value[1]} s, client ${summary.load.ttftSeconds.p50} s`,
    ).toBeLessThanOrEqual(1);

    expect(await demo.exited).toBe(0);
  });
});
