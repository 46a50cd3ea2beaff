/**
 * Child processes of the real `dynametrics` command for multi-process tests: spawned with their options,
 * ready when they print their `{"event":"ready"}` line, stopped by PID (SIGTERM, then SIGKILL after a
 * timeout), and always reaped, even when a test fails.
 */
import type { ChildProcess } from 'node:child_process';
import type { WorkerReady } from '../../src/demo/local-deployment.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { FileDiscovery } from '../../src/serving/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { type ReadyProcess, spawnReady } from '../../src/util/ready-process.js';
import { CLI } from './cli.js';

export type Spawned<R> = ReadyProcess<R>;

const running = new Set<ChildProcess>();

/** Starts `dynametrics <args>` and resolves once it prints a JSON line whose `event` is `ready`. */
export async function spawnCli<R = Record<string, unknown>>(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<Spawned<R>> {
  const spawned = spawnReady<R>(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    timeoutMs,
  });
  const p = await spawned;
  running.add(p.child);
  void p.exited.then(() => running.delete(p.child));
  return p;
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

export type { WorkerReady } from '../../src/demo/local-deployment.js';

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
