import { describe, expect, it } from 'vitest';
import { renderTop, topFrame } from '../../src/cli/top-view.js';
import { CounterVec, Gauge, HistogramVec, Registry } from '../../src/core/index.js';
import { inProcessTarget, MemoryStore, QueryEngine, Scraper } from '../../src/query/index.js';

const T0 = 1_700_000_000_000;

/** A frontend and a worker whose metrics move by known amounts between scrapes 5 s apart. */
function fleet() {
  const frontend = new Registry();
  const requests = frontend.register(
    new CounterVec({ name: 'dynamo_frontend_requests_total', help: 'R.', labelNames: ['model', 'status'] }),
  );
  const ttft = frontend.register(
    new HistogramVec({
      name: 'dynamo_frontend_time_to_first_token_seconds',
      help: 'TTFT.',
      labelNames: ['model'],
      buckets: [0.1, 0.2],
    }),
  );
  frontend.register(new Gauge({ name: 'dynamo_frontend_inflight_requests', help: 'I.' })).set(3);
  frontend.register(new Gauge({ name: 'dynamo_frontend_queued_requests', help: 'Q.' })).set(2);
  const worker = new Registry();
  const workerRequests = worker.register(
    new CounterVec({ name: 'dynamo_component_requests_total', help: 'R.', labelNames: ['model'] }),
  );
  const workerErrors = worker.register(
    new CounterVec({ name: 'dynamo_component_errors_total', help: 'E.', labelNames: ['error_type'] }),
  );
  const duration = worker.register(
    new HistogramVec({
      name: 'dynamo_component_request_duration_seconds',
      help: 'D.',
      labelNames: ['model'],
      buckets: [0.25, 0.5],
    }),
  );
  worker.register(new Gauge({ name: 'dynamo_component_inflight_requests', help: 'I.' })).set(3);
  worker.register(new Gauge({ name: 'dynamo_component_gpu_cache_usage_percent', help: 'KV.' })).set(0.25);
  const ok = requests.labels('m', 'success');
  const failed = requests.labels('m', 'error');
  const wr = workerRequests.labels('m');
  const we = workerErrors.labels('generate');
  /** One 5-second round: 10 requests, one failed; TTFTs half 50 ms, half 150 ms; durations 300 ms. */
  const round = () => {
    ok.inc(9);
    failed.inc(1);
    wr.inc(10);
    we.inc(1);
    for (let i = 0; i < 5; i++) {
      ttft.labels('m').observe(0.05);
      ttft.labels('m').observe(0.15);
    }
    for (let i = 0; i < 10; i++) duration.labels('m').observe(0.3);
  };
  return { frontend, worker, round };
}

async function scraped() {
  const { frontend, worker, round } = fleet();
  let now = T0;
  const store = new MemoryStore();
  const scraper = new Scraper(store, { intervalMs: 5_000, now: () => now });
  scraper.add(inProcessTarget({ job: 'dynamo', instance: 'frontend', source: frontend }));
  scraper.add(inProcessTarget({ job: 'dynamo', instance: 'worker-1', source: worker }));
  await scraper.scrapeNow();
  for (let i = 0; i < 6; i++) {
    round();
    now += 5_000;
    await scraper.scrapeNow();
  }
  return { engine: new QueryEngine(store), targets: scraper.targets(), now };
}

describe('the top view', () => {
  it('computes rates, quantiles and gauges of the frontend and each worker', async () => {
    const { engine, targets, now } = await scraped();
    const frame = await topFrame(engine, now, 30_000, targets);
    // 60 requests over 30 s (6 failed); TTFT p50 at the 100 ms bound, p99 interpolated in (100, 200] ms.
    expect(frame.frontend.map((v) => Number(v.toFixed(6)))).toEqual([2, 0.2, 3, 2, 0.1, 0.198, NaN, NaN]);
    expect([...frame.workers]).toEqual([['worker-1', [2, 0.2, 3, 0.4975, 0.25]]]);
  });

  it('renders the frame as tables', async () => {
    const { engine, targets, now } = await scraped();
    const text = renderTop(await topFrame(engine, now, 30_000, targets), 5_000, 30_000);
    expect(text).toBe(
      [
        'dynametrics top  2023-11-14 22:13:50 UTC  every 5s, rates over 30s',
        'targets: dynamo/frontend up, dynamo/worker-1 up',
        '',
        'frontend  req/s  errors/s  in flight  queued  TTFT p50  TTFT p99  ITL p50  ITL p99',
        '          2/s    0.2/s     3          2       100 ms    198 ms    -        -',
        '',
        'worker    req/s  errors/s  in flight  p99 duration  KV cache',
        'worker-1  2/s    0.2/s     3          498 ms        25%',
        '',
      ].join('\n'),
    );
  });

  it('says when there are no worker metrics, and shows 0 errors/s while requests succeed', async () => {
    const frontend = new Registry();
    const requests = frontend.register(
      new CounterVec({ name: 'dynamo_frontend_requests_total', help: 'R.', labelNames: ['status'] }),
    );
    let now = T0;
    const store = new MemoryStore();
    const scraper = new Scraper(store, { now: () => now });
    scraper.add(inProcessTarget({ job: 'dynamo', instance: 'frontend', source: frontend }));
    requests.labels('success').inc(0);
    await scraper.scrapeNow();
    requests.labels('success').inc(10);
    now += 10_000;
    await scraper.scrapeNow();
    const text = renderTop(
      await topFrame(new QueryEngine(store), now, 10_000, scraper.targets()),
      1_000,
      10_000,
    );
    expect(text.split('\n').slice(3)).toEqual([
      'frontend  req/s  errors/s  in flight  queued  TTFT p50  TTFT p99  ITL p50  ITL p99',
      '          1/s    0/s       -          -       -         -         -        -',
      '',
      'worker: no worker metrics',
      '',
    ]);
  });
});
