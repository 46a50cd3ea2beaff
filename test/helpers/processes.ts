/**
 * Child processes of the real `dynametrics` command for multi-process tests: spawned with their options,
 * ready when they print their `{"event":"ready"}` line, stopped by PID (SIGTERM, then SIGKILL after a
 * timeout), and always reaped, even when a test fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { FileDiscovery } from '../../src/serving/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { CLI } from './cli.js';

export interface Spawned<R> {
  readonly child: ChildProcess;
  readonly ready: R;
  /** stderr so far, for failure messages. */
  stderr(): string;
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Starts `dynametrics <args>` and resolves once it prints a JSON line whose `event` is `ready`. */
export function spawnCli<R = Record<string, unknown>>(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Spawned<R>> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dynametrics ${args.join(' ')} did not become ready within ${timeoutMs} ms:\n${err}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dynametrics ${args.join(' ')} exited with ${code} before it was ready:\n${err}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { event?: string };
        if (parsed.event === 'ready') {
          clearTimeout(timer);
          resolve({ child, ready: parsed as R, stderr: () => err, stop, kill });
        }
      } catch {}
    });
  });
}

/** Kills every child still running (use in afterAll). */
export async function reapAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
}

export interface WorkerReady {
  readonly instanceId: string;
  readonly model: string;
  readonly requestPlane: string;
  readonly systemStatus: string | null;
}

/**
 * Starts `dynametrics worker <args>` announcing itself in `discoveryDir`, with its system status server on
 * a free loopback port (whatever `DYN_SYSTEM_PORT` the test process has).
 */
export function spawnWorker(
  discoveryDir: string,
  args: readonly string[] = [],
): Promise<Spawned<WorkerReady>> {
  return spawnCli<WorkerReady>(
    ['worker', '--discovery-dir', discoveryDir, '--system-port', '0', '--system-host', '127.0.0.1', ...args],
    { DYN_SYSTEM_PORT: '' },
  );
}

/** A runtime in the test process that finds workers through `discoveryDir` and calls them. */
export function callerRuntime(discoveryDir: string): DistributedRuntime {
  return new DistributedRuntime({
    systemServer: false,
    env: {},
    logger: new MemoryLogger(),
    discovery: new FileDiscovery(discoveryDir),
  });
}
