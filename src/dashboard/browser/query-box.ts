/**
 * The expression box: a CodeMirror editor with PromQL highlighting, linting and autocompletion
 * (`@prometheus-io/codemirror-promql`, completing metric and label names from this server's API), and a
 * chart of the expression over the dashboard's range. Enter or the button runs it; an invalid expression
 * shows the API's error, with its position.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { queryRange } from './api.js';
import { TimeSeriesChart } from './chart.js';
import { el, pageOrigin } from './dom.js';
import { drawRange, PanelFrame, type RefreshWindow } from './panel-view.js';

/** How far back autocompletion looks for metric and label names. */
const COMPLETION_LOOKBACK_MS = 60 * 60_000;

export class QueryBox {
  readonly frame = new PanelFrame('Query', 'query', 'query-box');
  readonly #chart: TimeSeriesChart;
  readonly #editor: EditorView;
  #ran = '';

  /** @param run asks the page to run the expression over its current range. */
  constructor(run: () => void) {
    const promql = new PromQLExtension().setComplete({
      remote: { url: pageOrigin(), httpMethod: 'GET', lookbackInterval: COMPLETION_LOOKBACK_MS },
    });
    const editorHost = el('div', { class: 'editor' });
    const button = el('button', { type: 'button', id: 'query-run' }, 'Run');
    button.addEventListener('click', () => run());
    this.frame.body.append(el('div', { class: 'query-input' }, editorHost, button));
    const chartHost = el('div', { class: 'query-chart' });
    this.frame.body.append(chartHost);
    this.#chart = new TimeSeriesChart(chartHost, 'count');
    this.#editor = new EditorView({
      parent: editorHost,
      state: EditorState.create({
        doc: '',
        extensions: [
          history(),
          closeBrackets(),
          bracketMatching(),
          autocompletion(),
          syntaxHighlighting(defaultHighlightStyle),
          placeholder(
            'PromQL expression, e.g. sum(rate(dynamo_frontend_requests_total[1m])) (Enter runs it)',
          ),
          keymap.of([
            {
              key: 'Enter',
              run: () => {
                run();
                return true;
              },
            },
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...completionKeymap,
          ]),
          promql.asExtension(),
        ],
      }),
    });
    this.frame.setState('empty', 0, '');
  }

  get element() {
    return this.frame.element;
  }

  /** Runs the expression in the editor (if any) over the window; the last run one is re-run on refresh. */
  async refresh(span: RefreshWindow, fromEditor: boolean): Promise<void> {
    if (fromEditor) this.#ran = this.#editor.state.doc.toString().trim();
    const expr = this.#ran;
    if (expr === '') {
      this.#chart.clear();
      this.frame.setState('empty', 0);
      return;
    }
    const answer = await queryRange(expr, span.startS, span.endS, span.stepS, span.signal);
    if (span.signal.aborted) return;
    drawRange(this.frame, this.#chart, [{ legend: '', answer }], span);
  }

  resize(): void {
    this.#chart.resize();
  }
}
