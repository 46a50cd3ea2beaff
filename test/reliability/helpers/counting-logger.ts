/**
 * A logger for long runs: counts entries by level and message instead of keeping them, so a soak of
 * 100k requests (a warning per failed request) does not grow the heap it is measuring.
 */
import type { Logger, LogLevel } from '../../../src/util/logger.js';

export class CountingLogger implements Logger {
  readonly counts = new Map<string, number>();

  enabled(): boolean {
    return true;
  }

  log(level: LogLevel, message: string): void {
    const key = `${level}: ${message}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
