/**
 * What a load run measured itself: counts by outcome, and the samples of TTFT, ITL, end-to-end latency,
 * prompt and output lengths, with exact quantiles over the samples (nearest rank on the sorted values).
 */
export class Samples {
  readonly #values: number[] = [];
  #sorted = true;

  add(v: number): void {
    if (this.#values.length > 0 && v < this.#values[this.#values.length - 1]) this.#sorted = false;
    this.#values.push(v);
  }

  get count(): number {
    return this.#values.length;
  }

  /** The q-quantile (0..1) by nearest rank; NaN without samples. */
  quantile(q: number): number {
    const n = this.#values.length;
    if (n === 0) return Number.NaN;
    if (!this.#sorted) {
      this.#values.sort((a, b) => a - b);
      this.#sorted = true;
    }
    return this.#values[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  }

  mean(): number {
    const n = this.#values.length;
    return n === 0 ? Number.NaN : this.#values.reduce((s, v) => s + v, 0) / n;
  }
}

export class LoadStats {
  readonly startedAt = performance.now();
  sent = 0;
  completed = 0;
  /** Requests we cancelled on purpose (the disconnect fraction). */
  cancelled = 0;
  /** Failures by HTTP status (or `network`). */
  readonly errors = new Map<string, number>();
  inFlight = 0;
  readonly ttft = new Samples();
  readonly itl = new Samples();
  readonly e2e = new Samples();
  readonly inputTokens = new Samples();
  readonly outputTokens = new Samples();

  error(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  get errorCount(): number {
    let n = 0;
    for (const v of this.errors.values()) n += v;
    return n;
  }

  /** Seconds since the run started. */
  elapsed(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Completed requests per second so far. */
  throughput(): number {
    const s = this.elapsed();
    return s > 0 ? this.completed / s : 0;
  }

  summary(): Record<string, unknown> {
    const q = (s: Samples) => ({
      p50: s.quantile(0.5),
      p90: s.quantile(0.9),
      p99: s.quantile(0.99),
      mean: s.mean(),
      count: s.count,
    });
    return {
      seconds: this.elapsed(),
      sent: this.sent,
      completed: this.completed,
      cancelled: this.cancelled,
      errors: Object.fromEntries(this.errors),
      requestsPerSecond: this.throughput(),
      ttftSeconds: q(this.ttft),
      itlSeconds: q(this.itl),
      e2eSeconds: q(this.e2e),
      inputTokens: q(this.inputTokens),
      outputTokens: q(this.outputTokens),
    };
  }
}
