/**
 * `dynametrics mock-engine`: runs a {@link MockEngineServer} until SIGINT or SIGTERM. The command table
 * of the CLI calls {@link runMockEngineServer} with the arguments after `mock-engine`; the function parses
 * them itself, so its flags and `--help` live next to the options they set.
 */

import { parseArgs } from 'node:util';
import { DynametricsError } from '../core/errors.js';
import { type IntDistribution, parseDistribution } from '../util/distribution.js';
import { untilStopped } from '../util/until-stopped.js';
import type { MockEngineOptions, MockFaultOptions } from './mock-options.js';
import { MockEngineServer } from './mock-server.js';

export interface Flag {
  readonly name: string;
  readonly value?: string;
  readonly help: string;
}

/** The flags that shape a mock engine, shared by `mock-engine` and `worker --engine mock`. */
export const MOCK_ENGINE_FLAGS: readonly Flag[] = [
  { name: 'model', value: 'NAME', help: 'served model name (default mock-model)' },
  { name: 'seed', value: 'N', help: 'seed of every random choice (default 0)' },
  { name: 'ttft-ms', value: 'MS', help: 'fixed part of the time to first token (default 20)' },
  { name: 'ttft-per-token-ms', value: 'MS', help: 'prefill time per uncached prompt token (default 0.1)' },
  { name: 'itl-ms', value: 'MS', help: 'inter-token latency (default 10)' },
  { name: 'itl-jitter-ms', value: 'MS', help: 'extra inter-token time, uniform in [0, MS) (default 0)' },
  {
    name: 'output-tokens',
    value: 'SPEC',
    help: 'output length: N, MIN-MAX (uniform) or normal:MEAN,STDDEV (default 16-128)',
  },
  { name: 'context-length', value: 'N', help: 'maximum prompt + output tokens (default 8192)' },
  { name: 'block-size', value: 'N', help: 'tokens per KV block (default 16)' },
  { name: 'kv-blocks', value: 'N', help: 'KV blocks in the pool (default 4096)' },
  { name: 'max-num-seqs', value: 'N', help: 'running requests at most (default 256)' },
  { name: 'max-waiting', value: 'N', help: 'requests that may queue beyond that (default 0)' },
  { name: 'no-prefix-caching', help: 'do not share prompt blocks between requests' },
  { name: 'error-rate', value: 'P', help: 'probability that a request fails (default 0)' },
  { name: 'error-at', value: 'WHERE', help: 'before-first-token, mid-stream or any (default any)' },
  { name: 'stall-rate', value: 'P', help: 'probability that a chunk stalls (default 0)' },
  { name: 'stall-ms', value: 'MS', help: 'length of a stall (default 1000)' },
  { name: 'never-yield-rate', value: 'P', help: 'probability that a request hangs until cancelled' },
];

const FLAGS: readonly Flag[] = [
  { name: 'port', value: 'N', help: 'port to listen on (default 8000; 0 picks a free one)' },
  { name: 'host', value: 'HOST', help: 'address to bind (default 127.0.0.1)' },
  ...MOCK_ENGINE_FLAGS,
  { name: 'max-concurrent-requests', value: 'N', help: 'generations in flight before 429 (default none)' },
  { name: 'help', help: 'print this help' },
];

/** The `parseArgs` options of a list of flags. */
export function flagOptions(flags: readonly Flag[]): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(
    flags.map((f) => [f.name, { type: f.value === undefined ? 'boolean' : 'string' }]),
  );
}

/** Help lines for a list of flags. */
export function flagHelp(flags: readonly Flag[]): string {
  return flags.map((f) => `  --${f.name}${f.value ? ` ${f.value}` : ''}`.padEnd(34) + f.help).join('\n');
}

/** Mock engine options from parsed flag values (see {@link MOCK_ENGINE_FLAGS}). */
export function mockEngineOptionsFromFlags(values: Readonly<Record<string, unknown>>): MockEngineOptions {
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const num = (name: string): number | undefined => number(name, str(name));
  const faults: MockFaultOptions = {
    errorRate: num('error-rate'),
    errorAt: str('error-at') as MockFaultOptions['errorAt'],
    stallRate: num('stall-rate'),
    stallMs: num('stall-ms'),
    neverYieldRate: num('never-yield-rate'),
  };
  return {
    model: str('model'),
    seed: num('seed'),
    ttftBaseMs: num('ttft-ms'),
    ttftPerUncachedTokenMs: num('ttft-per-token-ms'),
    interTokenLatencyMs: num('itl-ms'),
    interTokenJitterMs: num('itl-jitter-ms'),
    outputLength: outputLength(str('output-tokens')),
    contextLength: num('context-length'),
    kvCacheBlockSize: num('block-size'),
    totalKvBlocks: num('kv-blocks'),
    maxNumSeqs: num('max-num-seqs'),
    maxWaiting: num('max-waiting'),
    enablePrefixCaching: values['no-prefix-caching'] !== true,
    faults,
  };
}

