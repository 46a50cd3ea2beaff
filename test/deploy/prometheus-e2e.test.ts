/**
 * The deploy assets against a real Prometheus 2.42, end to end. A local deployment (`dynametrics demo`: a
 * frontend and two workers with system status servers, on loopback ephemeral ports, under load with injected
 * engine errors and abandoned streams) is scraped by Prometheus twice: once with the shipped static config rendered to its
 * ports, once with the shipped HTTP service discovery config pointed at the frontend. Each time:
 * - every target (the frontend and both workers) is up, in the job the rules expect;
 * - `promtool check config` accepts the rendered config (done by `Prometheus.start`), and
 *   `promtool check metrics` every target's exposition: clean for the frontend, and for workers nothing
 *   but the finding inherent to the engine's own names (vLLM's `:`), for exactly those families;
 * - every PromQL expression of the shipped dashboards, rules and README cookbook, with Grafana's variables
 *   filled in, parses and returns data at a fixed instant. Alerts that do not fire legitimately return
 *   nothing, so an alert counts as having data when its expression with `bool` comparisons does (its
 *   inputs exist); the expression as shipped must still evaluate;
 * - the same expressions through our engine, over a sample-for-sample copy of Prometheus's data, give the
 *   same answers at that instant and over a range: bit-identical values and labels, except that a
 *   comparison the conformance suite marks order-dependent (`test/query/conformance/order.ts`: a sum or
 *   average over inputs whose order Prometheus leaves random) may differ by a relative 1e-9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryApiServer } from '../../src/query/api/server.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { Prometheus, type PromSample } from '../helpers/prometheus.js';
import { promtoolCheckMetrics, waitFor } from '../helpers/tools.js';
import { Comparer, newTally } from '../query/conformance/compare.js';
import { orderDependent } from '../query/conformance/order.js';
import { deployPath, readDeploy } from './helpers/assets.js';
import { copySamples } from './helpers/copy-samples.js';
import {
  comparisonsAsBool,
  type ShippedExpression,
  shippedExpressions,
  substitute,
  type TemplateValues,
} from './helpers/expressions.js';
import { type LocalDeployment, startLocalDeployment } from './helpers/local-deployment.js';
import { renderScrapeConfig } from './helpers/scrape-config.js';

const WORKERS = 2;
/** Scrape and rule evaluation interval of the rendered configs. */
const INTERVAL = '1s';
/** Grafana's `$__rate_interval` for a 1 s scrape interval: 4 × the scrape interval. */
const RATE_INTERVAL = '4s';
/** Scrapes of every target before the comparison, and the length of the compared range (one per second). */
const SCRAPES = 20;

const hostPort = (url: string) => new URL(url).host;

/** The query to evaluate for data, and the one to compare between engines (an alert: both forms). */
function queries(e: ShippedExpression, values: TemplateValues): { data: string; compare: string[] } {
  const expr = substitute(e.expr, values);
  if (e.kind !== 'alert') return { data: expr, compare: [expr] };
  const bool = comparisonsAsBool(expr);
  return { data: bool, compare: [expr, bool] };
}

/**
 * True once every target was last scraped, and every rule group last evaluated, after `ms`: the API
 * reports the start time of the last completed scrape or evaluation.
 */
async function settledAfter(url: string, ms: number): Promise<true | undefined> {
  const targets = (await (await fetch(`${url}/api/v1/targets`)).json()) as {
    data: { activeTargets: { lastScrape: string }[] };
  };
  const groups = (await (await fetch(`${url}/api/v1/rules`)).json()) as {
    data: { groups: { lastEvaluation: string }[] };
  };
  const times = [
    ...targets.data.activeTargets.map((t) => t.lastScrape),
    ...groups.data.groups.map((g) => g.lastEvaluation),
  ].map((t) => Date.parse(t));
  return times.length > 0 && times.every((t) => t > ms) ? true : undefined;
}

let deployment: LocalDeployment;

beforeAll(async () => {
  deployment = await startLocalDeployment({
    workers: WORKERS,
    rps: 20,
    errorRate: 0.1,
    disconnectFraction: 0.1,
  });
});

afterAll(async () => {
  await deployment?.stop();
});

