/**
 * A local deployment on loopback with ephemeral ports: one frontend and N workers with system status
 * servers, all sharing a discovery directory, and load running against the frontend. Its description has
 * the shape of the `{"event":"ready"}` line of `dynametrics demo`, so the test can move to the demo
 * command by replacing {@link startLocalDeployment} alone.
 *
 * Until that command exists this stand-in builds the deployment from the pieces: workers are real
 * `dynametrics worker` processes (mock engine), the frontend runs in the test process, and the load comes
 * from `runLoad`. Faults are injected on purpose, so that error and cancellation series have data: the
 * mock engines fail a share of requests and the load abandons a share of streams.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frontend } from '../../../src/frontend/frontend.js';
import { runLoad } from '../../../src/load/generator.js';
import { LoadStats } from '../../../src/load/stats.js';
import { DistributedRuntime } from '../../../src/runtime/distributed-runtime.js';
import { FileDiscovery } from '../../../src/serving/discovery/file-discovery.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { type Spawned, spawnCli, type WorkerReady } from '../../helpers/processes.js';
import { waitFor } from '../../helpers/tools.js';

export interface DeploymentWorker {
  readonly instanceId: string;
  /** Base URL of the worker's system status server. */
  readonly systemStatus: string;
  readonly requestPlane: string;
}

/** What `dynametrics demo` reports when it is ready. */
export interface DeploymentReady {
  readonly frontend: string;
  readonly workers: readonly DeploymentWorker[];
}

export interface LocalDeployment extends DeploymentReady {
  /** Requests sent so far, and their outcomes as the client saw them. */
  readonly load: LoadStats;
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  readonly workers: number;
  /** Requests per second (Poisson arrivals). */
  readonly rps: number;
  /** Share of requests the mock engines fail. */
  readonly errorRate: number;
  /** Share of streams the client abandons after the first token. */
  readonly disconnectFraction: number;
}

export async function startLocalDeployment(options: DeploymentOptions): Promise<LocalDeployment> {
  const dir = await mkdtemp(join(tmpdir(), 'dynametrics-deploy-'));
  const workers: Spawned<WorkerReady>[] = [];
  let runtime: DistributedRuntime | undefined;
  let frontend: Frontend | undefined;
  const stopAll = async () => {
    await frontend?.close(0);
    await runtime?.shutdown();
    await Promise.all(workers.map((w) => w.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < options.workers; i++) {
      workers.push(
        await spawnCli<WorkerReady>([
          'worker',
          '--system-port=0',
          '--system-host=127.0.0.1',
          `--discovery-dir=${dir}`,
          `--seed=${i + 1}`,
          `--error-rate=${options.errorRate}`,
          '--ttft-ms=30',
          '--itl-ms=5',
          '--output-tokens=8-48',
        ]),
      );
    }
    runtime = await DistributedRuntime.create({
      systemServer: false,
      discovery: new FileDiscovery(dir),
      env: {},
      logger: new MemoryLogger(),
    });
    frontend = await Frontend.start({ runtime, port: 0, host: '127.0.0.1', env: {}, refreshMs: 200 });
    const url = frontend.url;
    await waitFor(`the frontend to see ${options.workers} workers`, 10_000, async () => {
      const health = (await (await fetch(`${url}/health`)).json()) as { instances: unknown[] };
      return health.instances.length === options.workers ? true : undefined;
    });
    const stopLoad = new AbortController();
    const model = workers[0].ready.model;
    const stats = new LoadStats();
    const load = runLoad(
      {
        url,
        model,
        rps: options.rps,
        seed: 7,
        promptTokens: { kind: 'uniform', min: 20, max: 200 },
        outputTokens: { kind: 'uniform', min: 8, max: 48 },
        disconnectFraction: options.disconnectFraction,
        signal: stopLoad.signal,
      },
      stats,
    );
    const ready: DeploymentReady = {
      frontend: url,
      workers: workers.map((w) => ({
        instanceId: w.ready.instanceId,
        systemStatus: w.ready.systemStatus as string,
        requestPlane: w.ready.requestPlane,
      })),
    };
    return {
      ...ready,
      load: stats,
      async stop() {
        stopLoad.abort();
        await load;
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
