/**
 * Renders a shipped Prometheus configuration for a deployment on loopback ports. The shipped file stays
 * the source: it is read as is, and only what a local test must change is changed.
 * - Static jobs get the given targets; static jobs with no targets given (the NATS, etcd, DCGM and KVBM
 *   exporters, which do not run here) are removed rather than left down, so "every target is up" means
 *   every Dynamo target.
 * - HTTP service discovery URLs are pointed at the given `host:port`, path kept.
 * - Intervals and timeouts become `interval`, so the test waits seconds instead of minutes; the shipped
 *   intervals are checked against the reference separately.
 * - `rule_files` are resolved against the shipped file's directory.
 * The result is JSON, which is YAML to Prometheus.
 */
import { dirname, resolve } from 'node:path';
import { parseYaml } from '../../helpers/yaml-subset.js';

export interface ScrapeJob {
  readonly job_name: string;
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
  readonly honor_labels?: boolean;
  readonly static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  readonly http_sd_configs?: { url: string; refresh_interval?: string }[];
  readonly relabel_configs?: Record<string, unknown>[];
}

export interface PrometheusConfig {
  readonly global: Record<string, string>;
  readonly rule_files?: string[];
  readonly scrape_configs: ScrapeJob[];
}

export interface RenderOptions {
  /** Targets of each static job to keep. */
  readonly targets: Readonly<Record<string, readonly string[]>>;
  /** `host:port` that HTTP-SD URLs are pointed at. */
  readonly httpSd?: string;
  readonly interval: string;
}

export interface Rendered {
  readonly config: string;
  /** Jobs of the shipped file left out because nothing runs for them. */
  readonly removedJobs: readonly string[];
}

export function renderScrapeConfig(shippedPath: string, text: string, options: RenderOptions): Rendered {
  const shipped = parseYaml(text) as PrometheusConfig;
  const removedJobs: string[] = [];
  const jobs: ScrapeJob[] = [];
  for (const job of shipped.scrape_configs) {
    const timing = { scrape_interval: options.interval, scrape_timeout: options.interval };
    if (job.http_sd_configs !== undefined) {
      const at = options.httpSd;
      if (at === undefined) throw new Error(`job ${job.job_name} uses HTTP-SD but no address was given`);
      const http_sd_configs = job.http_sd_configs.map((sd) => {
        const url = new URL(sd.url);
        url.host = at;
        return { ...sd, url: url.toString() };
      });
      jobs.push({ ...job, ...timing, http_sd_configs });
    } else {
      const targets = options.targets[job.job_name];
      if (targets === undefined) {
        removedJobs.push(job.job_name);
        continue;
      }
      jobs.push({ ...job, ...timing, static_configs: [{ targets: [...targets] }] });
    }
  }
  const config: PrometheusConfig = {
    global: {
      ...shipped.global,
      scrape_interval: options.interval,
      scrape_timeout: options.interval,
      evaluation_interval: options.interval,
    },
    rule_files: (shipped.rule_files ?? []).map((f) => resolve(dirname(shippedPath), f)),
    scrape_configs: jobs,
  };
  return { config: JSON.stringify(config, null, 2), removedJobs };
}
