/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against a real fleet: an
 * OpenAI-compatible frontend in process and two mock-engine workers in their own processes, after a short
 * load. Every panel must show data, the query box must complete a metric name and chart a typed
 * expression, a bad expression must show its error without breaking the page, and the page must not grow
 * while it keeps refreshing. A screenshot is written to test-artifacts/dashboard.png.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANELS } from '../../src/dashboard/browser/panels.js';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.js';
import { Frontend } from '../../src/frontend/index.js';
import { runLoad } from '../../src/load/index.js';
import { httpTarget } from '../../src/query/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { FileDiscovery } from '../../src/serving/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { reapAll, type Spawned, spawnWorker, type WorkerReady } from '../helpers/processes.js';
import { freePort, requireTool, waitFor } from '../helpers/tools.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

let dir: string;
let runtime: DistributedRuntime;
let frontend: Frontend;
let dashboard: Dashboard;
let browser: Browser;
let page: Page;
let unreachable: string;
const workers: Spawned<WorkerReady>[] = [];
const pageErrors: string[] = [];

async function startWorker(): Promise<Spawned<WorkerReady>> {
  const w = await spawnWorker(dir, ['--ttft-ms', '5', '--itl-ms', '2']);
  workers.push(w);
  return w;
}

/** Each panel's id → its `data-state`. */
function panelStates(): Promise<Record<string, string>> {
  return page.$$eval('.panel', (els) => Object.fromEntries(els.map((e) => [e.id, e.dataset.state ?? ''])));
}

/** How many refreshes the page has finished (functions given to the page are strings: the tests are
 * type-checked without the DOM library). */
const REFRESHES = 'Number(document.body.dataset.refreshes ?? 0)';

/** Clicks Refresh and waits until that refresh has finished. */
async function refreshNow(): Promise<void> {
  const before = Number(await page.evaluate(REFRESHES));
  await page.click('#refresh-now');
  await page.waitForFunction(`${REFRESHES} > ${before}`);
}

