/**
 * A local deployment on loopback with ephemeral ports: `dynametrics demo` runs a frontend and N worker
 * processes with system status servers, all sharing a discovery directory, with load against the frontend.
 * Faults are injected on purpose, so that error and cancellation series have data: the mock engines fail a
 * share of requests and the load abandons a share of streams. The demo's own embedded Prometheus runs on a
 * free port and is not used here.
 */
import { type Spawned, spawnCli } from '../../helpers/processes.js';

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
  const demo: Spawned<DeploymentReady> = await spawnCli<DeploymentReady>([
    'demo',
    '--host=127.0.0.1',
    '--http-port=0',
    '--system-port=0',
    '--dashboard-port=0',
    `--workers=${options.workers}`,
    `--rps=${options.rps}`,
    `--error-rate=${options.errorRate}`,
    `--disconnect-fraction=${options.disconnectFraction}`,
    '--prompt-tokens=20-200',
    '--output-tokens=8-48',
    '--ttft-ms=30',
    '--itl-ms=5',
    // The live summary is not read here: print it rarely.
    '--interval=3600',
  ]);
  const { frontend, workers } = demo.ready;
  if (workers.length !== options.workers) {
    await demo.kill();
    throw new Error(`the demo started ${workers.length} workers, not ${options.workers}`);
  }
  return {
    frontend,
    workers,
    async stop() {
      const code = await demo.stop();
      if (code !== 0) throw new Error(`the demo exited with ${code}:\n${demo.stderr()}`);
    },
  };
}
