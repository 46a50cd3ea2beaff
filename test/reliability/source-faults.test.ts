/**
 * Faults in what a scrape reads: update and exposition-text callbacks and engine sources (functions,
 * prom-client registries, HTTP `/metrics`, files) that throw, hang, return garbage, too much or bytes
 * that are not UTF-8, and text that conflicts with native families. One table, all faults installed at
 * once on one runtime: every scrape is still a 200 with every healthy family exact, no faulty family
 * leaks in, each fault is counted once per scrape under its cause in the self-metrics and logged once
 * (rate-limited); once repaired, every source is back in the next scrape and nothing more is counted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '../../src/core/model.js';
import { registerEngineMetricsCallback } from '../../src/engine/register.js';
import { parseExposition, syntaxForContentType } from '../../src/expfmt/parser.js';
import type { CallbackFailureCause, CallbackKind } from '../../src/runtime/combined-scrape.js';
import { DistributedRuntime } from '../../src/runtime/distributed-runtime.js';
import type { Endpoint } from '../../src/runtime/endpoint.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { freePort } from '../helpers/tools.js';
import { scaled, timeoutMs } from './helpers/budget.js';
import { seriesValue } from './helpers/families.js';
import { type FaultPath, FaultServer, repairedFamily } from './helpers/fault-server.js';
import { recordFigures } from './helpers/figures.js';

const MIB = 1024 * 1024;
/**
 * Timeouts long enough that a source which fails fast is never mistaken for a slow one on a loaded machine
 * (a hang costs each scrape 1.5 s).
 */
const ENGINE_LIMITS = { timeoutMs: 1000, maxBytes: MIB };
const CALLBACK_TIMEOUT_MS = 1500;
const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0';

/** Where a fault is counted: a callback failure by kind and cause, or a family or series the merge dropped. */
type Counted =
  | { readonly callback: CallbackKind; readonly cause: CallbackFailureCause }
  | 'family'
  | 'series';

interface FaultContext {
  readonly endpoint: Endpoint;
  /** The family the source serves once repaired (sources on HTTP name theirs after their path). */
  readonly family: string;
  readonly broken: () => boolean;
  readonly server: FaultServer;
  readonly dir: string;
  /** A URL where nothing listens. */
  readonly refused: string;
  readonly workerId: string;
}

interface Fault {
  readonly what: string;
  readonly counted: Counted;
  /** Registers the source on `ctx.endpoint`; it misbehaves while `ctx.broken()`. Returns the repaired family. */
  install(ctx: FaultContext): string | Promise<string>;
}

const gauge = (name: string) => `# HELP ${name} Repaired.\n# TYPE ${name} gauge\n${name} 1\n`;
const never = () => new Promise<never>(() => {});

/** An expfmt callback that misbehaves as `broken` says while broken, and serves its family after. */
function expfmt(counted: CallbackFailureCause, what: string, broken: () => unknown): Fault {
  return {
    what: `an exposition-text callback that ${what}`,
    counted: { callback: 'expfmt', cause: counted },
    install: (ctx) => {
      ctx.endpoint.metrics.registerExpfmtCallback(
        () => (ctx.broken() ? broken() : gauge(ctx.family)) as string,
      );
      return ctx.family;
    },
  };
}

/** An update callback that misbehaves while broken, and sets its gauge after. */
function update(counted: CallbackFailureCause, what: string, broken: () => unknown): Fault {
  return {
    what: `an update callback that ${what}`,
    counted: { callback: 'update', cause: counted },
    install: (ctx) => {
      // Labelled, so the family has no series until the repaired callback sets one.
      const g = ctx.endpoint.metrics.createGaugeVec(ctx.family, 'Repaired.', ['state']);
      ctx.endpoint.metrics.registerUpdateCallback(() =>
        ctx.broken() ? (broken() as undefined) : g.labels('repaired').set(1),
      );
      return `dynamo_component_${ctx.family}`;
    },
  };
}

