/**
 * `--target [JOB=]URL` options: HTTP scrape targets for the commands that scrape (`dashboard`, `query`,
 * `top`). A URL without a path scrapes `/metrics`, as Prometheus does; the job defaults to `dynamo`.
 */
import { httpTarget, type ScrapeTarget } from '../query/scrape/target.js';
import { UsageError } from './command.js';

export const DEFAULT_JOB = 'dynamo';

/** The `parseOptions` declaration of `--target`. */
export const TARGET_OPTIONS = { target: { type: 'string', multiple: true } } as const;

export const TARGET_HELP = `  --target [JOB=]URL  a /metrics URL to scrape (repeatable; a URL without a path means /metrics;
                     the job label defaults to ${DEFAULT_JOB})`;

/** The scrape target of one `--target` value. */
export function parseTarget(value: string): ScrapeTarget {
  const m = /^([a-zA-Z_][a-zA-Z0-9_-]*)=(.*)$/.exec(value);
  const job = m?.[1] ?? DEFAULT_JOB;
  const text = m?.[2] ?? value;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--target must be an http(s) URL such as http://127.0.0.1:8000/metrics, optionally JOB=URL, got ${JSON.stringify(value)}`,
    );
  }
  if (url.pathname === '/') url.pathname = '/metrics';
  return httpTarget({ job, url: url.toString() });
}

/** The targets of every `--target`; at least one is required. */
export function parseTargets(values: readonly string[] | undefined): ScrapeTarget[] {
  if (values === undefined || values.length === 0) throw new UsageError('give at least one --target URL');
  return values.map(parseTarget);
}
