/**
 * `dynametrics demo`, the README's first command: a local deployment (frontend and mock-engine workers),
 * an embedded Prometheus scraping all of them, load, and a live summary every few seconds that puts what
 * the metrics say next to what the load generator measured.
 */

import { type Dashboard, startDashboard } from '../../dashboard/server.js';
import { formatLiveSummary, serverFigures } from '../../demo/live-summary.js';
import { type LocalDeployment, startLocalDeployment } from '../../demo/local-deployment.js';
import { flagHelp, flagOptions, MOCK_ENGINE_FLAGS } from '../../engines/mock-server-cli.js';
import type { Frontend } from '../../frontend/frontend.js';
import { runLoad } from '../../load/generator.js';
import { LoadStats } from '../../load/stats.js';
import { httpTarget } from '../../query/scrape/target.js';
import { parseDistribution } from '../../util/distribution.js';
import { JsonLogger, parseLogLevel } from '../../util/logger.js';
import { untilStopped } from '../../util/until-stopped.js';
import { type Command, ExitCode, numberOption, parseOptions, portOption, UsageError } from '../command.js';

/** Mock engine flags the demo passes to its workers as they are (it sets `--model` and `--seed` itself). */
const WORKER_ENGINE_FLAGS = MOCK_ENGINE_FLAGS.filter((f) => f.name !== 'model' && f.name !== 'seed');