/** An engine function source that misbehaves while broken. */
function engineFunction(counted: CallbackFailureCause, what: string, broken: () => unknown): Fault {
  return {
    what: `an engine function source that ${what}`,
    counted: { callback: 'engine', cause: counted },
    install: (ctx) => {
      registerEngineMetricsCallback(
        ctx.endpoint,
        () => (ctx.broken() ? broken() : gauge(ctx.family)) as string,
        ENGINE_LIMITS,
      );
      return ctx.family;
    },
  };
}

/** An engine `/metrics` over HTTP that misbehaves as the fault server's `path` does. */
function engineHttp(counted: CallbackFailureCause, path: FaultPath): Fault {
  return {
    what: `an engine /metrics over HTTP: ${path.slice(1).replaceAll('-', ' ')}`,
    counted: { callback: 'engine', cause: counted },
    install: (ctx) => {
      registerEngineMetricsCallback(ctx.endpoint, new URL(path, ctx.server.url), ENGINE_LIMITS);
      return repairedFamily(path);
    },
  };
}

/** An engine file source whose file is missing (undefined) or holds `content` until repaired. */
function engineFile(counted: CallbackFailureCause, what: string, content: Buffer | undefined): Fault {
  return {
    what: `an engine file source: ${what}`,
    counted: { callback: 'engine', cause: counted },
    install: async (ctx) => {
      const file = join(ctx.dir, `${ctx.family}.prom`);
      if (content !== undefined) await writeFile(file, content);
      repairs.push(() => writeFile(file, gauge(ctx.family)));
      registerEngineMetricsCallback(ctx.endpoint, { file }, ENGINE_LIMITS);
      return ctx.family;
    },
  };
}

/** Run when the faults are repaired: files rewritten, a server started where nothing listened. */
const repairs: (() => Promise<void>)[] = [];
const lateServers: Server[] = [];

