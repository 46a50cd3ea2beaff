import { startDashboard } from '../../dashboard/server.js';
import { untilStopped } from '../../util/until-stopped.js';
import { type Command, ExitCode, parseOptions, portOption } from '../command.js';
import { durationOption } from '../duration-option.js';
import { parseTargets, TARGET_HELP, TARGET_OPTIONS } from '../target-option.js';

export const dashboard: Command = {
  name: 'dashboard',
  summary: 'scrape targets and serve the live web dashboard and a Prometheus API',
  help: `usage: dynametrics dashboard --target URL ... [options]

Scrapes the targets into an embedded Prometheus and serves, on one port, the live dashboard (the
panels of the Dynamo Grafana dashboard, engine panels, and a PromQL box with autocompletion) and the
Prometheus HTTP API under /api/v1/ (usable as a Grafana data source). Nothing to build or install.
Prints one JSON line {"event":"ready","url":...} on stdout once serving; stops on SIGINT/SIGTERM.

options:
${TARGET_HELP}
  --port N            port to serve on (default 9090; 0 picks a free one)
  --host HOST         address to bind (default 127.0.0.1; the dashboard has no authentication)
  --interval D        scrape interval (default 5s)
  --title TEXT        page title (default dynametrics)
  --duration D        stop after this long (default: until SIGINT/SIGTERM)
  -h, --help          show this help

An unreachable target does not stop the dashboard: it shows as down, with the scrape error.

exit codes: 0 stopped cleanly, 1 could not start (e.g. the port is taken), 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      ...TARGET_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      interval: { type: 'string' },
      title: { type: 'string' },
      duration: { type: 'string' },
    });
    const targets = parseTargets(values.target);
    const port = portOption('port', values.port, 9090);
    const scrapeIntervalMs = durationOption('interval', values.interval, 5_000, { minMs: 100 });
    const durationMs =
      values.duration === undefined ? undefined : durationOption('duration', values.duration, 0);
    const server = await startDashboard({
      targets,
      port,
      host: values.host ?? '127.0.0.1',
      scrapeIntervalMs,
      title: values.title,
    });
    try {
      const stopped = untilStopped({ seconds: durationMs === undefined ? undefined : durationMs / 1000 });
      io.stdout.write(
        `${JSON.stringify({ event: 'ready', url: server.url, targets: targets.map((t) => t.url) })}\n`,
      );
      io.stderr.write(
        `dashboard on ${server.url} (Prometheus API at ${server.url}/api/v1/), scraping ${targets.length} target${targets.length === 1 ? '' : 's'} every ${scrapeIntervalMs / 1000}s\n`,
      );
      await stopped;
      return ExitCode.OK;
    } finally {
      await server.close();
    }
  },
};
