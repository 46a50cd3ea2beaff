/**
 * One panel on the page: a stat (one number over the range) or a chart (its queries over the range). A
 * refresh replaces what the panel shows; a query error (bad PromQL, an engine limit) is shown in the
 * panel, and the other panels carry on. `data-state` (`loading`, `data`, `empty`, `error`) and
 * `data-points` say what the panel shows, for people reading the DOM and for the browser test.
 */
import { type ApiAnswer, type ApiSeries, queryInstant, queryRange, sampleValue } from './api.js';
import { TimeSeriesChart } from './chart.js';
import { type DomElement, el } from './dom.js';
import { formatStat } from './format.js';
import { expandQuery, type Panel, type QueryVariables, type Unit } from './panels.js';
import { alignSeries } from './series-data.js';

export interface RefreshWindow {
  readonly vars: QueryVariables;
  readonly startS: number;
  readonly endS: number;
  readonly stepS: number;
  readonly signal: AbortSignal;
}

type State = 'loading' | 'data' | 'empty' | 'error';

/** The frame of a panel: title, a status line, and a body. Shared by panels and the query box. */
export class PanelFrame {
  readonly element: DomElement;
  readonly body: DomElement;
  readonly #status: DomElement;

  constructor(title: string, className: string, id: string) {
    this.#status = el('div', { class: 'status' });
    this.body = el('div', { class: 'body' });
    this.element = el(
      'section',
      { class: `panel ${className}`, id },
      el('h3', {}, title),
      this.#status,
      this.body,
    );
    this.setState('loading', 0);
  }

  setState(state: State, points: number, message = ''): void {
    this.element.dataset.state = state;
    this.element.dataset.points = String(points);
    this.#status.textContent = state === 'empty' ? 'no data' : message;
    this.#status.className = `status ${state}`;
  }
}

/** Draws the answers of range queries in a chart; an error in any query is shown above what did load. */
export function drawRange(
  frame: PanelFrame,
  chart: TimeSeriesChart,
  answers: readonly { legend: string; answer: ApiAnswer<readonly ApiSeries[]> }[],
  span: Pick<RefreshWindow, 'startS' | 'endS' | 'stepS'>,
): void {
  const failed = answers.find((a) => !a.answer.ok);
  const results = answers.flatMap(({ legend, answer }) =>
    answer.ok ? [{ legend, series: answer.data }] : [],
  );
  const data = alignSeries(results, span.startS, span.endS, span.stepS);
  if (data.labels.length === 0) chart.clear();
  else chart.show(data);
  const note = data.dropped > 0 ? `${data.dropped} more series not drawn` : '';
  if (failed !== undefined && !failed.answer.ok) frame.setState('error', data.points, failed.answer.error);
  else frame.setState(data.points > 0 ? 'data' : 'empty', data.points, note);
}

export class PanelView {
  readonly frame: PanelFrame;
  readonly #chart: TimeSeriesChart | undefined;
  readonly #value: DomElement | undefined;

  constructor(readonly panel: Panel) {
    this.frame = new PanelFrame(panel.title, panel.kind, `panel-${panel.id}`);
    if (panel.kind === 'stat') {
      this.#value = el('div', { class: 'value' }, '-');
      this.frame.body.append(this.#value);
    } else {
      this.#chart = new TimeSeriesChart(this.frame.body, panel.unit);
    }
  }

  get element(): DomElement {
    return this.frame.element;
  }

  async refresh(span: RefreshWindow): Promise<void> {
    const queries = this.panel.queries.map((q) => ({ ...q, expr: expandQuery(q.expr, span.vars) }));
    if (this.#chart !== undefined) {
      const answers = await Promise.all(
        queries.map(async (q) => ({
          legend: q.legend,
          answer: await queryRange(q.expr, span.startS, span.endS, span.stepS, span.signal),
        })),
      );
      if (!span.signal.aborted) drawRange(this.frame, this.#chart, answers, span);
      return;
    }
    const answer = await queryInstant(queries[0].expr, span.endS, span.signal);
    if (span.signal.aborted) return;
    this.#showStat(answer, this.panel.unit);
  }

  #showStat(answer: ApiAnswer<readonly ApiSeries[]>, unit: Unit): void {
    const value = this.#value!;
    if (!answer.ok) {
      value.textContent = '-';
      this.frame.setState('error', 0, answer.error);
      return;
    }
    const sample = answer.data[0]?.value;
    const v = sample === undefined ? Number.NaN : sampleValue(sample[1]);
    value.textContent = formatStat(v, unit);
    this.frame.setState(Number.isFinite(v) ? 'data' : 'empty', Number.isFinite(v) ? 1 : 0);
  }

  resize(): void {
    this.#chart?.resize();
  }
}
