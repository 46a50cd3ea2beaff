/**
 * A whole inference deployment on one machine, the way Dynamo runs one: worker processes, each serving a
 * mock engine with its system status server, and an OpenAI-compatible frontend that finds them through a
 * shared discovery directory. The workers are real child processes (`dynametrics worker`), so their
 * metrics, discovery and request plane behave exactly as in a fleet; they stop when this process stops,
 * however it stops, because they watch their piped stdin.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Frontend } from '../frontend/frontend.js';
import { DistributedRuntime } from '../runtime/distributed-runtime.js';
import { FileDiscovery } from '../serving/discovery/file-discovery.js';
import type { Logger } from '../util/logger.js';
import { type ReadyProcess, spawnReady } from '../util/ready-process.js';

/** What a worker prints when it is ready (see the `worker` command). */
export interface WorkerReady {
  readonly instanceId: string;
  readonly model: string;
  readonly requestPlane: string;
  readonly systemStatus: string | null;
}

export interface LocalDeploymentOptions {
  /** Address every server binds (frontend, system status servers, request planes). */
  readonly host: string;
  /** Frontend port; 0 picks a free one. */
  readonly httpPort: number;
  /** System status port of the first worker; the others follow (+1, +2, ...); 0 gives each a free one. */
  readonly systemPort: number;
  readonly workers: number;
  readonly model: string;
  /** More `dynametrics worker` flags for every worker (mock engine timings, faults). */
  readonly workerArgs?: readonly string[];
  /** Receives every stderr line of every worker, with the worker's index. */
  readonly onWorkerLog?: (index: number, line: string) => void;
  readonly logger?: Logger;
  /** Environment of the frontend's runtime and of the workers (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface LocalWorker extends WorkerReady {
  readonly process: ReadyProcess<WorkerReady>;
}

export interface LocalDeployment {
  readonly frontend: Frontend;
  readonly runtime: DistributedRuntime;
  readonly workers: readonly LocalWorker[];
  readonly discoveryDir: string;
  /** Stops the frontend (letting running requests finish), then the workers; removes the discovery directory. */
  close(): Promise<void>;
}

/** The `dynametrics` entry point next to this module (in `dist/`), or the built one when run from sources. */
function cliPath(): string {
  const sibling = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  return existsSync(sibling) ? sibling : fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
}

export async function startLocalDeployment(options: LocalDeploymentOptions): Promise<LocalDeployment> {
  const discoveryDir = mkdtempSync(join(tmpdir(), 'dynametrics-demo-'));
  const env = { ...(options.env ?? process.env), DYN_SYSTEM_PORT: '' };
  const started: ReadyProcess<WorkerReady>[] = [];
  let runtime: DistributedRuntime | undefined;
  try {
    const cli = cliPath();
    const spawns = Array.from({ length: options.workers }, (_, i) =>
      spawnReady<WorkerReady>(
        process.execPath,
        [
          cli,
          'worker',
          '--exit-with-parent',
          '--discovery-dir',
          discoveryDir,
          '--model',
          options.model,
          '--seed',
          String(i + 1),
          '--system-host',
          options.host,
          '--system-port',
          String(options.systemPort === 0 ? 0 : options.systemPort + i),
          '--request-host',
          options.host,
          ...(options.workerArgs ?? []),
        ],
        {
          name: `worker ${i}`,
          env,
          stdin: 'pipe',
          onStderrLine: (line) => options.onWorkerLog?.(i, line),
        },
      ).then((p) => {
        started.push(p);
        return p;
      }),
    );
    const settled = await Promise.allSettled(spawns);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    runtime = await DistributedRuntime.create({
      env: { ...env },
      discovery: new FileDiscovery(discoveryDir),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    const frontend = await Frontend.start({
      runtime,
      port: options.httpPort,
      host: options.host,
      env: { ...env },
      refreshMs: 250,
    });
    await waitForWorkers(frontend, options.workers);
    const workers = settled.map((s) => {
      const p = (s as PromiseFulfilledResult<ReadyProcess<WorkerReady>>).value;
      return { ...p.ready, process: p };
    });
    const rt = runtime;
    return {
      frontend,
      runtime: rt,
      workers,
      discoveryDir,
      async close() {
        await frontend.close();
        await rt.shutdown();
        await Promise.all(started.map((p) => p.stop()));
        rmSync(discoveryDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await runtime?.shutdown();
    await Promise.all(started.map((p) => p.kill()));
    rmSync(discoveryDir, { recursive: true, force: true });
    throw e;
  }
}

/** Resolves once the frontend routes to every worker (discovery is polled). */
async function waitForWorkers(frontend: Frontend, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (frontend.models.instances().length < count) {
    if (Date.now() > deadline)
      throw new Error(`the frontend found ${frontend.models.instances().length} of ${count} workers in 20 s`);
    await frontend.models.refresh();
    await new Promise((r) => setTimeout(r, 50));
  }
}
