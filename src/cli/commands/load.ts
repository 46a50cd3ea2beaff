import { runLoad } from '../../load/generator.js';
import { Progress } from '../../load/progress.js';
import { LoadStats } from '../../load/stats.js';
import { DistributionError, type IntDistribution, parseDistribution } from '../../util/distribution.js';
import { type Command, ExitCode, numberOption, parseOptions, UsageError } from '../command.js';

const ms = (s: number) => (Number.isFinite(s) ? `${(s * 1000).toFixed(1)} ms` : '-');

/** The human-readable summary of a load run. */
export function formatSummary(stats: LoadStats): string {
  const row = (name: string, s: LoadStats['ttft'], unit: (v: number) => string) =>
    `  ${name.padEnd(14)} p50 ${unit(s.quantile(0.5)).padStart(10)}  p90 ${unit(s.quantile(0.9)).padStart(10)}  p99 ${unit(s.quantile(0.99)).padStart(10)}  (${s.count} samples)`;
  const tokens = (v: number) => (Number.isFinite(v) ? String(v) : '-');
  const errors = [...stats.errors].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  return [
    `requests: ${stats.sent} sent, ${stats.completed} completed, ${stats.cancelled} cancelled on purpose, errors ${errors}`,
    `throughput: ${stats.throughput().toFixed(2)} req/s over ${stats.elapsed().toFixed(1)} s`,
    row('TTFT', stats.ttft, ms),
    row('ITL', stats.itl, ms),
    row('end to end', stats.e2e, ms),
    row('input tokens', stats.inputTokens, tokens),
    row('output tokens', stats.outputTokens, tokens),
    '',
  ].join('\n');
}

export const load: Command = {
  name: 'load',
  summary: 'send load to an OpenAI-compatible server and measure it',
  help: `usage: dynametrics load --url URL [options]

Sends chat (or completion) requests to any OpenAI-compatible server, at a rate or with a fixed
concurrency, and reports what it measured itself: TTFT, inter-token gaps, end-to-end latency,
prompt and output lengths.

options:
  --url URL                 base URL of the server (e.g. http://127.0.0.1:8000)      (required)
  --model NAME              model to ask for (default: mock-model)
  --rps N                   requests per second, Poisson arrivals (default 5)
  --concurrency N           keep N requests in flight instead of a rate
  --duration S              stop after S seconds (default 30)
  --requests N              stop after N requests
  --prompt-tokens DIST      prompt length: N, MIN-MAX, uniform:MIN:MAX, normal:MEAN:SD (default 50-300)
  --output-tokens DIST      max_tokens of each request, same forms (default 20-200)
  --endpoint chat|completions   which API to call (default chat)
  --no-stream               ask for whole responses (TTFT is then not measured)
  --disconnect-fraction F   abandon this fraction of requests after their first chunk
  --seed N                  seed of the request shapes (default 1)
  --json                    print the summary as JSON
  -h, --help                show this help

exit codes: 0 done, 1 every request failed, 2 bad options
`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      url: { type: 'string' },
      model: { type: 'string' },
      rps: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      requests: { type: 'string' },
      'prompt-tokens': { type: 'string' },
      'output-tokens': { type: 'string' },
      endpoint: { type: 'string' },
      'no-stream': { type: 'boolean' },
      'disconnect-fraction': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.url === undefined) throw new UsageError('--url is required');
    let url: URL;
    try {
      url = new URL(values.url);
    } catch {
      throw new UsageError(`--url must be a URL, got ${JSON.stringify(values.url)}`);
    }
    const endpoint = values.endpoint ?? 'chat';
    if (endpoint !== 'chat' && endpoint !== 'completions')
      throw new UsageError('--endpoint must be chat or completions');
    let promptTokens: IntDistribution | undefined;
    let outputTokens: IntDistribution | undefined;
    try {
      promptTokens =
        values['prompt-tokens'] === undefined ? undefined : parseDistribution(values['prompt-tokens']);
      outputTokens =
        values['output-tokens'] === undefined ? undefined : parseDistribution(values['output-tokens']);
    } catch (e) {
      if (e instanceof DistributionError) throw new UsageError(e.message);
      throw e;
    }
    const disconnect = numberOption('disconnect-fraction', values['disconnect-fraction'], 0);
    if (disconnect > 1) throw new UsageError('--disconnect-fraction must be between 0 and 1');
    const duration = numberOption('duration', values.duration, 30);
    const stats = new LoadStats();
    const controller = new AbortController();
    const stop = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    const progress = new Progress(
      io.stderr as { write(text: string): unknown; isTTY?: boolean },
      stats,
      duration,
    );
    progress.start();
    try {
      await runLoad(
        {
          url: url.origin,
          model: values.model ?? 'mock-model',
          endpoint,
          rps: numberOption('rps', values.rps, 5),
          concurrency:
            values.concurrency === undefined
              ? undefined
              : numberOption('concurrency', values.concurrency, 1, { integer: true, min: 1 }),
          durationSeconds: duration,
          requests:
            values.requests === undefined
              ? undefined
              : numberOption('requests', values.requests, 1, { integer: true, min: 1 }),
          promptTokens,
          outputTokens,
          stream: values['no-stream'] !== true,
          seed: numberOption('seed', values.seed, 1, { integer: true }),
          disconnectFraction: disconnect,
          signal: controller.signal,
        },
        stats,
      );
    } finally {
      progress.stop();
      process.off('SIGINT', stop);
    }
    io.stdout.write(
      values.json === true ? `${JSON.stringify(stats.summary(), null, 2)}\n` : formatSummary(stats),
    );
    return stats.sent > 0 && stats.completed === 0 && stats.cancelled === 0 ? ExitCode.FAILURE : ExitCode.OK;
  },
};