beforeAll(async () => {
  const chromiumPath = requireTool('chromium', 'chromium');
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-dashboard-'));
  const [w1, w2] = await Promise.all([startWorker(), startWorker()]);
  runtime = await DistributedRuntime.create({
    systemServer: false,
    env: {},
    logger: new MemoryLogger(),
    discovery: new FileDiscovery(dir),
  });
  frontend = await Frontend.start({ runtime, port: 0, host: '127.0.0.1', env: {}, refreshMs: 100 });
  await waitFor('the frontend to find both workers', 10_000, async () =>
    frontend.models.instances().length === 2 ? true : undefined,
  );
  const url = `http://127.0.0.1:${frontend.port}`;
  unreachable = `http://127.0.0.1:${await freePort()}/metrics`;
  dashboard = await startDashboard({
    targets: [
      httpTarget({ job: 'frontend', url: `${url}/metrics` }),
      httpTarget({ job: 'worker', url: `${w1.ready.systemStatus}/metrics` }),
      httpTarget({ job: 'worker', url: `${w2.ready.systemStatus}/metrics` }),
      httpTarget({ job: 'worker', url: unreachable }),
    ],
    scrapeIntervalMs: 1_000,
  });
  const load = (requests: number) =>
    runLoad({
      url,
      model: 'mock-model',
      requests,
      concurrency: 4,
      promptTokens: { kind: 'uniform', min: 20, max: 60 },
      outputTokens: { kind: 'uniform', min: 4, max: 16 },
    });
  // A first request creates the frontend's series (they appear on first use) and a scrape records them,
  // so the increase of the load that follows is seen by rate() whenever the scrapes happen.
  expect((await load(2)).completed).toBe(2);
  await dashboard.scraper.scrapeNow();
  expect((await load(40)).completed).toBe(40);
  await dashboard.scraper.scrapeNow();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // The API answers an invalid expression with 400, which Chromium logs; the panel shows the error.
    if (m.type() === 'error' && !m.text().includes('status of 400 (Bad Request)')) pageErrors.push(m.text());
  });
  await page.goto(dashboard.url);
  await page.waitForFunction(`${REFRESHES} >= 1`);
  // Five minutes (the charts are cut to where the data starts anyway); then wait for a refresh with it.
  await page.selectOption('#range', String(5 * 60_000));
  await page.selectOption('#refresh', '0');
  await refreshNow();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await frontend?.close();
  await runtime?.shutdown();
  await Promise.all(workers.map((w) => w.stop()));
  await reapAll();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  it('loads every module and shows data in every panel', async () => {
    const expected = Object.fromEntries([
      ['query-box', 'empty'],
      ...PANELS.map((p) => [`panel-${p.id}`, 'data']),
    ]);
    expect(await panelStates()).toEqual(expected);
    const points = await page.$$eval('.panel:not(.query)', (els) => els.map((e) => Number(e.dataset.points)));
    expect(points.every((n) => n > 0)).toBe(true);
    const charts = PANELS.filter((p) => p.kind === 'timeseries').length;
    expect(await page.$$eval('.panel .uplot', (els) => els.length)).toBe(charts);
    const stats = await page.$$eval('.panel.stat .value', (els) => els.map((e) => e.textContent));
    expect(stats).toHaveLength(PANELS.filter((p) => p.kind === 'stat').length);
    expect(stats.filter((v) => v === '-')).toEqual([]);
    expect(await page.textContent('#panel-success-rate .value')).toBe('100%');
    // Counts are whole numbers, although `increase` extrapolates.
    expect(await page.textContent('#panel-total-requests .value')).toMatch(/^\d+$/);
  });

  it('draws the charts from where the data starts, not across an empty range', async () => {
    // The deployment is younger than the 5 minutes chosen: the span shown is the minimum of one minute
    // while the first scrape is less than that old.
    const span = await page.evaluate('Number(document.body.dataset.spanSeconds)');
    expect(span).toBeGreaterThanOrEqual(60);
    expect(span).toBeLessThan(5 * 60);
  });

  it('shows the unreachable target as down with its error, and the others up', async () => {
    const chips = await page.$$eval('#targets .target', (els) =>
      els.map((e) => [e.dataset.health, e.textContent ?? '']),
    );
    expect(chips.map(([health]) => health).sort()).toEqual(['down', 'up', 'up', 'up']);
    const down = chips.find(([health]) => health === 'down')![1];
    expect(down).toContain(`worker/${new URL(unreachable).host} down`);
    expect(down).toContain('ECONNREFUSED');
  });

  it('completes a metric name in the query box and charts the typed expression', async () => {
    await page.click('.cm-content');
    await page.keyboard.type('dynamo_frontend_requests_to');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'dynamo_frontend_requests_total' });
    await option.first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('sum by (job) (rate(dynamo_component_requests_total[10s]))');
    await page.keyboard.press('Escape');
    await page.click('#query-run');
    await page.waitForSelector('#query-box:not([data-state="empty"])');
    const box = await page.$eval('#query-box', (e) => ({
      state: e.dataset.state,
      points: Number(e.dataset.points),
      legend: [...e.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent?.trim()),
      canvases: e.querySelectorAll('.query-chart canvas').length,
    }));
    expect(box.state).toBe('data');
    expect(box.points).toBeGreaterThan(0);
    expect(box.canvases).toBe(1);
    expect(box.legend).toEqual(['{job="worker"}']);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it("shows an invalid expression's error with its position, and keeps working", async () => {
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('rate(dynamo_component_requests_total)');
    await page.keyboard.press('Escape');
    await page.click('#query-run');
    await page.waitForSelector('#query-box[data-state="error"]');
    expect(await page.textContent('#query-box .status')).toBe(
      'bad_data: 1:6: parse error: expected type range vector in call to function "rate", got instant vector',
    );
    expect(await page.$$eval('#query-box .query-chart canvas', (els) => els.length)).toBe(0);
    await refreshNow();
    const states = await panelStates();
    expect(Object.entries(states).filter(([id, s]) => id !== 'query-box' && s !== 'data')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('does not grow while it keeps refreshing', async () => {
    const census = () =>
      page.evaluate(`({
        nodes: document.getElementsByTagName('*').length,
        charts: document.querySelectorAll('.uplot').length,
        canvases: document.querySelectorAll('canvas').length,
      })`);
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    // Warm up first: V8 keeps compiling hot code for a while, which is growth, but not of the page's data.
    for (let i = 0; i < 10; i++) await refreshNow();
    const before = await census();
    const heapBefore = await heap();
    for (let i = 0; i < 30; i++) await refreshNow();
    expect(await census()).toEqual(before);
    const growth = (await heap()) - heapBefore;
    expect(growth).toBeLessThan(1024 * 1024);
  }, 120_000);
});
