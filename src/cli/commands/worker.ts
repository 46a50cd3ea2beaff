import { MockEngine } from '../../engines/mock-engine.js';
import {
  flagHelp,
  flagOptions,
  MOCK_ENGINE_FLAGS,
  mockEngineOptionsFromFlags,
} from '../../engines/mock-server-cli.js';
import type { Engine } from '../../engines/types.js';
import { OpenAIUpstreamEngine } from '../../engines/upstream-engine.js';
import { DistributedRuntime } from '../../runtime/distributed-runtime.js';
import { parseInstanceId } from '../../runtime/instance-id.js';
import { defaultDiscoveryDir, FileDiscovery } from '../../serving/discovery/file-discovery.js';
import { serveEngine } from '../../serving/serve-engine.js';
import { stdinLifeline, untilStopped } from '../../util/until-stopped.js';
import {
  advertiseHostOption,
  type Command,
  ExitCode,
  numberOption,
  parseOptions,
  portOption,
  UsageError,
} from '../command.js';

const WORKER_FLAGS = {
  namespace: { type: 'string' },
  component: { type: 'string' },
  endpoint: { type: 'string' },
  engine: { type: 'string' },
  upstream: { type: 'string' },
  'system-port': { type: 'string' },
  'system-host': { type: 'string' },
  'request-port': { type: 'string' },
  'request-host': { type: 'string' },
  'advertise-host': { type: 'string' },
  'discovery-dir': { type: 'string' },
  'instance-id': { type: 'string' },
  'engine-metrics-prefix': { type: 'string', multiple: true },
  duration: { type: 'string' },
  'exit-with-parent': { type: 'boolean' },
} as const;

/** Checks a request payload before it reaches the engine; a bad one is the engine's 400. */
export const worker: Command = {
  name: 'worker',
  summary: 'serve a model on the request plane (mock engine or an OpenAI-compatible upstream)',
  help: `usage: dynametrics worker [options]

Serves an endpoint (dynamo/backend/generate by default) with an engine, announces it through discovery
with its model card, records the work-handler metrics, passes the engine's own metrics through to
/metrics, and runs the system status server when DYN_SYSTEM_PORT >= 0 (or --system-port is given).
Prints one JSON line {"event":"ready",...} on stdout once serving; stops cleanly on SIGINT/SIGTERM.

options:
  --namespace NAME           namespace (default dynamo)
  --component NAME           component (default backend)
  --endpoint NAME            endpoint (default generate)
  --engine mock|openai       the engine: the seeded mock (default) or an OpenAI-compatible server
  --upstream URL             base URL of the OpenAI-compatible server (with --engine openai)
  --engine-metrics-prefix P  engine metric families to pass through (repeatable; default vllm:, sglang:,
                             trtllm_, lmcache:)
  --system-port N            system status server port (default DYN_SYSTEM_PORT; 0 = a free port)
  --system-host HOST         system status server address (default DYN_SYSTEM_HOST or 0.0.0.0)
  --request-port N           request plane port (default DYN_REQUEST_PLANE_PORT or a free port)
  --request-host HOST        request plane address (default 127.0.0.1)
  --advertise-host HOST      the address other machines reach this worker at, announced through discovery
                             for servers bound to a wildcard (default DYN_ADVERTISE_HOST, else 127.0.0.1)
  --discovery-dir DIR        discovery directory (default DYN_DISCOVERY_DIR or a temp directory)
  --instance-id HEX          the worker's 64-bit instance id (default random)
  --duration S               stop after S seconds
  --exit-with-parent         stop when standard input closes (for supervisors that pipe it)
mock engine options:
${flagHelp(MOCK_ENGINE_FLAGS)}
  -h, --help                 show this help

exit codes: 0 stopped cleanly, 1 could not start, 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...WORKER_FLAGS, ...flagOptions(MOCK_ENGINE_FLAGS) });
    const kind = values.engine ?? 'mock';
    if (kind !== 'mock' && kind !== 'openai') throw new UsageError('--engine must be mock or openai');
    if (kind === 'openai' && values.upstream === undefined)
      throw new UsageError('--engine openai needs --upstream URL');
    const systemPort =
      values['system-port'] === undefined ? undefined : portOption('system-port', values['system-port'], 0);
    const requestPort =
      values['request-port'] === undefined
        ? undefined
        : portOption('request-port', values['request-port'], 0);
    const duration = values.duration === undefined ? undefined : numberOption('duration', values.duration, 0);
    const instanceId =
      values['instance-id'] === undefined ? undefined : parseInstanceId(values['instance-id']);
    const engine: Engine =
      kind === 'mock'
        ? new MockEngine(mockEngineOptionsFromFlags(values))
        : await OpenAIUpstreamEngine.connect({
            baseUrl: values.upstream as string,
            model: (values as { model?: string }).model,
          });
    const advertiseHost = advertiseHostOption('advertise-host', values['advertise-host']);
    const drt = await DistributedRuntime.create({
      ...(instanceId === undefined ? {} : { instanceId }),
      ...(advertiseHost === undefined ? {} : { advertiseHost }),
      ...(systemPort === undefined
        ? {}
        : {
            systemServer: {
              port: systemPort,
              ...(values['system-host'] ? { host: values['system-host'] } : {}),
            },
          }),
      discovery: new FileDiscovery(values['discovery-dir'] ?? defaultDiscoveryDir()),
      requestPlane: {
        ...(requestPort === undefined ? {} : { port: requestPort }),
        ...(values['request-host'] === undefined ? {} : { host: values['request-host'] }),
      },
    });
    const lifeline = values['exit-with-parent'] ? stdinLifeline() : undefined;
    try {
      const card = engine.modelCard;
      const endpoint = drt
        .namespace(values.namespace ?? 'dynamo')
        .component(values.component ?? 'backend')
        .endpoint(values.endpoint ?? 'generate');
      const { instance } = await serveEngine(endpoint, engine, {
        engineMetricPrefixes: values['engine-metrics-prefix'],
      });
      drt.health.setSystemStatus('ready');
      const stopped = untilStopped({ seconds: duration, signal: lifeline?.signal });
      io.stdout.write(
        `${JSON.stringify({
          event: 'ready',
          instanceId: instance.instanceId,
          model: card.name,
          requestPlane: instance.address,
          systemStatus: drt.systemServer?.url ?? null,
        })}\n`,
      );
      await stopped;
      return ExitCode.OK;
    } finally {
      lifeline?.release();
      await drt.shutdown();
      await engine.close?.();
    }
  },
};
