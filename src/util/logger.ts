/**
 * Structured, quiet logging. One JSON object per line on stderr; the default level is `warn`, set by
 * `DYN_LOG` (`error`, `warn`, `info`, `debug`) like upstream. Warnings on the metrics path go through
 * {@link RateLimitedLog}, because a source that fails on every scrape must not flood the log.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  enabled(level: LogLevel): boolean;
}

/** Parses a level name, falling back to `warn` for anything unknown. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? '').trim().toLowerCase();
  return v in RANK ? (v as LogLevel) : 'warn';
}

/** A logger that writes JSON lines to a sink (stderr by default). */
export class JsonLogger implements Logger {
  constructor(
    readonly level: LogLevel = parseLogLevel(process.env.DYN_LOG),
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly component = 'dynametrics',
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }

  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return;
    const entry = { time: new Date().toISOString(), level, target: this.component, message, ...fields };
    let line: string;
    try {
      line = JSON.stringify(entry, (_, v) =>
        typeof v === 'bigint' ? v.toString() : v instanceof Error ? v.message : v,
      );
    } catch {
      line = JSON.stringify({ time: entry.time, level, target: this.component, message });
    }
    this.write(`${line}\n`);
  }
}

/** A logger that keeps entries in memory, for tests. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; message: string; fields: Record<string, unknown> }[] = [];

  enabled(): boolean {
    return true;
  }

  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level, message, fields });
  }
}

/**
 * Logs a message at most once per interval for each key, counting what it suppressed in between so the
 * next entry says how many were skipped.
 */
export class RateLimitedLog {
  readonly #last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  log(level: LogLevel, key: string, message: string, fields: Record<string, unknown> = {}): void {
    const t = this.now();
    const state = this.#last.get(key);
    if (state !== undefined && t - state.at < this.intervalMs) {
      state.suppressed++;
      return;
    }
    const suppressed = state?.suppressed ?? 0;
    this.#last.set(key, { at: t, suppressed: 0 });
    if (this.#last.size > 10_000) this.#last.delete(this.#last.keys().next().value as string);
    this.logger.log(level, message, suppressed > 0 ? { ...fields, suppressed } : fields);
  }
}
