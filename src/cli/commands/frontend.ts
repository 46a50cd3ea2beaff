/**
 * `dynametrics frontend`: the OpenAI-compatible HTTP frontend, routing to the workers discovery announces.
 */
import { Frontend } from '../../frontend/frontend.js';
import { DistributedRuntime } from '../../runtime/distributed-runtime.js';
import { defaultDiscoveryDir, FileDiscovery } from '../../serving/discovery/file-discovery.js';
import { untilStopped } from '../../util/until-stopped.js';
import {
  advertiseHostOption,
  type Command,
  ExitCode,
  numberOption,
  parseOptions,
  portOption,
} from '../command.js';

export const frontend: Command = {
  name: 'frontend',
  summary:
    'serve the OpenAI-compatible API in front of the discovered workers, with dynamo_frontend_* metrics',
  help: `usage: dynametrics frontend [options]

Serves /v1/models, /v1/chat/completions and /v1/completions (streaming and unary), routing each request to
the least-loaded worker serving its model, found through discovery; /metrics (the dynamo_frontend_*
metrics merged with the runtime's), /health and /live. Prints one JSON line {"event":"ready",...} on
stdout once listening; stops cleanly on SIGINT/SIGTERM, letting running requests finish.

options:
  --http-port N          port (default DYN_HTTP_PORT, else 8000; 0 = a free port)
  --host HOST            address to bind (default 0.0.0.0)
  --advertise-host HOST  the address other machines reach this frontend at, announced through discovery
                         when bound to a wildcard (default DYN_ADVERTISE_HOST, else 127.0.0.1)
  --discovery-dir DIR    discovery directory shared with the workers (default DYN_DISCOVERY_DIR or a temp
                         directory)
  --refresh-ms N         how often discovery is polled (default 1000)
  --max-body-bytes N     largest request body (default 4194304)
  --response-timeout S   fail a stream after S seconds without a chunk (default 300)
  --duration S           stop after S seconds
  -h, --help             show this help

environment: DYN_METRICS_PREFIX (metric prefix), DYN_METRICS_<X>_{MIN,MAX,COUNT} (histogram buckets, X one
of REQUEST_DURATION, INPUT_SEQUENCE, OUTPUT_SEQUENCE, TTFT, ITL), DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS,
DYN_LOG (log level).

exit codes: 0 stopped cleanly, 1 could not start, 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      'http-port': { type: 'string' },
      host: { type: 'string' },
      'advertise-host': { type: 'string' },
      'discovery-dir': { type: 'string' },
      'refresh-ms': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'response-timeout': { type: 'string' },
      duration: { type: 'string' },
    });
    const port =
      values['http-port'] === undefined ? undefined : portOption('http-port', values['http-port'], 0);
    const opt = (name: 'refresh-ms' | 'max-body-bytes' | 'response-timeout' | 'duration', min: number) =>
      values[name] === undefined ? undefined : numberOption(name, values[name], 0, { min });
    const refreshMs = opt('refresh-ms', 10);
    const maxBodyBytes = opt('max-body-bytes', 1);
    const responseTimeout = opt('response-timeout', 0.001);
    const duration = opt('duration', 0);
    const advertiseHost = advertiseHostOption('advertise-host', values['advertise-host']);
    const runtime = await DistributedRuntime.create({
      ...(advertiseHost === undefined ? {} : { advertiseHost }),
      discovery: new FileDiscovery(values['discovery-dir'] ?? defaultDiscoveryDir()),
    });
    try {
      const server = await Frontend.start({
        runtime,
        ...(port === undefined ? {} : { port }),
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(refreshMs === undefined ? {} : { refreshMs }),
        ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
        ...(responseTimeout === undefined ? {} : { responseTimeoutMs: responseTimeout * 1000 }),
      });
      const stopped = untilStopped({ seconds: duration });
      io.stdout.write(`${JSON.stringify({ event: 'ready', url: server.url, port: server.port })}\n`);
      await stopped;
      await server.close();
      return ExitCode.OK;
    } finally {
      await runtime.shutdown();
    }
  },
};