export const MOCK_ENGINE_USAGE = `usage: dynametrics mock-engine [options]
  Serves a seeded mock LLM engine over an OpenAI-compatible API (/v1/models, /v1/completions,
  /v1/chat/completions) with vLLM metrics on /metrics and /health, until SIGINT or SIGTERM.

options:
${flagHelp(FLAGS)}
`;

export interface RunMockEngineServerOptions {
  /** The arguments after `mock-engine`, e.g. `['--port', '8000', '--seed', '7']`. */
  readonly argv: readonly string[];
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Stops the server when aborted, like a signal would. */
  readonly signal?: AbortSignal;
  /** Stop on SIGINT and SIGTERM (default true). */
  readonly handleSignals?: boolean;
  /** Called once the server listens. */
  readonly onListening?: (server: MockEngineServer) => void;
}

/** A flag value that cannot be used; the message names the flag. */
export class MockEngineUsageError extends DynametricsError {
  override name = 'MockEngineUsageError';
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new MockEngineUsageError(`--${flag}: ${JSON.stringify(value)} is not a number`);
  return n;
}

function outputLength(spec: string | undefined): IntDistribution | undefined {
  if (spec === undefined) return undefined;
  try {
    return parseDistribution(spec);
  } catch (e) {
    throw new MockEngineUsageError(`--output-tokens: ${(e as Error).message}`);
  }
}

/** Reads the flags into server settings; throws {@link MockEngineUsageError} on anything unusable. */
export function parseMockEngineArgs(argv: readonly string[]): {
  help: boolean;
  host: string;
  port: number;
  maxConcurrentRequests: number | undefined;
  engine: MockEngineOptions;
} {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: flagOptions(FLAGS),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new MockEngineUsageError((error as Error).message);
  }
  const num = (name: string): number | undefined => number(name, values[name] as string | undefined);
  return {
    help: values.help === true,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    port: num('port') ?? 8000,
    maxConcurrentRequests: num('max-concurrent-requests'),
    engine: mockEngineOptionsFromFlags(values),
  };
}

/**
 * Runs the mock engine server the flags describe until SIGINT, SIGTERM or `signal`; resolves with the exit
 * code: 0 after a clean stop or `--help`, 2 for unusable flags, 1 when the server cannot start.
 */
export async function runMockEngineServer(
  options: RunMockEngineServerOptions | readonly string[],
): Promise<number> {
  const o: RunMockEngineServerOptions = Array.isArray(options)
    ? { argv: options as readonly string[] }
    : (options as RunMockEngineServerOptions);
  const stdout = o.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = o.stderr ?? ((t: string) => void process.stderr.write(t));
  let settings: ReturnType<typeof parseMockEngineArgs>;
  try {
    settings = parseMockEngineArgs(o.argv);
  } catch (error) {
    stderr(`dynametrics mock-engine: ${(error as Error).message}\n${MOCK_ENGINE_USAGE}`);
    return 2;
  }
  if (settings.help) {
    stdout(MOCK_ENGINE_USAGE);
    return 0;
  }
  let server: MockEngineServer;
  try {
    server = await MockEngineServer.start({
      host: settings.host,
      port: settings.port,
      maxConcurrentRequests: settings.maxConcurrentRequests,
      engineOptions: settings.engine,
    });
  } catch (error) {
    stderr(`dynametrics mock-engine: ${(error as Error).message}\n`);
    return (error as Error).name === 'EngineConfigError' ? 2 : 1;
  }
  const stopped = untilStopped({ signal: o.signal, handleSignals: o.handleSignals });
  stdout(`mock engine serving ${server.engine.modelCard.name} on ${server.url}\n`);
  o.onListening?.(server);
  await stopped;
  await server.close();
  return 0;
}