const DEMO_FLAGS = {
  'http-port': { type: 'string' },
  'system-port': { type: 'string' },
  'dashboard-port': { type: 'string' },
  host: { type: 'string' },
  workers: { type: 'string' },
  model: { type: 'string' },
  rps: { type: 'string' },
  duration: { type: 'string' },
  interval: { type: 'string' },
  window: { type: 'string' },
  'scrape-interval': { type: 'string' },
  'prompt-tokens': { type: 'string' },
  'output-tokens': { type: 'string' },
  'disconnect-fraction': { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  linger: { type: 'string' },
  ...flagOptions(WORKER_ENGINE_FLAGS),
} as const;

/** Waits (up to `timeoutMs`) until the frontend has no request in flight, so the final figures are settled. */
async function settle(frontend: Frontend, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (frontend.models.instances().some((i) => i.inflight > 0) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
}

export const demo: Command = {
  name: 'demo',
  summary: 'run a local deployment (frontend + workers) under load, with a live metrics summary',
  help: `usage: dynametrics demo [options]

Starts, on this machine: an OpenAI-compatible frontend, N worker processes each serving a mock engine with
a system status server, a web dashboard on an embedded Prometheus (store, PromQL engine and HTTP API)
scraping all of them, and a load generator. Every few seconds it prints requests per second, TTFT and ITL p50/p90/p99, ISL/OSL,
in-flight, queued and errors, computed with PromQL from the scraped histograms, next to what the load
generator measured itself. Prints one JSON line {"event":"ready",...} with every URL once serving.
Stops after --duration, or on Ctrl-C, cleanly.

options:
  --http-port N          frontend port (default DYN_HTTP_PORT, else 8000; 0 = a free port)
  --system-port N        system status port of the first worker; the others follow (default 8081;
                         0 = a free port for each)
  --dashboard-port N     the web dashboard, with a Prometheus-compatible API for Grafana under /api/v1
                         (default 9090; 0 = a free port)
  --host HOST            address every server binds (default 127.0.0.1)
  --workers N            worker processes (default 2)
  --model NAME           served model (default mock-model)
  --rps N                requests per second, Poisson arrivals (default 5; 0 = no load)
  --duration S           stop after S seconds (default: run until Ctrl-C)
  --interval S           seconds between two summaries (default 5)
  --window S             range of the summary's rate() and histogram_quantile() (default 15)
  --scrape-interval S    how often the embedded Prometheus scrapes (default 1)
  --prompt-tokens DIST   prompt length: N, MIN-MAX, uniform:MIN:MAX, normal:MEAN:SD (default 50-300)
  --output-tokens DIST   max_tokens of each request, same forms (default 20-200)
  --disconnect-fraction F  abandon this fraction of requests after their first chunk (default 0)
  --seed N               seed of the load (default 1)
  --json                 end with one JSON line {"event":"summary","load":...,"metrics":...}
  --linger S             keep serving S seconds after the final summary, so an external Prometheus can
                         scrape the final counts (default 0)
mock engine options, passed to every worker:
${flagHelp(WORKER_ENGINE_FLAGS)}
  -h, --help             show this help

exit codes: 0 stopped cleanly, 1 could not start, 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, DEMO_FLAGS);
    const httpPort = portOption('http-port', values['http-port'], Number(process.env.DYN_HTTP_PORT || 8000));
    const systemPort = portOption('system-port', values['system-port'], 8081);
    const dashboardPort = portOption('dashboard-port', values['dashboard-port'], 9090);
    const workers = numberOption('workers', values.workers, 2, { integer: true, min: 1 });
    if (systemPort !== 0 && systemPort + workers - 1 > 65535)
      throw new UsageError(`--system-port ${systemPort} leaves no room for ${workers} workers`);
    const rps = numberOption('rps', values.rps, 5);
    const duration = values.duration === undefined ? undefined : numberOption('duration', values.duration, 0);
    const interval = numberOption('interval', values.interval, 5, { min: 0.1 });
    const windowSeconds = numberOption('window', values.window, 15, { min: 1, integer: true });
    const scrapeSeconds = numberOption('scrape-interval', values['scrape-interval'], 1, { min: 0.1 });
    const disconnectFraction = numberOption('disconnect-fraction', values['disconnect-fraction'], 0);
    if (disconnectFraction > 1) throw new UsageError('--disconnect-fraction must be between 0 and 1');
    const seed = numberOption('seed', values.seed, 1, { integer: true });
    const linger = numberOption('linger', values.linger, 0);
    const distribution = (name: 'prompt-tokens' | 'output-tokens') => {
      const v = values[name];
      if (v === undefined) return undefined;
      try {
        return parseDistribution(v);
      } catch (e) {
        throw new UsageError(`--${name}: ${(e as Error).message}`);
      }
    };
    const promptTokens = distribution('prompt-tokens');
    const outputTokens = distribution('output-tokens');
    const model = values.model ?? 'mock-model';
    const host = values.host ?? '127.0.0.1';
    const workerArgs = WORKER_ENGINE_FLAGS.flatMap((f) => {
      const v = (values as Record<string, string | boolean | undefined>)[f.name];
      if (v === undefined || v === false) return [];
      return v === true ? [`--${f.name}`] : [`--${f.name}`, v];
    });

    const out = (text: string) => io.stdout.write(text);
    // Injected faults would log a warning per failed request and bury the summary: the demo logs errors
    // only, unless DYN_LOG asks for more.
    const logLevel = process.env.DYN_LOG || 'error';
    const logger = new JsonLogger(parseLogLevel(logLevel), (line) => io.stderr.write(line));
    let deployment: LocalDeployment | undefined;
    let dashboard: Dashboard | undefined;
    try {
      deployment = await startLocalDeployment({
        host,
        httpPort,
        systemPort,
        workers,
        model,
        workerArgs,
        logger,
        env: { ...process.env, DYN_LOG: logLevel },
        onWorkerLog: (i, line) => io.stderr.write(`[worker ${i}] ${line}\n`),
      });
      const frontend = deployment.frontend;
      dashboard = await startDashboard({
        host,
        port: dashboardPort,
        scrapeIntervalMs: scrapeSeconds * 1000,
        title: 'dynametrics demo',
        targets: [
          httpTarget({ job: 'dynamo-frontend', url: `${frontend.url}/metrics` }),
          ...deployment.workers.flatMap((w) =>
            w.systemStatus === null
              ? []
              : [httpTarget({ job: 'dynamo-backend', url: `${w.systemStatus}/metrics` })],
          ),
        ],
      });
      const stopped = untilStopped({ seconds: duration });
      out(
        `${JSON.stringify({
          event: 'ready',
          frontend: frontend.url,
          workers: deployment.workers.map((w) => ({
            instanceId: w.instanceId,
            systemStatus: w.systemStatus,
            requestPlane: w.requestPlane,
          })),
          prometheus: dashboard.url,
          dashboard: dashboard.url,
        })}\n`,
      );
      out(
        [
          `frontend       ${frontend.url}/v1/chat/completions  (metrics: ${frontend.url}/metrics)`,
          ...deployment.workers.map(
            (w, i) => `worker ${i}       ${w.systemStatus}/metrics  (worker_id ${w.instanceId})`,
          ),
          `dashboard      ${dashboard.url}  (Prometheus API at ${dashboard.url}/api/v1 for Grafana)`,
          rps > 0 ? `load           ${rps} requests/s of ${model}` : 'load           none (--rps 0)',
          '',
        ].join('\n'),
      );

      const stats = new LoadStats();
      const stopLoad = new AbortController();
      const load =
        rps > 0
          ? runLoad(
              {
                url: frontend.url,
                model,
                rps,
                seed,
                disconnectFraction,
                ...(duration === undefined ? {} : { durationSeconds: duration }),
                ...(promptTokens === undefined ? {} : { promptTokens }),
                ...(outputTokens === undefined ? {} : { outputTokens }),
                signal: stopLoad.signal,
              },
              stats,
            )
          : undefined;
      const started = performance.now();
      const summarize = async () => {
        const elapsed = (performance.now() - started) / 1000;
        // Early on the range covers time before the first scrape, which rate() counts as zero; until a full
        // window of data exists, use what there is (at least two scrapes).
        const range = Math.min(
          windowSeconds,
          Math.max(Math.ceil(2 * scrapeSeconds) + 1, Math.floor(elapsed)),
        );
        const figures = await serverFigures(dashboard!.engine, range);
        out(formatLiveSummary(figures, load === undefined ? undefined : stats, elapsed));
        return figures;
      };
      const timer = setInterval(() => {
        summarize().catch((e) => logger.log('warn', 'summary failed', { error: e }));
      }, interval * 1000);
      try {
        // At the end of --duration the load stops by itself and lets its requests finish; Ctrl-C abandons them.
        if ((await stopped) !== 'duration') stopLoad.abort(new Error('the demo is stopping'));
        await load;
      } finally {
        clearInterval(timer);
      }
      await settle(frontend, 5000);
      await dashboard.scraper.scrapeNow();
      out('final:\n');
      const figures = await summarize();
      if (values.json === true)
        out(
          `${JSON.stringify({ event: 'summary', load: load === undefined ? null : stats.summary(), metrics: figures })}\n`,
        );
      if (linger > 0) await untilStopped({ seconds: linger });
      return ExitCode.OK;
    } finally {
      await dashboard?.close();
      await deployment?.close();
    }
  },
};
