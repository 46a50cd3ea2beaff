/** Duration options of the CLI (`--interval 5s`, `--over 1m`): a Prometheus duration or plain seconds. */
import { parseDuration } from '../query/promql/literals.js';
import { UsageError } from './command.js';

/** Milliseconds of `value` (`500ms`, `5s`, `1m30s`, or seconds such as `2.5`), or `fallbackMs` when absent. */
export function durationOption(
  name: string,
  value: string | undefined,
  fallbackMs: number,
  { minMs = 0 } = {},
): number {
  if (value === undefined) return fallbackMs;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : undefined;
  const parsed = parseDuration(value);
  const ms = seconds ?? (parsed.ok ? parsed.value : undefined);
  if (ms === undefined || ms < minMs) {
    throw new UsageError(
      `--${name} must be a duration such as 500ms, 5s or 1m${minMs > 0 ? ` (at least ${minMs} ms)` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** `5s`, `1m30s`, `250ms`: how the CLI prints a duration back. */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s % 60 !== 0 || s < 60) return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
  return `${s / 60}m`;
}