const FAULTS: readonly Fault[] = [
  update('error', 'throws', () => {
    throw new Error('update exploded');
  }),
  update('error', 'rejects', () => Promise.reject(new Error('update rejected'))),
  update('timeout', 'hangs', never),
  expfmt('error', 'throws', () => {
    throw new TypeError('expfmt exploded');
  }),
  expfmt('error', 'rejects with a non-Error', () => Promise.reject('a string')),
  expfmt('timeout', 'hangs', never),
  expfmt('not_text', 'returns a number', () => 42),
  expfmt('not_text', 'returns null', () => null),
  expfmt('not_text', 'returns an object', () => ({ toString: () => 'x 1\n' })),
  expfmt('too_large', 'returns 2 MiB of text', () => `# ${'x'.repeat(2 * MIB)}\n`),
  expfmt('parse_error', 'returns HTML', () => '<html>oops</html>'),
  expfmt('parse_error', 'returns a lone surrogate in a label value', () => 'x{a="\ud800"} 1\n'),
  expfmt('parse_error', 'returns OpenMetrics with a blank line', () => '# TYPE x gauge\n\nx 1\n# EOF\n'),
  engineFunction('error', 'throws', () => {
    throw new Error('engine exploded');
  }),
  engineFunction('timeout', 'hangs', never),
  engineFunction('not_text', 'returns undefined', () => undefined),
  engineFunction('too_large', 'returns 2 MiB', () => `a ${'1'.repeat(2 * MIB)}\n`),
  engineFunction('parse_error', 'returns garbage', () => 'metric{{{ 1\n'),
  {
    what: 'a prom-client registry whose metrics() rejects',
    counted: { callback: 'engine', cause: 'error' },
    install: (ctx) => {
      registerEngineMetricsCallback(
        ctx.endpoint,
        {
          metrics: async () => {
            if (ctx.broken()) throw new Error('prom-client failed');
            return gauge(ctx.family);
          },
        },
        ENGINE_LIMITS,
      );
      return ctx.family;
    },
  },
  engineHttp('http_error', '/http-500'),
  engineHttp('timeout', '/hang'),
  engineHttp('invalid_utf8', '/invalid-utf8'),
  engineHttp('too_large', '/declared-too-large'),
  engineHttp('too_large', '/streamed-too-large'),
  engineHttp('too_large', '/gzip-bomb'),
  engineHttp('http_error', '/broken-body'),
  engineHttp('timeout', '/trickle'),
  engineHttp('parse_error', '/garbage'),
  {
    what: 'an engine /metrics over HTTP where nothing listens',
    counted: { callback: 'engine', cause: 'http_error' },
    install: (ctx) => {
      const url = new URL(ctx.refused);
      registerEngineMetricsCallback(ctx.endpoint, url, ENGINE_LIMITS);
      // Repaired: something starts listening there.
      repairs.push(async () => {
        const late = createServer((_, res) => res.end(gauge(ctx.family)));
        await new Promise<void>((resolve) => late.listen(Number(url.port), url.hostname, resolve));
        lateServers.push(late);
      });
      return ctx.family;
    },
  },
  engineFile('error', 'the file is missing', undefined),
  engineFile('invalid_utf8', 'the file is not UTF-8', Buffer.from([0x61, 0x20, 0x31, 0x0a, 0xc0, 0xaf])),
  engineFile('too_large', 'the file holds 2 MiB', Buffer.alloc(2 * MIB, 0x23)),
  {
    what: 'a callback whose family disagrees in TYPE with a native one',
    counted: 'family',
    install: (ctx) => {
      ctx.endpoint.metrics.registerExpfmtCallback(() =>
        ctx.broken()
          ? '# TYPE dynamo_component_healthy_total gauge\ndynamo_component_healthy_total 99\n'
          : gauge(ctx.family),
      );
      return ctx.family;
    },
  },
  {
    what: 'a callback that repeats a native series',
    counted: 'series',
    install: (ctx) => {
      const series = `dynamo_component_healthy_total{dynamo_component="backend",dynamo_endpoint="healthy",dynamo_namespace="dynamo",worker_id="${ctx.workerId}"}`;
      ctx.endpoint.metrics.registerExpfmtCallback(() =>
        ctx.broken()
          ? `# HELP dynamo_component_healthy_total Healthy.\n# TYPE dynamo_component_healthy_total counter\n${series} 99\n`
          : gauge(ctx.family),
      );
      return ctx.family;
    },
  },
];

// ---------------------------------------------------------------------------------------------------------

let runtime: DistributedRuntime;
let server: FaultServer;
let dir: string;
const logger = new MemoryLogger();
let broken = true;
/** The family each fault serves once repaired, by row. */
const families: string[] = [];

beforeAll(async () => {
  server = await FaultServer.start();
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-faults-'));
  runtime = await DistributedRuntime.create({
    instanceId: 0xfa17n,
    env: {},
    logger,
    systemServer: { port: 0, host: '127.0.0.1', startingHealthStatus: 'ready' },
    scrape: { callbackTimeoutMs: CALLBACK_TIMEOUT_MS, maxCallbackChars: MIB },
  });
  const healthy = runtime.namespace('dynamo').component('backend').endpoint('healthy');
  healthy.metrics.createIntCounter('healthy_total', 'Healthy.').inc(7);
  healthy.metrics.registerExpfmtCallback(() => gauge('expfmt_healthy_up'));
  registerEngineMetricsCallback(healthy, () => gauge('engine_healthy_up'), ENGINE_LIMITS);
  const refused = `http://127.0.0.1:${await freePort()}/metrics`;
  for (const [i, fault] of FAULTS.entries()) {
    const endpoint = runtime.namespace('dynamo').component('faults').endpoint(`fault${i}`);
    families.push(
      await fault.install({
        endpoint,
        family: `fault${i}_up`,
        broken: () => broken,
        server,
        dir,
        refused,
        workerId: runtime.workerId,
      }),
    );
  }
});

