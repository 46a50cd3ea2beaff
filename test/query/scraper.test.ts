import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Histogram, type MetricFamily, Registry } from '../../src/core/index.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { labelsToRecord } from '../../src/query/labels.js';
import { PROMETHEUS_ACCEPT } from '../../src/query/scrape/http-fetch.js';
import { Scraper } from '../../src/query/scrape/scraper.js';
import { httpTarget, inProcessTarget } from '../../src/query/scrape/target.js';
import { MemoryStore } from '../../src/query/storage/store.js';
import { type ExpositionServer, serveExpositions } from '../helpers/exposition-server.js';

function gauge(
  name: string,
  series: { labels?: Record<string, string>; value: number; timestampMs?: number }[],
): MetricFamily {
  return {
    name,
    help: '',
    type: 'gauge',
    unit: '',
    series: series.map((s) => ({
      labels: Object.entries(s.labels ?? {}).map(([n, v]) => ({ name: n, value: v })),
      value: s.value,
      ...(s.timestampMs === undefined ? {} : { timestampMs: s.timestampMs }),
    })),
  };
}

class Clock {
  ms = 1_700_000_000_000;
  readonly now = () => this.ms;
}

async function rows(engine: QueryEngine, query: string, ms: number) {
  const r = await engine.instantQuery(query, ms);
  if (r.resultType !== 'vector') throw new Error(r.resultType);
  return r.result.map((s) => ({ labels: labelsToRecord(s.labels), value: s.v }));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('the scraper with in-process targets', () => {
  function setup(gather: () => MetricFamily[]) {
    const clock = new Clock();
    const store = new MemoryStore();
    const scraper = new Scraper(store, { intervalMs: 15_000, now: clock.now });
    const target = inProcessTarget({ job: 'dynamo', instance: 'local', source: { gather } });
    scraper.add(target);
    cleanups.push(() => scraper.stop());
    return { clock, store, scraper, target, engine: new QueryEngine(store) };
  }

  it('stores a registry as Prometheus stores our OpenMetrics exposition, with job, instance and up', async () => {
    const registry = new Registry();
    registry.register(new Counter({ name: 'jobs_total', help: 'Jobs.' })).inc(3);
    registry
      .register(new Histogram({ name: 'lat_seconds', help: 'Latency.', buckets: [0.1, 1] }))
      .observe(0.5);
    const { clock, scraper, engine } = setup(() => registry.gather());
    await scraper.scrapeNow();
    const t = clock.ms;
    expect(await rows(engine, 'jobs_total', t)).toEqual([
      { labels: { __name__: 'jobs_total', instance: 'local', job: 'dynamo' }, value: 3 },
    ]);
    expect(await rows(engine, 'lat_seconds_bucket', t)).toEqual([
      { labels: { __name__: 'lat_seconds_bucket', instance: 'local', job: 'dynamo', le: '+Inf' }, value: 1 },
      { labels: { __name__: 'lat_seconds_bucket', instance: 'local', job: 'dynamo', le: '0.1' }, value: 0 },
      { labels: { __name__: 'lat_seconds_bucket', instance: 'local', job: 'dynamo', le: '1.0' }, value: 1 },
    ]);
    expect(await rows(engine, '{__name__=~"lat_seconds_(sum|count)"}', t)).toHaveLength(2);
    expect(await rows(engine, 'up', t)).toEqual([
      { labels: { __name__: 'up', instance: 'local', job: 'dynamo' }, value: 1 },
    ]);
    expect(await rows(engine, 'scrape_samples_scraped', t)).toEqual([
      { labels: { __name__: 'scrape_samples_scraped', instance: 'local', job: 'dynamo' }, value: 6 },
    ]);
    expect(await rows(engine, 'scrape_duration_seconds >= 0', t)).toHaveLength(1);
    expect(scraper.targets()[0]).toMatchObject({
      health: 'up',
      lastError: '',
      scrapeUrl: 'inprocess://dynamo/local',
    });
  });

  it('marks a series stale at the first scrape that lacks it', async () => {
    let families = [
      gauge('g', [
        { labels: { a: '1' }, value: 1 },
        { labels: { a: '2' }, value: 2 },
      ]),
    ];
    const { clock, scraper, engine } = setup(() => families);
    await scraper.scrapeNow();
    clock.ms += 15_000;
    families = [gauge('g', [{ labels: { a: '1' }, value: 1 }])];
    await scraper.scrapeNow();
    expect(await rows(engine, 'g', clock.ms - 1)).toHaveLength(2);
    expect(await rows(engine, 'g', clock.ms)).toEqual([
      { labels: { __name__: 'g', a: '1', instance: 'local', job: 'dynamo' }, value: 1 },
    ]);
    expect(await rows(engine, 'count_over_time(g{a="2"}[1m])', clock.ms)).toEqual([
      { labels: { a: '2', instance: 'local', job: 'dynamo' }, value: 1 },
    ]);
  });

  it('counts a failed scrape as empty: up is 0 and every series goes stale', async () => {
    let fail = false;
    const { clock, scraper, engine } = setup(() => {
      if (fail) throw new Error('boom');
      return [gauge('g', [{ value: 1 }])];
    });
    await scraper.scrapeNow();
    clock.ms += 15_000;
    fail = true;
    await scraper.scrapeNow();
    expect(await rows(engine, 'g', clock.ms)).toEqual([]);
    expect((await rows(engine, 'up', clock.ms))[0].value).toBe(0);
    expect(scraper.targets()[0]).toMatchObject({ health: 'down', lastError: 'boom' });
  });

  it('fails a scrape whose source does not answer within the timeout', async () => {
    const store = new MemoryStore();
    const scraper = new Scraper(store, { intervalMs: 1000, timeoutMs: 50 });
    cleanups.push(() => scraper.stop());
    scraper.add(
      inProcessTarget({ job: 'j', instance: 'i', source: { gather: () => new Promise(() => {}) } }),
    );
    await scraper.scrapeNow();
    expect(scraper.targets()[0]).toMatchObject({ health: 'down', lastError: 'context deadline exceeded' });
  });

  it('exempts samples with explicit timestamps from staleness', async () => {
    let families = [gauge('ts', [{ value: 5, timestampMs: 1_700_000_000_000 }]), gauge('g', [{ value: 1 }])];
    const { clock, scraper, engine } = setup(() => families);
    await scraper.scrapeNow();
    clock.ms += 15_000;
    families = [];
    await scraper.scrapeNow();
    expect(await rows(engine, 'ts', clock.ms)).toHaveLength(1);
    expect(await rows(engine, 'g', clock.ms)).toEqual([]);
  });

  it('stores NaN as an ordinary value that a target cannot turn into a staleness marker', async () => {
    const { clock, scraper, engine } = setup(() => [gauge('n', [{ value: Number.NaN }])]);
    await scraper.scrapeNow();
    const r = await rows(engine, 'n', clock.ms);
    expect(r).toHaveLength(1);
    expect(r[0].value).toBeNaN();
  });

  it('keeps a clashing job label as exported_job', async () => {
    const { clock, scraper, engine } = setup(() => [gauge('g', [{ labels: { job: 'inner' }, value: 1 }])]);
    await scraper.scrapeNow();
    expect(await rows(engine, 'g', clock.ms)).toEqual([
      { labels: { __name__: 'g', exported_job: 'inner', instance: 'local', job: 'dynamo' }, value: 1 },
    ]);
  });

  it('writes staleness markers for a removed target about two intervals later', async () => {
    const store = new MemoryStore();
    const scraper = new Scraper(store, { intervalMs: 40 });
    cleanups.push(() => scraper.stop());
    const target = inProcessTarget({
      job: 'j',
      instance: 'i',
      source: { gather: () => [gauge('g', [{ value: 1 }])] },
    });
    scraper.add(target);
    await scraper.scrapeNow();
    const engine = new QueryEngine(store);
    expect(await rows(engine, 'g', Date.now())).toHaveLength(1);
    scraper.remove(target);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rows(engine, 'g', Date.now())).toEqual([]);
    expect(await rows(engine, 'up', Date.now())).toEqual([]);
  });

  it('scrapes on its interval once started', async () => {
    const store = new MemoryStore();
    let scrapes = 0;
    const scraper = new Scraper(store, { intervalMs: 20 });
    cleanups.push(() => scraper.stop());
    scraper.add(
      inProcessTarget({
        job: 'j',
        instance: 'i',
        source: {
          gather: () => {
            scrapes++;
            return [gauge('g', [{ value: scrapes }])];
          },
        },
      }),
    );
    scraper.start();
    await new Promise((r) => setTimeout(r, 150));
    await scraper.stop();
    expect(scrapes).toBeGreaterThanOrEqual(3);
  });
});

