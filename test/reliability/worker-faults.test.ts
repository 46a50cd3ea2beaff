/**
 * Workers that die: `dynametrics worker` processes SIGKILLed while they stream through a frontend. The
 * streams on the killed worker end with an SSE error event and are counted as `truncated_stream`; the
 * streams on the other worker finish; once discovery forgets the dead worker, requests go to the live
 * one; when every worker is gone, requests get 503 `unavailable`. Throughout, the frontend serves
 * `/metrics` and `/health`, and its gauges end at zero.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Frontend } from '../../src/frontend/frontend.js';
import { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import { FileDiscovery } from '../../src/serving/discovery/file-discovery.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { raisedGauges, requestsTotal } from '../frontend/assertions.js';
import { sampleMap } from '../frontend/deployment.js';
import { reapAll, type Spawned, spawnWorker, type WorkerReady } from '../helpers/processes.js';
import { waitFor } from '../helpers/tools.js';
import { timeoutMs } from './helpers/budget.js';
import { recordFigures } from './helpers/figures.js';
import { type ChatStream, openChatStream, streamOutcome } from './helpers/streams.js';

const MODEL = 'mock-model';

let dir: string;
let runtime: DistributedRuntime;
let frontend: Frontend;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-kill-'));
  runtime = new DistributedRuntime({
    instanceId: 0xdeadn,
    systemServer: false,
    env: {},
    logger: new MemoryLogger(),
    discovery: new FileDiscovery(dir),
  });
  frontend = await Frontend.start({ runtime, port: 0, host: '127.0.0.1', env: {}, refreshMs: 50 });
});

afterAll(async () => {
  await reapAll();
  await frontend?.close(0);
  await runtime?.shutdown();
  await rm(dir, { recursive: true, force: true });
});

/** A worker streaming a token every 10 ms, 300 at most per request. */
function startWorker(): Promise<Spawned<WorkerReady>> {
  return spawnWorker(dir, ['--ttft-ms', '10', '--itl-ms', '10', '--output-tokens', '300']);
}

async function instances(n: number): Promise<void> {
  await waitFor(`the frontend to route to ${n} worker(s)`, 10_000, async () =>
    frontend.models.instances().length === n ? true : undefined,
  );
}

/** Opens `n` streams and waits until each has received tokens. */
async function streaming(n: number): Promise<ChatStream[]> {
  const streams = Array.from({ length: n }, () => openChatStream(frontend.url, MODEL, 300));
  await waitFor('every stream to receive tokens', 10_000, async () =>
    streams.every((s) => s.tokens() >= 2) ? true : undefined,
  );
  return streams;
}

/** Requests the frontend routed to this worker and has not finished. */
function inflightOn(worker: Spawned<WorkerReady>): number {
  return (
    frontend.models.instances().find((i) => i.instance.instanceId === worker.ready.instanceId)?.inflight ?? 0
  );
}

async function metrics(): Promise<Map<string, number>> {
  const res = await fetch(`${frontend.url}/metrics`);
  expect(res.status).toBe(200);
  return sampleMap(await res.text());
}

const count = (s: Map<string, number>, errorType: string, type: 'stream' | 'unary' = 'stream') =>
  requestsTotal(s, MODEL, 'chat_completions', type, errorType) ?? 0;

async function unary(): Promise<number> {
  const res = await fetch(`${frontend.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('workers killed with SIGKILL', () => {
  it(
    'cut only their own streams, counted as truncated, while the frontend keeps serving to the end',
    async () => {
      const [a, b] = await Promise.all([startWorker(), startWorker()]);
      await instances(2);

      // Eight streams, spread over both workers by least-loaded routing; kill A in the middle of them.
      const first = await streaming(8);
      const onA = inflightOn(a);
      expect(onA).toBe(4);
      await a.kill();
      const outcomes = (await Promise.all(first.map((s) => s.ended))).map(streamOutcome);
      expect(outcomes.filter((o) => o === 'error event')).toHaveLength(onA);
      expect(outcomes.filter((o) => o === 'done')).toHaveLength(8 - onA);
      let s = await metrics();
      expect([count(s, 'truncated_stream'), count(s, '')]).toEqual([onA, 8 - onA]);

      // Discovery forgets the dead worker; new requests all go to the live one.
      await instances(1);
      expect(await Promise.all(Array.from({ length: 4 }, unary))).toEqual([200, 200, 200, 200]);

      // Kill the last worker mid-stream, then ask for its model: it is known, and unavailable.
      const second = await streaming(3);
      await b.kill();
      expect((await Promise.all(second.map((x) => x.ended))).map(streamOutcome)).toEqual([
        'error event',
        'error event',
        'error event',
      ]);
      await instances(0);
      expect(await Promise.all(Array.from({ length: 3 }, unary))).toEqual([503, 503, 503]);

      s = await metrics();
      expect({
        truncated: count(s, 'truncated_stream'),
        streamed: count(s, ''),
        unary: count(s, '', 'unary'),
        unavailable: count(s, 'unavailable', 'unary'),
      }).toEqual({ truncated: onA + 3, streamed: 8 - onA, unary: 4, unavailable: 3 });
      expect(raisedGauges(s)).toEqual([]);
      expect((await fetch(`${frontend.url}/health`)).status).toBe(200);
      recordFigures('worker-faults', {
        workersKilled: 2,
        streamsCut: onA + 3,
        streamsCountedTruncated: count(s, 'truncated_stream'),
        requestsAfterAllWorkersGone: 3,
        countedUnavailable: count(s, 'unavailable', 'unary'),
      });
    },
    timeoutMs(60_000),
  );
});
