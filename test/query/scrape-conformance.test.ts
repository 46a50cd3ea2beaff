/**
 * The scraper stores what Prometheus 2.42 stores: both scrape the same target (OpenMetrics, negotiated, and
 * text format 0.0.4) and must end up with the same series: names, `le`/`quantile` spellings, `_created`,
 * label escaping, `job`/`instance` and the report series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPrometheus, startEmbeddedPrometheus } from '../../src/query/embedded.js';
import { httpTarget } from '../../src/query/scrape/target.js';
import { type ExpositionServer, serveExpositions } from '../helpers/exposition-server.js';
import { Prometheus, renderConfig } from '../helpers/prometheus.js';
import { sampleRegistry } from '../helpers/sample-registry.js';

async function seriesOf(url: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/series?${new URLSearchParams({ 'match[]': '{__name__=~".+"}' })}`);
  const body = (await res.json()) as { data: Record<string, string>[] };
  return body.data.map((s) => JSON.stringify(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
}

describe('scraping like Prometheus 2.42', () => {
  let target: ExpositionServer;
  let prometheus: Prometheus;
  let ours: EmbeddedPrometheus;

  beforeAll(async () => {
    const registry = sampleRegistry();
    target = await serveExpositions({ gather: () => registry.gather() });
    prometheus = await Prometheus.start(
      renderConfig([
        { job: 'om', targets: [target.host] },
        { job: 'text', targets: [target.host], metricsPath: '/text' },
      ]),
    );
    ours = await startEmbeddedPrometheus({
      targets: [
        httpTarget({ job: 'om', url: `http://${target.host}/metrics` }),
        httpTarget({ job: 'text', url: `http://${target.host}/text` }),
      ],
      scrape: { intervalMs: 1000 },
    });
    await prometheus.waitForUp('om');
    await prometheus.waitForUp('text');
    await ours.scraper.scrapeNow();
  });

  afterAll(async () => {
    await ours?.close();
    await prometheus?.stop();
    await target?.close();
  });

  it('stores the same series from OpenMetrics and text expositions', async () => {
    const expected = await seriesOf(prometheus.url);
    const actual = await seriesOf(ours.url);
    expect(actual).toEqual(expected);
    expect(actual.length).toBeGreaterThan(40);
  });

  it('reports the target as Prometheus does', async () => {
    const mine = ours.scraper
      .targets()
      .map((t) => ({ pool: t.scrapePool, health: t.health, url: t.scrapeUrl }));
    const theirs = (await prometheus.targets()).map((t) => ({
      pool: t.labels.job,
      health: t.health,
      url: t.scrapeUrl,
    }));
    const byPool = (a: { pool: string }, b: { pool: string }) => (a.pool < b.pool ? -1 : 1);
    expect(mine.sort(byPool)).toEqual(theirs.sort(byPool));
  });
});
