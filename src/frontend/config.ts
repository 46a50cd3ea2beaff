/**
 * Frontend configuration from the environment (reference spec §4.5, §6.2–6.3, §7.2): the metric prefix
 * (`DYN_METRICS_PREFIX`, sanitized, with a warning when sanitizing changed it), the log-spaced bucket lists
 * (`DYN_METRICS_<X>_{MIN,MAX,COUNT}`, and the doubled `DYN_HISTOGRAM_DYN_METRICS_*` names an upstream bug
 * made people use; an invalid combination warns and falls back to the defaults), the HTTP port and the
 * model-config refresh interval.
 */
import { generateLogBuckets, isValidLogBucketConfig } from '../core/buckets.js';
import {
  CONFIG_METRICS_POLL_INTERVAL_DEFAULT_SECS,
  CONFIG_METRICS_POLL_INTERVAL_ENV,
  FrontendHistogramConfig,
} from '../names/frontend.js';
import { METRICS_PREFIX_ENV } from '../names/prefixes.js';
import { sanitizeFrontendPrometheusPrefix } from '../names/sanitize.js';
import type { Env } from '../runtime/config.js';
import { ConfigError, parsePort } from '../runtime/config.js';
import type { Logger } from '../util/logger.js';

export type HistogramKey = keyof typeof FrontendHistogramConfig;

export interface FrontendConfig {
  readonly prefix: string;
  readonly buckets: Readonly<Record<HistogramKey, readonly number[]>>;
  readonly httpPort: number;
  readonly configPollIntervalMs: number;
}

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** One histogram's buckets; an unparsable value falls back to its default, an invalid combination to all defaults. */
export function bucketsFromEnv(env: Env, key: HistogramKey, logger?: Logger): number[] {
  const defaults = FrontendHistogramConfig[key];
  const value = (part: 'MIN' | 'MAX' | 'COUNT', fallback: number): number => {
    const raw =
      read(env, `DYN_METRICS_${key}_${part}`) ?? read(env, `DYN_HISTOGRAM_DYN_METRICS_${key}_${part}`);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    return Number.isFinite(n) ? n : fallback;
  };
  let min = value('MIN', defaults.min);
  let max = value('MAX', defaults.max);
  let count = value('COUNT', defaults.count);
  if (!isValidLogBucketConfig(min, max, count)) {
    logger?.log('warn', 'Invalid histogram configuration given, using defaults', {
      histogram: key,
      min,
      max,
      count,
    });
    ({ min, max, count } = defaults);
  }
  const { buckets, duplicatesRemoved } = generateLogBuckets(min, max, count);
  if (duplicatesRemoved > count / 10) {
    logger?.log('warn', 'Many histogram buckets collapsed when rounded to 2 significant figures', {
      histogram: key,
      duplicatesRemoved,
    });
  }
  return buckets;
}

export function frontendConfigFromEnv(env: Env, logger?: Logger): FrontendConfig {
  const rawPrefix = read(env, METRICS_PREFIX_ENV);
  const prefix = sanitizeFrontendPrometheusPrefix(rawPrefix);
  if (rawPrefix !== undefined && prefix !== rawPrefix) {
    logger?.log('warn', 'Sanitized HTTP metrics prefix', { given: rawPrefix, used: prefix });
  }
  const buckets = Object.fromEntries(
    (Object.keys(FrontendHistogramConfig) as HistogramKey[]).map((k) => [k, bucketsFromEnv(env, k, logger)]),
  ) as Record<HistogramKey, number[]>;
  const rawPort = read(env, 'DYN_HTTP_PORT');
  const httpPort = rawPort === undefined ? 8000 : parsePort(rawPort, 'DYN_HTTP_PORT');
  if (httpPort < 0) throw new ConfigError(`DYN_HTTP_PORT must be between 0 and 65535, got ${rawPort}`);
  const rawPoll = read(env, CONFIG_METRICS_POLL_INTERVAL_ENV);
  let pollSecs = CONFIG_METRICS_POLL_INTERVAL_DEFAULT_SECS;
  if (rawPoll !== undefined) {
    const n = Number(rawPoll);
    if (Number.isFinite(n) && n > 0) pollSecs = n;
    else
      logger?.log('warn', `${CONFIG_METRICS_POLL_INTERVAL_ENV} must be a number > 0; using the default`, {
        given: rawPoll,
      });
  }
  return { prefix, buckets, httpPort, configPollIntervalMs: pollSecs * 1000 };
}
