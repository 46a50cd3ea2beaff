/** Bad input and heavy queries: Prometheus-style errors, and the store keeps serving. */
import { afterEach, describe, expect, it } from 'vitest';
import { QueryApiServer } from '../../src/query/api/server.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { QueryCanceledError } from '../../src/query/errors.js';
import { labelsFromRecord } from '../../src/query/labels.js';
import { MemoryStore } from '../../src/query/storage/store.js';

function bigStore(series: number, samples: number): MemoryStore {
  const store = new MemoryStore({ retentionMs: 365 * 86_400_000, maxBytes: 1024 ** 3 });
  for (let s = 0; s < series; s++) {
    const target = store.series(labelsFromRecord({ __name__: 'big_total', s: String(s), g: String(s % 10) }));
    for (let i = 0; i < samples; i++) store.appendTo(target, i * 15_000, i * (s + 1));
  }
  return store;
}

let server: QueryApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string, params: Record<string, string>) {
  const res = await fetch(`${server!.url}${path}?${new URLSearchParams(params)}`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; errorType?: string; error?: string },
  };
}

describe('query limits', () => {
  it('stops a query that runs past its timeout with a Prometheus timeout error, then keeps serving', async () => {
    server = await QueryApiServer.start({ engine: new QueryEngine(bigStore(300, 2000)) });
    const slow = await get('/api/v1/query_range', {
      query: 'sum by (g) (rate(big_total[5m]))',
      start: '300',
      end: '30000',
      step: '15',
      timeout: '0.001',
    });
    expect(slow).toEqual({
      status: 503,
      body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
    });
    const next = await get('/api/v1/query', { query: 'count(big_total)', time: '30000' });
    expect(next.status).toBe(200);
  });

  it('refuses queries that would hold too many samples, as an execution error', async () => {
    server = await QueryApiServer.start({ engine: new QueryEngine(bigStore(20, 200), { maxSamples: 500 }) });
    const r = await get('/api/v1/query_range', { query: 'big_total', start: '0', end: '3000', step: '15' });
    expect(r).toEqual({
      status: 422,
      body: {
        status: 'error',
        errorType: 'execution',
        error: 'query processing would load too many samples into memory in query execution',
      },
    });
  });

  it('yields while evaluating, so other requests are answered during a long query', async () => {
    server = await QueryApiServer.start({ engine: new QueryEngine(bigStore(1000, 1500)) });
    let slowDone = false;
    const slow = get('/api/v1/query_range', {
      query: 'sum by (g) (rate(big_total[5m])) / on(g) sum by (g) (irate(big_total[1m]))',
      start: '300',
      end: '22000',
      step: '5',
    }).then((r) => {
      slowDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    const ready = await fetch(`${server.url}/-/ready`);
    expect(ready.status).toBe(200);
    expect(slowDone).toBe(false);
    expect((await slow).status).toBe(200);
  });

  it('cancels a query whose caller aborts', async () => {
    const engine = new QueryEngine(bigStore(300, 2000));
    const abort = new AbortController();
    const query = engine.rangeQuery('sum(rate(big_total[5m]))', 300_000, 30_000_000, 15_000, {
      signal: abort.signal,
    });
    abort.abort();
    await expect(query).rejects.toBeInstanceOf(QueryCanceledError);
  });
});
