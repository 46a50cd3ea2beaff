/**
 * A real Prometheus 2.42 scraping a target that stalls and then recovers. While an update callback hangs,
 * every scrape runs into Prometheus's 1 s scrape timeout (which it announces, and which the endpoint
 * honours with a 503): Prometheus records the target down. Once the callback returns, the next scrapes
 * succeed, the target is up again, and the stored self-metrics show the timed-out scrapes and the
 * abandoned callbacks, equal to what the runtime counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { Prometheus, renderConfig } from '../helpers/prometheus.js';
import { waitFor } from '../helpers/tools.js';
import { timeoutMs } from './helpers/budget.js';
import { recordFigures } from './helpers/figures.js';

const JOB = 'stalling';

let runtime: DistributedRuntime;
let prom: Prometheus;
/** Resolves the stall when set; undefined while the target is healthy. */
let release: (() => void) | undefined;
let stall: Promise<void> = Promise.resolve();

beforeAll(async () => {
  runtime = await DistributedRuntime.create({
    instanceId: 0x7100n,
    env: {},
    logger: new MemoryLogger(),
    systemServer: { port: 0, host: '127.0.0.1' },
    // Longer than Prometheus's 1 s scrape timeout: the scrape gives up first, then the callback is abandoned.
    scrape: { callbackTimeoutMs: 1500 },
  });
  const endpoint = runtime.namespace('dynamo').component('backend').endpoint('generate');
  endpoint.metrics.createIntCounter('requests_total', 'Requests.').inc(5);
  endpoint.metrics.registerUpdateCallback(() => stall, 'stalling engine');
  prom = await Prometheus.start(
    renderConfig([{ job: JOB, targets: [`127.0.0.1:${runtime.systemServer!.port}`] }]),
  );
  await prom.waitForUp(JOB);
});

afterAll(async () => {
  release?.();
  await prom?.stop();
  await runtime?.shutdown();
});

const up = async () => (await prom.query(`up{job="${JOB}"}`))[0]?.value[1];

describe('a real Prometheus scraping a target that stalls', () => {
  it(
    'sees it down while scrapes time out, up again once it recovers, and the timeouts in its self-metrics',
    async () => {
      const timedOut = () => runtime.selfMetrics.scrapes.labels('openmetrics', 'timeout').value;
      stall = new Promise<void>((resolve) => {
        release = resolve;
      });
      await waitFor('Prometheus to see the target down', 20_000, async () =>
        (await up()) === '0' ? true : undefined,
      );
      await waitFor('two scrapes to time out', 20_000, async () => (timedOut() >= 2 ? true : undefined));
      const target = (await prom.targets()).find((t) => t.labels.job === JOB);
      expect(target?.health).toBe('down');
      expect(target?.lastError).toMatch(/context deadline exceeded|503/);

      release?.();
      stall = Promise.resolve();
      await waitFor('Prometheus to see the target up', 20_000, async () =>
        (await up()) === '1' ? true : undefined,
      );
      // The value Prometheus stores is the one the runtime counted: no timeout happens after recovery.
      const counted = timedOut();
      const stored = await prom.waitForQuery(
        `dynamo_component_metrics_scrapes_total{job="${JOB}",format="openmetrics",outcome="timeout"}`,
        (r) => r.length === 1 && Number(r[0].value[1]) === counted,
      );
      const abandoned = await prom.query(
        `dynamo_component_metrics_callback_failures_total{job="${JOB}",callback="update",cause="timeout"}`,
      );
      expect(Number(abandoned[0].value[1])).toBe(
        runtime.selfMetrics.callbackFailures.labels('update', 'timeout').value,
      );
      expect(Number(abandoned[0].value[1])).toBeGreaterThanOrEqual(1);
      // The target's own metrics were never lost: the same counter, stored again after the gap.
      expect((await prom.query(`dynamo_component_requests_total{job="${JOB}"}`))[0].value[1]).toBe('5');
      const scrapes = await prom.query(
        `count_over_time(up{job="${JOB}"}[5m]) - sum_over_time(up{job="${JOB}"}[5m])`,
      );
      recordFigures('prometheus-timeout', {
        prometheus: '2.42',
        failedScrapesSeenByPrometheus: Number(scrapes[0].value[1]),
        timeoutsCounted: Number(stored[0].value[1]),
        callbacksAbandoned: Number(abandoned[0].value[1]),
        recovered: true,
      });
    },
    timeoutMs(90_000),
  );
});
