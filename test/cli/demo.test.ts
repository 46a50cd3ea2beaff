/**
 * `dynametrics demo`, the README's main job: option checking, a short run end to end, and no orphan
 * workers however the demo ends. (Its figures against a real Prometheus: test/integration/demo-prometheus.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dynametrics } from '../helpers/cli.js';
import { reapAll, spawnCli } from '../helpers/processes.js';
import { waitFor } from '../helpers/tools.js';

interface DemoReady {
  readonly frontend: string;
  readonly prometheus: string;
  readonly dashboard: string;
  readonly workers: { readonly instanceId: string; readonly systemStatus: string }[];
}

const EPHEMERAL = ['--host', '127.0.0.1', '--http-port', '0', '--system-port', '0', '--dashboard-port', '0'];

/** Resolves once nothing listens at `url` any more. */
async function gone(url: string): Promise<void> {
  await waitFor(`${url} to stop`, 15_000, async () => {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return undefined;
    } catch {
      return true;
    }
  });
}

afterAll(reapAll);

describe('dynametrics demo (the README main job)', () => {
  it('documents its options', async () => {
    const help = await dynametrics('demo', '--help');
    expect(help.code).toBe(0);
    for (const flag of [
      '--http-port',
      '--system-port',
      '--workers',
      '--model',
      '--rps',
      '--duration',
      '--error-rate',
    ])
      expect(help.stdout).toContain(flag);
  });

  it.each([
    [['--workers', '0'], '--workers must be an integer >= 1'],
    [['--rps=-1'], '--rps must be a number >= 0'],
    [['--http-port', '70000'], '--http-port must be a port between 0 and 65535'],
    [['--system-port', '65535', '--workers', '2'], 'leaves no room for 2 workers'],
    [['--output-tokens', 'lots'], '--output-tokens: length distribution "lots"'],
    [['--disconnect-fraction', '2'], '--disconnect-fraction must be between 0 and 1'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j with exit code 2', async (args, message) => {
    const result = await dynametrics('demo', ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('runs a deployment under load, summarizes it and exits cleanly', async () => {
    const demo = await spawnCli<DemoReady>(
      ['demo', ...EPHEMERAL, '--duration', '4', '--rps', '10', '--interval', '2', '--json'],
      {},
      30_000,
    );
    expect(demo.ready.workers).toHaveLength(2);
    expect(new Set(demo.ready.workers.map((w) => w.instanceId)).size).toBe(2);
    const models = (await (await fetch(`${demo.ready.frontend}/v1/models`)).json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toEqual(['mock-model']);
    // The dashboard page and its Prometheus API, scraping the frontend and both workers.
    const page = await fetch(demo.ready.dashboard);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(demo.ready.prometheus).toBe(demo.ready.dashboard);
    const up = await waitFor('three targets up', 10_000, async () => {
      const res = (await (await fetch(`${demo.ready.dashboard}/api/v1/query?query=up`)).json()) as {
        data: { result: { metric: { job: string }; value: [number, string] }[] };
      };
      const result = res.data.result;
      return result.length === 3 && result.every((r) => r.value[1] === '1') ? result : undefined;
    });
    expect(up.map((r) => r.metric.job).sort()).toEqual([
      'dynamo-backend',
      'dynamo-backend',
      'dynamo-frontend',
    ]);
    expect(await demo.exited).toBe(0);
    const out = demo.stdoutLines();
    expect(out.filter((l) => /^--- \d+s ---$/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(out).toContain('final:');
    const summary = JSON.parse(out.find((l) => l.startsWith('{"event":"summary"'))!) as {
      load: { sent: number; completed: number };
      metrics: { requestsPerSecond: number; inflight: number; queued: number; perWorker: unknown[] };
    };
    expect(summary.load.sent).toBeGreaterThan(10);
    expect(summary.load.completed).toBe(summary.load.sent);
    expect(summary.metrics.requestsPerSecond).toBeGreaterThan(0);
    expect([summary.metrics.inflight, summary.metrics.queued]).toEqual([0, 0]);
    expect(summary.metrics.perWorker).toHaveLength(2);
    for (const w of demo.ready.workers) await gone(`${w.systemStatus}/live`);
  });

  it('leaves no worker behind when it is killed', async () => {
    const demo = await spawnCli<DemoReady>(['demo', ...EPHEMERAL, '--rps', '0'], {}, 30_000);
    for (const w of demo.ready.workers) expect((await fetch(`${w.systemStatus}/live`)).status).toBe(200);
    await demo.kill();
    for (const w of demo.ready.workers) await gone(`${w.systemStatus}/live`);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await dynametrics('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });
});