afterAll(async () => {
  await runtime?.shutdown();
  await server?.close();
  await Promise.all(lateServers.map((late) => new Promise((resolve) => late.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

async function scrape(openMetrics: boolean): Promise<MetricFamily[]> {
  const res = await fetch(`${runtime.systemServer!.url}/metrics`, {
    headers: openMetrics ? { accept: OPENMETRICS_ACCEPT } : {},
  });
  expect(res.status).toBe(200);
  return parseExposition(await res.text(), {
    syntax: syntaxForContentType(res.headers.get('content-type') ?? ''),
  });
}

/** The self-metric sample where a fault is counted. */
function countOf(families: readonly MetricFamily[], counted: Counted): number | undefined {
  if (counted === 'family') return seriesValue(families, 'dynamo_component_metrics_dropped_families_total');
  if (counted === 'series') return seriesValue(families, 'dynamo_component_metrics_dropped_series_total');
  return seriesValue(families, 'dynamo_component_metrics_callback_failures_total', {
    callback: counted.callback,
    cause: counted.cause,
  });
}

const key = (c: Counted) => (typeof c === 'string' ? c : `${c.callback}/${c.cause}`);

describe('faulty metric sources and callbacks', () => {
  const scrapes = scaled(2, 40);

  it(
    `leave every scrape whole and are each counted under their cause (${FAULTS.length} faults)`,
    async () => {
      let last: MetricFamily[] = [];
      const started = Date.now();
      for (let i = 0; i < scrapes; i++) {
        last = await scrape(i % 2 === 1);
        // The healthy families are all there, exact, and nothing of a faulty source leaked in.
        expect(seriesValue(last, 'dynamo_component_healthy_total')).toBe(7);
        expect(last.find((f) => f.name === 'dynamo_component_healthy_total')?.series).toHaveLength(1);
        expect(seriesValue(last, 'expfmt_healthy_up')).toBe(1);
        expect(seriesValue(last, 'engine_healthy_up')).toBe(1);
        expect(last.map((f) => f.name).filter((n) => families.includes(n))).toEqual([]);
      }
      const perKey = new Map<string, number>();
      for (const f of FAULTS) perKey.set(key(f.counted), (perKey.get(key(f.counted)) ?? 0) + 1);
      const counted = Object.fromEntries(FAULTS.map((f) => [key(f.counted), countOf(last, f.counted)]));
      const expected = Object.fromEntries([...perKey].map(([k, n]) => [k, n * scrapes]));
      expect(counted).toEqual(expected);
      // One warning per fault and per minute (the soak's run is longer than one), the rest suppressed.
      const minutes = Math.floor((Date.now() - started) / 60_000);
      const warnings = logger.entries.filter((e) => e.level === 'warn').length;
      expect(warnings).toBeGreaterThanOrEqual(FAULTS.length);
      expect(warnings).toBeLessThanOrEqual(FAULTS.length * (1 + minutes));
      recordFigures('source-faults', {
        faultKinds: FAULTS.length,
        scrapes,
        faultsInjected: FAULTS.length * scrapes,
        faultsCounted: [...perKey.values()].reduce((a, n) => a + n * scrapes, 0),
        scrapesFailed: 0,
      });
    },
    timeoutMs(60_000),
  );

  it(
    'come back in the next scrape once repaired, and nothing more is counted',
    async () => {
      const before = await scrape(false);
      broken = false;
      server.broken = false;
      await Promise.all(repairs.map((r) => r()));
      const after = await scrape(true);
      expect(families.filter((f) => seriesValue(after, f) !== 1)).toEqual([]);
      expect(FAULTS.map((f) => countOf(after, f.counted))).toEqual(
        FAULTS.map((f) => countOf(before, f.counted)),
      );
      expect(seriesValue(after, 'dynamo_component_healthy_total')).toBe(7);
    },
    timeoutMs(30_000),
  );
});
