/**
 * A real Prometheus 2.42 on loopback for integration tests: its own config and TSDB in a temporary
 * directory, an ephemeral port, readiness and first-scrape waits by polling (never fixed sleeps), queries
 * through the HTTP API, and a clean stop by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireTool, run, waitFor } from './tools.js';

export interface ScrapeJob {
  readonly job: string;
  readonly targets: readonly string[];
  readonly metricsPath?: string;
  readonly scrapeInterval?: string;
  readonly honorLabels?: boolean;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** Renders a minimal prometheus.yml for the given jobs. */
export function renderConfig(jobs: readonly ScrapeJob[], interval = '1s'): string {
  let out = `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\n  evaluation_interval: ${interval}\nscrape_configs:\n`;
  for (const j of jobs) {
    out += `  - job_name: ${yamlString(j.job)}\n`;
    if (j.metricsPath) out += `    metrics_path: ${yamlString(j.metricsPath)}\n`;
    if (j.scrapeInterval)
      out += `    scrape_interval: ${j.scrapeInterval}\n    scrape_timeout: ${j.scrapeInterval}\n`;
    if (j.honorLabels) out += '    honor_labels: true\n';
    out += `    static_configs:\n      - targets: [${j.targets.map(yamlString).join(', ')}]\n`;
  }
  return out;
}

export class Prometheus {
  private constructor(
    readonly url: string,
    readonly dir: string,
    private readonly process: ChildProcess,
  ) {}

  /**
   * Starts Prometheus with `config` (YAML text); resolves once `/-/ready` answers. `tsdbPath` serves an
   * existing TSDB, e.g. blocks made by `promtool tsdb create-blocks-from openmetrics`; `args` are extra
   * command-line flags.
   */
  static async start(
    config: string,
    options: { tsdbPath?: string; args?: readonly string[] } = {},
  ): Promise<Prometheus> {
    const binary = requireTool('prometheus', 'prometheus');
    const dir = await mkdtemp(join(tmpdir(), 'dynametrics-prom-'));
    const configPath = join(dir, 'prometheus.yml');
    await writeFile(configPath, config);
    const check = await run(requireTool('promtool', 'prometheus'), ['check', 'config', configPath]);
    if (check.code !== 0) throw new Error(`promtool check config failed:\n${check.stdout}${check.stderr}`);
    let lastLog = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const logPath = join(dir, 'prometheus.log');
      const child = spawn(
        binary,
        [
          `--config.file=${configPath}`,
          `--storage.tsdb.path=${options.tsdbPath ?? join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--web.enable-lifecycle',
          '--log.level=warn',
          ...(options.args ?? []),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const chunks: string[] = [];
      child.stderr?.setEncoding('utf8').on('data', (d: string) => chunks.push(d));
      const prom = new Prometheus(url, dir, child);
      try {
        await waitFor('prometheus /-/ready', 15_000, async () => {
          if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
          const res = await fetch(`${url}/-/ready`);
          return res.ok ? true : undefined;
        });
        return prom;
      } catch (e) {
        lastLog = chunks.join('');
        await writeFile(logPath, lastLog).catch(() => {});
        await prom.kill();
        if (attempt === 2) throw new Error(`prometheus did not become ready: ${String(e)}\n${lastLog}`);
      }
    }
    throw new Error(`prometheus did not start\n${lastLog}`);
  }

  /** Instant query; returns the vector (or throws with Prometheus's error). */
  async query(expr: string, time?: number): Promise<PromSample[]> {
    const params = new URLSearchParams({ query: expr });
    if (time !== undefined) params.set('time', String(time));
    const res = await fetch(`${this.url}/api/v1/query?${params}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data: { resultType: string; result: unknown };
    };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    if (body.data.resultType === 'scalar') {
      return [{ metric: {}, value: body.data.result as [number, string] }];
    }
    return body.data.result as PromSample[];
  }

  /** Waits until every target of `job` has been scraped successfully (`up == 1`), the first scrape takes ~5 s on 2.42. */
  async waitForUp(job: string, targets = 1, timeoutMs = 30_000): Promise<void> {
    await waitFor(`up{job="${job}"} == 1 for ${targets} target(s)`, timeoutMs, async () => {
      const up = await this.query(`up{job=${JSON.stringify(job)}} == 1`);
      return up.length >= targets ? true : undefined;
    });
  }

  /** Polls an instant query until `accept` holds for its result. */
  async waitForQuery(
    expr: string,
    accept: (r: PromSample[]) => boolean,
    timeoutMs = 30_000,
  ): Promise<PromSample[]> {
    return waitFor(`query ${expr}`, timeoutMs, async () => {
      const r = await this.query(expr);
      return accept(r) ? r : undefined;
    });
  }

  async targets(): Promise<
    { labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }[]
  > {
    const res = await fetch(`${this.url}/api/v1/targets`);
    const body = (await res.json()) as {
      data: {
        activeTargets: {
          labels: Record<string, string>;
          health: string;
          lastError: string;
          scrapeUrl: string;
        }[];
      };
    };
    return body.data.activeTargets;
  }

  async log(): Promise<string> {
    return readFile(join(this.dir, 'prometheus.log'), 'utf8').catch(() => '');
  }

  private async kill(): Promise<void> {
    const child = this.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops Prometheus by PID and removes its directory. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
