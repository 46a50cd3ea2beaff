/**
 * Configuration of the system status server from the environment (reference spec §7.2). Every variable
 * keeps its upstream name; empty values count as unset; options given in code win over the environment.
 * Unlike upstream, the port is a real 0–65535 port (upstream stores it in a signed 16-bit integer), and a
 * malformed value is an error that says which variable and why instead of a silent default.
 */
import { DynametricsError, show } from '../core/errors.js';
import type { Logger } from '../util/logger.js';
import type { HealthStatus } from './health.js';

export class ConfigError extends DynametricsError {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface SystemServerConfig {
  /** Whether the runtime starts the server. */
  readonly enabled: boolean;
  /** 0 picks an ephemeral port, which the runtime reports once listening. */
  readonly port: number;
  readonly host: string;
  readonly healthPath: string;
  readonly livePath: string;
  readonly startingHealthStatus: HealthStatus;
  /** Endpoint names whose health decides readiness; empty means "not used". */
  readonly useEndpointHealthStatus: readonly string[];
}

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Parses `DYN_SYSTEM_PORT`: negative disables, 0–65535 enables. */
export function parsePort(raw: string | number, what = 'DYN_SYSTEM_PORT'): number {
  const text = String(raw).trim();
  if (!/^[+-]?\d+$/.test(text)) throw new ConfigError(`${what} must be an integer port, got ${show(raw)}`);
  const port = Number(text);
  if (port > 65535) throw new ConfigError(`${what} must be at most 65535, got ${show(raw)}`);
  return port;
}

function parsePath(env: Env, name: string, fallback: string): string {
  const v = read(env, name) ?? fallback;
  if (!v.startsWith('/')) throw new ConfigError(`${name} must start with "/", got ${show(v)}`);
  return v;
}

export function systemServerConfigFromEnv(env: Env, logger?: Logger): SystemServerConfig {
  if (read(env, 'DYN_SYSTEM_ENABLED') !== undefined) {
    logger?.log(
      'warn',
      'DYN_SYSTEM_ENABLED is deprecated and ignored; the system status server runs when DYN_SYSTEM_PORT >= 0',
    );
  }
  const rawPort = read(env, 'DYN_SYSTEM_PORT');
  const port = rawPort === undefined ? -1 : parsePort(rawPort);
  const starting = read(env, 'DYN_SYSTEM_STARTING_HEALTH_STATUS') ?? 'notready';
  if (starting !== 'ready' && starting !== 'notready') {
    throw new ConfigError(
      `DYN_SYSTEM_STARTING_HEALTH_STATUS must be "ready" or "notready", got ${show(starting)}`,
    );
  }
  let useEndpoints: string[] = [];
  const rawUse = read(env, 'DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS');
  if (rawUse !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawUse);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((e) => typeof e === 'string')) {
      throw new ConfigError(
        `DYN_SYSTEM_USE_ENDPOINT_HEALTH_STATUS must be a JSON list of endpoint names, got ${show(rawUse)}`,
      );
    }
    useEndpoints = parsed;
  }
  return {
    enabled: port >= 0,
    port: Math.max(port, 0),
    host: read(env, 'DYN_SYSTEM_HOST') ?? '0.0.0.0',
    healthPath: parsePath(env, 'DYN_SYSTEM_HEALTH_PATH', '/health'),
    livePath: parsePath(env, 'DYN_SYSTEM_LIVE_PATH', '/live'),
    startingHealthStatus: starting,
    useEndpointHealthStatus: useEndpoints,
  };
}
