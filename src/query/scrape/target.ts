/**
 * Scrape targets: where samples come from and which `job`/`instance` labels they get.
 *
 * - {@link inProcessTarget} gathers a registry (or anything with `gather()`) in-process, no HTTP. Its
 *   samples are stored as Prometheus 2.42 stores them when it scrapes our `/metrics` (which it does in
 *   OpenMetrics, the format it prefers): bounds written `1.0`, a `+Inf` bucket always present.
 * - {@link httpTarget} fetches a remote `/metrics` with Prometheus's headers, gzip and a timeout, and parses
 *   it with the project's exposition parser in the format the response declares.
 */
import type { MetricFamily } from '../../core/model.js';
import { parseExposition, syntaxForContentType } from '../../expfmt/parser.js';
import { type Labels, labelsFromRecord } from '../labels.js';
import { fetchExposition } from './http-fetch.js';

/** Anything that can be gathered into families: a `Registry`, a runtime level, a merger. */
export interface Gatherer {
  gather(): readonly MetricFamily[] | Promise<readonly MetricFamily[]>;
}

/** One scrape's families and how to store them. */
export interface Collected {
  readonly families: readonly MetricFamily[];
  readonly syntax: 'text' | 'openmetrics';
  readonly synthesizeInfBucket: boolean;
  /** Store `_created` values as series (the exposition had `_created` lines). */
  readonly created: boolean;
}

export interface ScrapeTarget {
  readonly job: string;
  readonly instance: string;
  /** Shown as `scrapeUrl` in `/api/v1/targets`. */
  readonly url: string;
  readonly discoveredLabels: Labels;
  collect(timeoutMs: number, signal: AbortSignal): Promise<Collected>;
}

export interface InProcessTargetOptions {
  readonly job: string;
  readonly instance: string;
  readonly source: Gatherer;
  /** How bucket bounds are written; default `openmetrics`, what Prometheus 2.42 negotiates with us. */
  readonly format?: 'openmetrics' | 'text';
}

export function inProcessTarget(options: InProcessTargetOptions): ScrapeTarget {
  const syntax = options.format ?? 'openmetrics';
  const url = `inprocess://${options.job}/${options.instance}`;
  return {
    job: options.job,
    instance: options.instance,
    url,
    discoveredLabels: labelsFromRecord({ __address__: options.instance, job: options.job }),
    collect: async () => ({
      families: await options.source.gather(),
      syntax,
      synthesizeInfBucket: true,
      created: false,
    }),
  };
}

export interface HttpTargetOptions {
  /** Full URL of the exposition, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly url: string;
  readonly job: string;
  /** Default: the URL's `host:port`, as Prometheus derives it from `__address__`. */
  readonly instance?: string;
  /** Largest accepted body, bytes; default 64 MiB, 0 for no limit. */
  readonly bodySizeLimitBytes?: number;
}

export function httpTarget(options: HttpTargetOptions): ScrapeTarget {
  const parsed = new URL(options.url);
  const address =
    parsed.port === '' ? `${parsed.hostname}:${parsed.protocol === 'https:' ? 443 : 80}` : parsed.host;
  return {
    job: options.job,
    instance: options.instance ?? address,
    url: options.url,
    discoveredLabels: labelsFromRecord({
      __address__: address,
      __metrics_path__: parsed.pathname,
      __scheme__: parsed.protocol.replace(':', ''),
      job: options.job,
    }),
    async collect(timeoutMs, signal) {
      const fetched = await fetchExposition(options.url, {
        timeoutMs,
        signal,
        bodySizeLimitBytes: options.bodySizeLimitBytes ?? 64 * 1024 * 1024,
      });
      const syntax = syntaxForContentType(fetched.contentType);
      const families = parseExposition(fetched.body, { syntax });
      return { families, syntax, synthesizeInfBucket: false, created: syntax === 'openmetrics' };
    },
  };
}
