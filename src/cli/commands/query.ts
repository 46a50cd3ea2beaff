import { formatSampleValue } from '../../query/api/format.js';
import { queryDataJson } from '../../query/api/json.js';
import type { QueryResult } from '../../query/engine/engine.js';
import { NotSupportedError, PromQLParseError, QueryError } from '../../query/errors.js';
import { compareLabels, compareStrings, type Labels, labelsToRecord } from '../../query/labels.js';
import { parsePromQL } from '../../query/promql/parser.js';
import { type Command, ExitCode, type Io, parseOptions, UsageError } from '../command.js';
import { durationOption } from '../duration-option.js';
import { downTargets, scrapeWindow, TargetsDownError } from '../scrape-window.js';
import { renderTable } from '../table.js';
import { parseTargets, TARGET_HELP, TARGET_OPTIONS } from '../target-option.js';

/** The error of an expression that does not parse, with a caret under where it goes wrong. */
function pointAt(expr: string, e: PromQLParseError | NotSupportedError): string {
  const lineStart = expr.lastIndexOf('\n', e.position.start - 1) + 1;
  const lineEnd = expr.indexOf('\n', lineStart);
  const line = expr.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return `${e.message}\n  ${line}\n  ${' '.repeat(e.position.start - lineStart)}^`;
}

/** One column per label name (sorted, `__name__` first), then the given value columns. */
function labelColumns(all: readonly Labels[]): string[] {
  const names = new Set<string>();
  for (const labels of all) for (const l of labels) names.add(l.name);
  return [...names].sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : compareStrings(a, b)));
}

/** Series sorted by their labels, each with its label cells under `columns`. */
function labelled<S extends { readonly labels: Labels }>(series: readonly S[], columns: readonly string[]) {
  return [...series]
    .sort((a, b) => compareLabels(a.labels, b.labels))
    .map((s) => {
      const labels = labelsToRecord(s.labels);
      return { series: s, cells: columns.map((c) => labels[c] ?? '') };
    });
}

/** A result as a table: a row per sample (per step with a range), series sorted by their labels. */
export function resultTable(result: QueryResult): string {
  switch (result.resultType) {
    case 'scalar':
      return renderTable(['value'], [[formatSampleValue(result.result.v)]]);
    case 'string':
      return renderTable(['value'], [[result.result.v]]);
    case 'vector': {
      const columns = labelColumns(result.result.map((s) => s.labels));
      const rows = labelled(result.result, columns).map(({ series, cells }) => [
        ...cells,
        formatSampleValue(series.v),
      ]);
      return renderTable([...columns, 'value'], rows);
    }
    case 'matrix': {
      const columns = labelColumns(result.result.map((s) => s.labels));
      const rows = labelled(result.result, columns).flatMap(({ series, cells }) =>
        Array.from(series.t, (t, i) => [...cells, new Date(t).toISOString(), formatSampleValue(series.v[i])]),
      );
      return renderTable([...columns, 'time', 'value'], rows);
    }
  }
}

function isEmpty(result: QueryResult): boolean {
  return (result.resultType === 'vector' || result.resultType === 'matrix') && result.result.length === 0;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per round of scrapes otherwise. */
function progress(io: Io, done: number, total: number, up: number, targets: number): void {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const width = 20;
  const filled = Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] scrape ${done}/${total}, ${up}/${targets} targets up`;
  io.stderr.write(tty ? `\r\x1b[2K${line}${done === total ? '\n' : ''}` : `${line}\n`);
}

export const query: Command = {
  name: 'query',
  summary: 'scrape targets for a while, then answer a PromQL expression',
  help: `usage: dynametrics query '<promql>' --target URL ... [options]

Scrapes the targets every --step for --over (with a progress bar on stderr), then evaluates the
expression with the embedded engine (Prometheus 2.42's semantics) at the time of the last scrape, or,
with --range, at every step of the window. Prints a table (a column per label, then the value), or
with --json the "data" object of Prometheus's /api/v1/query (or /query_range) answer.

options:
${TARGET_HELP}
  --over D            how long to scrape (default 60s; 0 scrapes once, enough for gauges)
  --step D            time between scrapes, and the resolution of --range (default 5s)
  --range             print every step of the window, not only the value at its end
  --timeout D         timeout of each scrape (default: the step, at most 10s)
  --json              print JSON instead of a table
  -h, --help          show this help

A rate needs two scrapes in its window: with --over 60s, rate(x[1m]) works.

exit codes: 0 answered (also with no series), 1 no target could be scraped or the evaluation failed,
2 bad options or an expression that does not parse (the message points at the position)
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        ...TARGET_OPTIONS,
        over: { type: 'string' },
        step: { type: 'string' },
        range: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length !== 1)
      throw new UsageError("give exactly one PromQL expression, quoted: 'sum(up)'");
    const expr = positionals[0];
    const targets = parseTargets(values.target);
    const overMs = durationOption('over', values.over, 60_000);
    const stepMs = durationOption('step', values.step, 5_000, { minMs: 1 });
    const timeoutMs =
      values.timeout === undefined ? undefined : durationOption('timeout', values.timeout, 0, { minMs: 1 });
    try {
      parsePromQL(expr);
    } catch (e) {
      if (e instanceof PromQLParseError || e instanceof NotSupportedError)
        throw new UsageError(pointAt(expr, e));
      throw e;
    }
    let window: Awaited<ReturnType<typeof scrapeWindow>>;
    try {
      window = await scrapeWindow(targets, {
        overMs,
        stepMs,
        timeoutMs,
        onScrape: (done, total, status) =>
          progress(io, done, total, status.filter((t) => t.health === 'up').length, status.length),
      });
    } catch (e) {
      if (e instanceof TargetsDownError) {
        io.stderr.write(`dynametrics query: no target could be scraped:\n${e.message}\n`);
        return ExitCode.FAILURE;
      }
      throw e;
    }
    for (const down of downTargets(window.targets)) io.stderr.write(`dynametrics query: warning: ${down}\n`);
    let result: QueryResult;
    try {
      result = values.range
        ? // One step per round of scrapes, from the first: a late scrape cannot add or drop a row.
          await window.engine.rangeQuery(
            expr,
            window.firstMs,
            window.firstMs + (window.rounds - 1) * stepMs,
            stepMs,
          )
        : await window.engine.instantQuery(expr, window.lastMs);
    } catch (e) {
      if (e instanceof QueryError) {
        io.stderr.write(`dynametrics query: ${e.message}\n`);
        return ExitCode.FAILURE;
      }
      throw e;
    }
    if (values.json) io.stdout.write(`${queryDataJson(result)}\n`);
    else if (isEmpty(result)) io.stderr.write('dynametrics query: no series\n');
    else io.stdout.write(resultTable(result));
    return ExitCode.OK;
  },
};
