/**
 * The two servers whose `/metrics` the reliability suite attacks, started the same way so every scenario
 * runs against both: a runtime's system status server, and a frontend (no workers) serving its registry
 * merged with its runtime's. Metrics a scenario creates go on the runtime's `dynamo/backend/generate`
 * endpoint, which both expose.
 */
import { Frontend, type FrontendOptions } from '../../../src/frontend/frontend.js';
import type { ConnectionLimits } from '../../../src/http/system-status-server.js';
import { DistributedRuntime } from '../../../src/runtime/distributed-runtime.js';
import type { Endpoint } from '../../../src/runtime/endpoint.js';
import { StaticDiscovery } from '../../../src/serving/discovery/static-discovery.js';
import { MemoryLogger } from '../../../src/util/logger.js';

export interface MetricsTarget {
  readonly runtime: DistributedRuntime;
  /** Where a scenario's own metrics go. */
  readonly endpoint: Endpoint;
  /** `http://host:port`, without a path. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface TargetOptions {
  readonly connectionLimits?: ConnectionLimits;
  readonly frontend?: Partial<Omit<FrontendOptions, 'runtime'>>;
}

export type TargetKind = 'system status server' | 'frontend';
export const TARGET_KINDS: readonly TargetKind[] = ['system status server', 'frontend'];

export async function startTarget(kind: TargetKind, options: TargetOptions = {}): Promise<MetricsTarget> {
  const logger = new MemoryLogger();
  if (kind === 'system status server') {
    const runtime = await DistributedRuntime.create({
      instanceId: 0x5eed01n,
      env: {},
      logger,
      systemServer: { port: 0, host: '127.0.0.1', startingHealthStatus: 'ready' },
      connectionLimits: options.connectionLimits,
    });
    const server = runtime.systemServer!;
    return {
      runtime,
      endpoint: runtime.namespace('dynamo').component('backend').endpoint('generate'),
      url: server.url,
      port: server.port,
      close: () => runtime.shutdown(),
    };
  }
  const runtime = new DistributedRuntime({
    instanceId: 0x5eed02n,
    env: {},
    logger,
    systemServer: false,
    discovery: new StaticDiscovery(),
  });
  const frontend = await Frontend.start({
    runtime,
    port: 0,
    host: '127.0.0.1',
    env: {},
    connectionLimits: options.connectionLimits,
    ...options.frontend,
  });
  return {
    runtime,
    endpoint: runtime.namespace('dynamo').component('backend').endpoint('generate'),
    url: frontend.url,
    port: frontend.port,
    async close() {
      await frontend.close(0);
      await runtime.shutdown();
    },
  };
}
