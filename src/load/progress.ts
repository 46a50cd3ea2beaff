/**
 * A one-line progress display: redrawn in place on a terminal, a line every few seconds otherwise (so CI
 * logs stay readable).
 */
import type { LoadStats } from './stats.js';

const fmt = (s: number) => (Number.isFinite(s) ? `${(s * 1000).toFixed(0)}ms` : '-');

export function progressLine(stats: LoadStats, durationSeconds?: number): string {
  const elapsed = stats.elapsed();
  let bar = '';
  if (durationSeconds !== undefined && Number.isFinite(durationSeconds) && durationSeconds > 0) {
    const done = Math.min(1, elapsed / durationSeconds);
    const width = 20;
    bar = `[${'#'.repeat(Math.round(done * width)).padEnd(width, '.')}] ${String(Math.round(done * 100)).padStart(3)}% `;
  }
  return (
    `${bar}${elapsed.toFixed(0)}s sent ${stats.sent} done ${stats.completed} in flight ${stats.inFlight} ` +
    `errors ${stats.errorCount} | ${stats.throughput().toFixed(1)} req/s | TTFT p50 ${fmt(stats.ttft.quantile(0.5))} ` +
    `p99 ${fmt(stats.ttft.quantile(0.99))} | ITL p50 ${fmt(stats.itl.quantile(0.5))}`
  );
}

export class Progress {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: { write(text: string): unknown; isTTY?: boolean },
    private readonly stats: LoadStats,
    private readonly durationSeconds?: number,
  ) {}

  start(): void {
    const tty = this.out.isTTY === true;
    this.#timer = setInterval(
      () => {
        const line = progressLine(this.stats, this.durationSeconds);
        this.out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
      tty ? 250 : 5000,
    );
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    if (this.out.isTTY === true) this.out.write('\r\x1b[2K');
  }
}
