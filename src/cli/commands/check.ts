import { setTimeout as sleep } from 'node:timers/promises';
import { ExpositionParseError } from '../../expfmt/parser.js';
import { lintFamilies, parseForLint } from '../../lint/lint.js';
import { type Problem, problemSubject } from '../../lint/problem.js';
import { ExpositionSourceError, isUrl, readExposition } from '../../lint/source.js';
import { labelsToRecord } from '../../query/labels.js';
import { type Command, ExitCode, type Io, parseOptions, UsageError } from '../command.js';
import { durationOption } from '../duration-option.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function problemJson(p: Problem): Record<string, unknown> {
  return {
    metric: p.metric,
    ...(p.labels === undefined ? {} : { labels: labelsToRecord(p.labels) }),
    rule: p.rule,
    group: p.group,
    message: p.message,
  };
}

/** Fails the check without findings: nothing to lint (unreachable, not metrics, does not parse). */
function unreadable(io: Io, source: string, message: string, json: boolean): number {
  io.stderr.write(`dynametrics check: ${message}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ source, ok: false, error: message })}\n`);
  return ExitCode.FAILURE;
}

export const check: Command = {
  name: 'check',
  summary: 'lint an exposition (URL or file) like promtool check metrics, plus Dynamo rules',
  help: `usage: dynametrics check <url|file> [options]

Lints a metrics exposition the way "promtool check metrics" (Prometheus 2.42) does, with its messages:
HELP present, base units, "_total" on counters and only on counters, "_bucket"/"_count"/"_sum" and
"le"/"quantile" only where they belong, no type name in the name, no colons, no camelCase, no
abbreviated units. Then what promtool misses: series that appear twice, histograms without a
le="+Inf" bucket, non-cumulative buckets, a _count different from the +Inf bucket, a missing _sum or
_count, and (for a URL, scraped twice) counters that go down between the two scrapes. Then Dynamo's
naming rules: a Dynamo prefix (dynamo_component_, dynamo_frontend_, ...), the unit last, "_percent"
spelled so and holding a fraction 0-1, no "_counter"/"_gauge"/"_time"/"_size"/"_rate" suffix, no
"total_" at the start of a counter, and the hierarchy labels (dynamo_namespace, dynamo_component,
dynamo_endpoint, worker_id) as the runtime writes them. Engine pass-through families (vllm:, sglang:,
trtllm_, lmcache:, kvbm_) keep their engine's names, so naming rules skip them unless --engine-names.

A URL is fetched like Prometheus does (OpenMetrics preferred, gzip); a file is read as OpenMetrics when
it ends with "# EOF", else as the text format 0.0.4.

options:
  --interval D      time between the two scrapes of a URL (default 1s; 0 scrapes once and skips
                    the counter check)
  --timeout D       timeout of each scrape (default 10s)
  --no-dynamo       skip Dynamo's naming and label rules (for any Prometheus exporter)
  --engine-names    apply the naming rules to engine pass-through families too
  --json            print {"source","ok","families","series","problems":[...]} on stdout
  -h, --help        show this help

Problems print as "<metric>[{labels}] <message>", sorted by metric then message, as promtool does.

exit codes: 0 no problems, 1 problems found, or the target is unreachable, is not metrics (an HTML
page) or does not parse, 2 bad options
`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        interval: { type: 'string' },
        timeout: { type: 'string' },
        'no-dynamo': { type: 'boolean' },
        'engine-names': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (positionals.length !== 1) throw new UsageError('give exactly one URL or file to check');
    const source = positionals[0];
    const json = values.json === true;
    const intervalMs = durationOption('interval', values.interval, 1000);
    const timeoutMs = durationOption('timeout', values.timeout, 10_000, { minMs: 1 });
    const options = { dynamo: values['no-dynamo'] !== true, engineNames: values['engine-names'] === true };
    let report: ReturnType<typeof lintFamilies>;
    try {
      const first = await readExposition(source, timeoutMs);
      const { families, duplicates } = parseForLint(first.text, first.syntax);
      let later: ReturnType<typeof parseForLint>['families'] | undefined;
      if (isUrl(source) && intervalMs > 0) {
        await sleep(intervalMs);
        const second = await readExposition(source, timeoutMs);
        later = parseForLint(second.text, second.syntax).families;
      }
      report = lintFamilies(families, { ...options, duplicates, later });
    } catch (e) {
      if (e instanceof ExpositionSourceError) return unreadable(io, source, e.message, json);
      if (e instanceof ExpositionParseError) {
        return unreadable(io, source, `${source} is not a valid exposition: ${e.message}`, json);
      }
      throw e;
    }
    const ok = report.problems.length === 0;
    if (json) {
      io.stdout.write(
        `${JSON.stringify({
          source,
          ok,
          families: report.families,
          series: report.series,
          problems: report.problems.map(problemJson),
        })}\n`,
      );
    } else {
      for (const p of report.problems) io.stdout.write(`${problemSubject(p)} ${p.message}\n`);
      const metrics = new Set(report.problems.map((p) => p.metric)).size;
      io.stdout.write(
        ok
          ? `ok: ${count(report.families, 'family', 'families')}, ${count(report.series, 'series', 'series')}, no problems\n`
          : `${count(report.problems.length, 'problem', 'problems')} in ${metrics} of ${count(report.families, 'family', 'families')} (${count(report.series, 'series', 'series')})\n`,
      );
    }
    return ok ? ExitCode.OK : ExitCode.FAILURE;
  },
};