describe('the scraper with remote targets', () => {
  let server: ExpositionServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('negotiates like Prometheus 2.42, accepts gzip and stores what the target sent', async () => {
    const registry = new Registry();
    registry.register(new Histogram({ name: 'lat_seconds', help: 'Latency.', buckets: [1] })).observe(0.5);
    server = await serveExpositions({ gather: () => registry.gather() });
    const store = new MemoryStore();
    const clock = new Clock();
    const scraper = new Scraper(store, { now: clock.now });
    cleanups.push(() => scraper.stop());
    scraper.add(httpTarget({ job: 'engine', url: `http://${server.host}/metrics` }));
    await scraper.scrapeNow();
    expect(server.requests[0].headers.accept).toBe(PROMETHEUS_ACCEPT);
    expect(server.requests[0].gzip).toBe(true);
    const engine = new QueryEngine(store);
    expect((await rows(engine, 'lat_seconds_bucket', clock.ms)).map((r) => r.labels.le)).toEqual([
      '+Inf',
      '1.0',
    ]);
    expect(scraper.targets()[0]).toMatchObject({
      health: 'up',
      labels: expect.anything(),
      scrapePool: 'engine',
    });
    expect(labelsToRecord(scraper.targets()[0].labels)).toEqual({ instance: server.host, job: 'engine' });
  });

  it('reports a target that refuses connections as down with the reason', async () => {
    const store = new MemoryStore();
    const scraper = new Scraper(store, { timeoutMs: 2_000 });
    cleanups.push(() => scraper.stop());
    scraper.add(httpTarget({ job: 'dead', url: 'http://127.0.0.1:1/metrics' }));
    await scraper.scrapeNow();
    const status = scraper.targets()[0];
    expect(status.health).toBe('down');
    expect(status.lastError).toMatch(/^Get "http:\/\/127\.0\.0\.1:1\/metrics": .*ECONNREFUSED/);
    const engine = new QueryEngine(store);
    expect((await rows(engine, 'up', status.lastScrapeMs!))[0].value).toBe(0);
  });
});
