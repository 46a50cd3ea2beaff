/**
 * The dashboard page: controls (model, time range, auto refresh), the targets' health, the query box and
 * the panels, refreshed together. A refresh cancels the one before it if still running and the next one is
 * scheduled only after it ends, so a slow server never piles requests up; a hidden tab does not refresh.
 */
import { firstPointS, labelValues } from './api.js';
import { dom, el, onWindow, type ValueElement } from './dom.js';
import { PanelView, type RefreshWindow } from './panel-view.js';
import { modelRegex, PANELS, ROWS } from './panels.js';
import { QueryBox } from './query-box.js';
import { TargetsView } from './targets-view.js';
import {
  type Choice,
  DEFAULT_RANGE_MS,
  DEFAULT_REFRESH_MS,
  RANGES,
  REFRESHES,
  rateIntervalMs,
  shownSpanMs,
  stepMs,
} from './time-range.js';

/** Written into the page by the server. */
interface DashboardConfig {
  readonly title: string;
  readonly scrapeIntervalMs: number;
}

/** The family whose `model` values fill the model picker (the reference dashboard's `$model` variable). */
const MODEL_SOURCE = 'dynamo_frontend_requests_total';
const ALL_MODELS = '';

function select(id: string, choices: readonly Choice[], selectedMs: number): ValueElement {
  const s = el<ValueElement>('select', { id });
  for (const c of choices) {
    const option = el<ValueElement>('option', { value: String(c.ms) }, c.label);
    option.selected = c.ms === selectedMs;
    s.append(option);
  }
  return s;
}

class DashboardPage {
  readonly #config: DashboardConfig;
  readonly #panels = PANELS.map((p) => new PanelView(p));
  readonly #query = new QueryBox(() => void this.refresh(true));
  readonly #targets = new TargetsView();
  readonly #range = select('range', RANGES, DEFAULT_RANGE_MS);
  readonly #every = select('refresh', REFRESHES, DEFAULT_REFRESH_MS);
  readonly #model = el<ValueElement>(
    'select',
    { id: 'model' },
    el('option', { value: ALL_MODELS }, 'all models'),
  );
  readonly #updated = el('span', { id: 'updated' });
  #running: AbortController | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #refreshes = 0;
  /** The models the picker lists, joined: it is rebuilt only when they change, not under an open list. */
  #models = '';

  constructor(config: DashboardConfig) {
    this.#config = config;
  }

  mount(): void {
    const d = dom();
    d.title = this.#config.title;
    const now = el('button', { type: 'button', id: 'refresh-now' }, 'Refresh');
    now.addEventListener('click', () => void this.refresh(false));
    for (const control of [this.#range, this.#every, this.#model]) {
      control.addEventListener('change', () => void this.refresh(false));
    }
    const header = el(
      'header',
      {},
      el('h1', {}, this.#config.title),
      this.#model,
      this.#range,
      this.#every,
      now,
      this.#updated,
    );
    const rows = ROWS.map((row) =>
      el(
        'section',
        { class: `row row-${row.toLowerCase()}` },
        el('h2', {}, row),
        el(
          'div',
          { class: 'grid' },
          ...this.#panels.filter((p) => p.panel.row === row).map((p) => p.element),
        ),
      ),
    );
    d.body.replaceChildren(header, this.#targets.element, this.#query.element, ...rows);
    onWindow('resize', () => {
      for (const p of this.#panels) p.resize();
      this.#query.resize();
    });
    d.addEventListener('visibilitychange', () => {
      if (!d.hidden) void this.refresh(false);
    });
    void this.refresh(false);
  }

  /** Refreshes everything now; `fromEditor` also takes the query box's current text. */
  async refresh(fromEditor: boolean): Promise<void> {
    this.#running?.abort();
    clearTimeout(this.#timer);
    const controller = new AbortController();
    this.#running = controller;
    const span = await this.#window(controller.signal);
    if (controller.signal.aborted) return;
    await Promise.all([
      this.#targets.refresh(controller.signal),
      this.#refreshModels(controller.signal),
      this.#query.refresh(span, fromEditor),
      ...this.#panels.map((p) => p.refresh(span)),
    ]);
    if (controller.signal.aborted) return;
    this.#refreshes++;
    dom().body.dataset.refreshes = String(this.#refreshes);
    dom().body.dataset.spanSeconds = String(Math.round(span.endS - span.startS));
    this.#updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    const every = Number(this.#every.value);
    if (every > 0 && !dom().hidden) this.#timer = setTimeout(() => void this.refresh(false), every);
  }

  /**
   * The span of this refresh: the chosen range up to now, cut to where the data starts (the first point of
   * `count(up)`, found at the range's own step, so a step is given back to be sure the first scrape is in),
   * with the step and rate window of the span actually shown.
   */
  async #window(signal: AbortSignal): Promise<RefreshWindow> {
    const rangeMs = Number(this.#range.value);
    const scrape = this.#config.scrapeIntervalMs;
    // Up to now, not to the last whole step: the newest scrape is on the page as soon as it is stored.
    const endS = Date.now() / 1000;
    const probeStepMs = stepMs(rangeMs, scrape);
    const firstS = await firstPointS('count(up)', endS - rangeMs / 1000, endS, probeStepMs / 1000, signal);
    const spanMs = shownSpanMs(
      rangeMs,
      endS * 1000,
      firstS === undefined ? undefined : firstS * 1000 - probeStepMs,
    );
    const step = stepMs(spanMs, scrape);
    const model = this.#model.value;
    return {
      vars: {
        model: modelRegex(model === ALL_MODELS ? undefined : model),
        rangeMs,
        rateIntervalMs: rateIntervalMs(step, scrape),
      },
      startS: endS - spanMs / 1000,
      endS,
      stepS: step / 1000,
      signal,
    };
  }

  async #refreshModels(signal: AbortSignal): Promise<void> {
    const models = await labelValues('model', MODEL_SOURCE, signal);
    const key = models.join('\n');
    if (signal.aborted || key === this.#models) return;
    this.#models = key;
    const chosen = this.#model.value;
    const options = [ALL_MODELS, ...models].map((m) => {
      const option = el<ValueElement>('option', { value: m }, m === ALL_MODELS ? 'all models' : m);
      option.selected = m === chosen;
      return option;
    });
    this.#model.replaceChildren(...options);
  }
}

const config = JSON.parse(dom().getElementById('dashboard-config')?.textContent ?? '{}') as DashboardConfig;
new DashboardPage(config).mount();