describe.each([
  { variant: 'static targets', file: 'prometheus/prometheus.yml' },
  { variant: 'HTTP service discovery', file: 'prometheus/prometheus-http-sd.yml' },
])('the shipped Prometheus config with $variant', ({ file }) => {
  let prometheus: Prometheus;
  let removedJobs: readonly string[];
  const expressions = shippedExpressions();

  beforeAll(async () => {
    const rendered = renderScrapeConfig(deployPath(file), readDeploy(file), {
      targets: {
        'dynamo-frontend': [hostPort(deployment.frontend)],
        'dynamo-backend': deployment.workers.map((w) => hostPort(w.systemStatus)),
      },
      httpSd: hostPort(deployment.frontend),
      interval: INTERVAL,
    });
    removedJobs = rendered.removedJobs;
    prometheus = await Prometheus.start(rendered.config);
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('leaves out only the exporters that do not run locally', () => {
    expect([...removedJobs].sort()).toEqual(
      ['dcgm-exporter', 'etcd-server', 'kvbm-metrics', 'nats-prometheus-exporter'].sort(),
    );
  });

  it('scrapes the frontend and every worker, each in its job', async () => {
    const targets = await waitFor('every target up', 30_000, async () => {
      const t = await prometheus.targets();
      return t.length === 1 + WORKERS && t.every((x) => x.health === 'up') ? t : undefined;
    });
    const jobs = Object.fromEntries(targets.map((t) => [new URL(t.scrapeUrl).host, t.labels.job]));
    expect(jobs).toEqual({
      [hostPort(deployment.frontend)]: 'dynamo-frontend',
      ...Object.fromEntries(deployment.workers.map((w) => [hostPort(w.systemStatus), 'dynamo-backend'])),
    });
    if (file.includes('http-sd')) {
      const ids = targets
        .filter((t) => t.labels.job === 'dynamo-backend')
        .map((t) => [t.labels.instance_id, t.labels.dynamo_component, t.labels.dynamo_endpoint]);
      expect(ids.sort()).toEqual(deployment.workers.map((w) => [w.instanceId, 'backend', 'generate']).sort());
    }
  });

  it("gets expositions promtool accepts from every target (workers: only the engine's colon names)", async () => {
    for (const target of await prometheus.targets()) {
      const text = await (await fetch(target.scrapeUrl)).text();
      const lint = await promtoolCheckMetrics(text);
      const findings = lint.stderr.split('\n').filter((l) => l !== '');
      const colonFamilies = [...new Set([...text.matchAll(/^# TYPE (\S*:\S*) /gm)].map((m) => m[1]))];
      const expected = colonFamilies.map((n) => `${n} metric names should not contain ':'`);
      expect(findings.sort(), target.scrapeUrl).toEqual(expected.sort());
      expect(lint.code, target.scrapeUrl).toBe(expected.length === 0 ? 0 : 3);
      if (target.labels.job === 'dynamo-backend') expect(colonFamilies.length).toBeGreaterThan(0);
    }
  });

  it('answers every shipped expression with data, then gives the same answers through our engine', async () => {
    expect(expressions.map((e) => e.kind).sort()).toEqual(
      expect.arrayContaining(['alert', 'cookbook', 'panel', 'record', 'variable']),
    );
    // Grafana fills `$model` from the dashboards' model variable: every variable must list the one model.
    const models = await waitFor('the model variables', 30_000, async () => {
      const found = new Set<string>();
      for (const v of expressions.filter((e) => e.kind === 'variable')) {
        const r = await prometheus.query(v.expr);
        if (r.length === 0) return undefined;
        for (const s of r) found.add(s.metric[v.label as string]);
      }
      return [...found];
    });
    expect(models).toHaveLength(1);
    const values: TemplateValues = { model: models[0], rateInterval: RATE_INTERVAL, range: '1m' };
    const empty = async (at?: number) => {
      const missing: string[] = [];
      for (const e of expressions) {
        const result: PromSample[] = await prometheus.query(queries(e, values).data, at);
        if (result.length === 0) missing.push(`${e.source}: ${e.expr}`);
      }
      return missing;
    };
    // Rates need two scrapes in their window and alerts need recorded series: wait until all have data,
    // and until every target has been scraped often enough for the compared range to be full of data.
    await waitFor('data for every expression', 60_000, async () =>
      (await empty()).length === 0 ? true : undefined,
    );
    await prometheus.waitForQuery(
      `min(count_over_time(up[1m])) >= ${SCRAPES}`,
      (r) => r.length === 1,
      60_000,
    );
    // The fixed instant: now, once every target has been scraped and every rule group evaluated after it,
    // so that Prometheus holds all its samples up to it (scrapes of a target, like rule evaluations of a
    // group, are appended in order).
    const at = Date.now();
    await waitFor(
      'a scrape of every target and an evaluation of every rule group after the instant',
      30_000,
      () => settledAfter(prometheus.url, at),
    );
    expect(await empty(at / 1000)).toEqual([]);
    for (const e of expressions.filter((x) => x.kind === 'alert')) {
      await expect(prometheus.query(substitute(e.expr, values), at / 1000), e.source).resolves.toBeDefined();
    }
    // The faults injected into the deployment reach the error series: engine failures at the workers and
    // in the error ratio, abandoned streams as cancellations on both sides.
    const positive = async (expr: string) =>
      (await prometheus.query(substitute(expr, values), at / 1000)).map((s) => Number(s.value[1]) > 0);
    expect(await positive('model:dynamo_frontend_requests:error_ratio_rate5m{model="$model"}')).toEqual([
      true,
    ]);
    expect(
      await positive('sum(dynamo_frontend_requests_total{model="$model", error_type="cancelled"})'),
    ).toEqual([true]);
    expect(
      await positive('sum(dynamo_component_errors_total{model="$model", error_type="generate"})'),
    ).toEqual([true]);
    expect(await positive('sum(dynamo_component_cancellation_total{model="$model"})')).toEqual([true]);

    const copy = await copySamples(prometheus.url, at, 10 * 60_000);
    expect(copy.samples).toBeGreaterThan(1000);
    const ours = await QueryApiServer.start({ engine: new QueryEngine(copy.store) });
    try {
      const tally = newTally();
      const comparer = new Comparer(prometheus.url, ours.url, tally);
      const seconds = (ms: number) => (ms / 1000).toFixed(3);
      for (const e of expressions) {
        for (const query of queries(e, values).compare) {
          await comparer.compare('/api/v1/query', { query, time: seconds(at) }, orderDependent(query, false));
          await comparer.compare(
            '/api/v1/query_range',
            { query, start: seconds(at - (SCRAPES - 5) * 1000), end: seconds(at), step: '1' },
            orderDependent(query, true),
          );
        }
      }
      expect(tally.mismatches).toEqual([]);
      // Most expressions have data at every step of the range: far more values than expressions.
      expect(tally.comparisons).toBeGreaterThan(expressions.length * SCRAPES);
    } finally {
      await ours.close();
    }
  });
});
