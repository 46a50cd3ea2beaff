/**
 * A frontend and mock-engine workers in one process, sharing one virtual clock: every TTFT, ITL and
 * duration the frontend measures is exactly what the engines were configured to take, so tests can assert
 * histogram buckets exactly. Workers are served in the frontend's own runtime, so requests reach them
 * in-process (the request plane's local path) and no real time passes between an engine emitting a chunk
 * and the frontend observing it.
 */
import { type Clock, VirtualClock } from '../../src/engines/clock.js';
import { MockEngine } from '../../src/engines/mock-engine.js';
import type { MockEngineOptions } from '../../src/engines/mock-options.js';
import { Frontend, type FrontendOptions } from '../../src/frontend/frontend.js';
import { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import type { ServingHandle } from '../../src/runtime/endpoint.js';
import { StaticDiscovery } from '../../src/serving/discovery/static-discovery.js';
import { serveEngine } from '../../src/serving/serve-engine.js';
import { type Logger, MemoryLogger } from '../../src/util/logger.js';

export interface Deployment {
  readonly clock: VirtualClock;
  readonly runtime: DistributedRuntime;
  readonly frontend: Frontend;
  readonly engines: readonly MockEngine[];
  readonly workers: readonly ServingHandle[];
  readonly logger: Logger;
  readonly url: string;
  /** POSTs JSON (or a raw string body) and returns status and parsed body (text for SSE). */
  post(path: string, body: unknown): Promise<{ status: number; body: unknown; text: string }>;
  /** The frontend's `/metrics` as sample line -> value. */
  samples(): Promise<Map<string, number>>;
  /** The frontend's `/metrics` text. */
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export interface DeploymentOptions {
  /** One worker per entry, each on its own component (`backend`, `backend1`, ...). */
  readonly engines: readonly MockEngineOptions[];
  readonly frontend?: Partial<Omit<FrontendOptions, 'runtime' | 'clock'>>;
  /**
   * Let the virtual clock jump to the next engine timer whenever the process is idle (default true). Off,
   * time moves only through `clock.advance()`, for tests that act in the middle of a request.
   */
  readonly autoAdvance?: boolean;
  /** Where the runtime logs (default a MemoryLogger, which keeps every entry). */
  readonly logger?: Logger;
}

const open: Deployment[] = [];

/** Closes every deployment still open (call in afterEach). */
export async function closeDeployments(): Promise<void> {
  await Promise.all(open.splice(0).map((d) => d.close()));
}

/** `name{labels} value` lines of a text exposition as a map; comments are skipped. */
export function sampleMap(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const clock = new VirtualClock({ autoAdvance: options.autoAdvance ?? true });
  const logger = options.logger ?? new MemoryLogger();
  const runtime = new DistributedRuntime({
    instanceId: 0xfe01n,
    systemServer: false,
    env: {},
    logger,
    discovery: new StaticDiscovery(),
  });
  const engines = options.engines.map((o) => new MockEngine({ seed: 1, ...o, clock: clock as Clock }));
  const workers: ServingHandle[] = [];
  for (const [i, engine] of engines.entries()) {
    const component = runtime.namespace('dynamo').component(i === 0 ? 'backend' : `backend${i}`);
    workers.push(await serveEngine(component.endpoint('generate'), engine));
  }
  const frontend = await Frontend.start({
    runtime,
    port: 0,
    host: '127.0.0.1',
    env: {},
    refreshMs: 20,
    ...options.frontend,
    clock,
  });
  const url = frontend.url;
  const metricsText = async () => (await fetch(`${url}/metrics`)).text();
  const deployment: Deployment = {
    clock,
    runtime,
    frontend,
    engines,
    workers,
    logger,
    url,
    async post(path, body) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      if (res.headers.get('content-type')?.startsWith('application/json')) parsed = JSON.parse(text);
      return { status: res.status, body: parsed, text };
    },
    metricsText,
    samples: async () => sampleMap(await metricsText()),
    async close() {
      await frontend.close(0);
      await runtime.shutdown();
      await Promise.all(engines.map((e) => e.close?.()));
    },
  };
  open.push(deployment);
  return deployment;
}
