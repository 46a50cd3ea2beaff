/**
 * Token timing of one response (reference spec §6.2): chunks without tokens are ignored; the first
 * token-bearing chunk gives TTFT (seconds since handler entry) and ISL and sets the per-worker last-TTFT
 * and last-ISL gauges; each later chunk of N tokens gives N observations of ITL = gap / N and sets the
 * per-worker last-ITL gauge; cached tokens are observed once, when first reported; `output_tokens_total`
 * grows with every chunk as it arrives; OSL is observed at the end, only when positive.
 */
import type { GenerateChunk } from '../engines/types.js';
import { WorkerType } from '../names/labels.js';
import type { FrontendMetrics } from './metrics.js';
import type { RequestGuard } from './request-guard.js';

/** The worker a response came from, as the per-worker gauges label it. */
export interface WorkerIdentity {
  /** Lower-case hex, the same form as the `worker_id` of component metrics (upstream used decimal here). */
  readonly workerId: string;
  /** `none` when unknown. */
  readonly dpRank: string;
  /**
   * The worker's type when it announces one (`prefill`, `decode`, `aggregated`); otherwise TTFT and ISL are
   * attributed to a `prefill` worker and ITL to a `decode` worker, as upstream does.
   */
  readonly workerType?: string;
}

export class ResponseCollector {
  #lastTokenAt: number | undefined;
  #outputTokens = 0;
  #inputTokens = 0;
  #cachedTokens: number | undefined;
  #ended = false;

  constructor(
    /** Undefined when the frontend runs with metrics off: the token accounting (for `usage`) still runs. */
    private readonly metrics: FrontendMetrics | undefined,
    private readonly guard: RequestGuard,
    private readonly worker: WorkerIdentity,
  ) {}

  get outputTokens(): number {
    return this.#outputTokens;
  }

  get inputTokens(): number {
    return this.#inputTokens;
  }

  get cachedTokens(): number | undefined {
    return this.#cachedTokens;
  }

  /** Whether a token-bearing chunk has arrived. */
  get started(): boolean {
    return this.#lastTokenAt !== undefined;
  }

  observe(chunk: GenerateChunk): void {
    const tokens = chunk.tokens;
    if (!(tokens > 0)) return;
    const nowMs = this.guard.elapsedMs();
    const gapMs = this.#lastTokenAt === undefined ? undefined : nowMs - this.#lastTokenAt;
    const firstCached = this.#cachedTokens === undefined && chunk.cachedTokens !== undefined;
    if (gapMs === undefined) {
      this.#inputTokens = chunk.inputTokens;
      this.guard.firstToken();
    }
    if (firstCached) this.#cachedTokens = chunk.cachedTokens;
    this.#lastTokenAt = nowMs;
    this.#outputTokens = chunk.outputTokens;
    if (this.metrics !== undefined) this.#record(this.metrics, chunk, nowMs, gapMs, firstCached);
  }

  /** Records one token-bearing chunk: TTFT and ISL for the first, N ITL observations for a later one. */
  #record(
    m: FrontendMetrics,
    chunk: GenerateChunk,
    nowMs: number,
    gapMs: number | undefined,
    firstCached: boolean,
  ): void {
    const model = this.guard.model;
    const w = this.worker;
    m.outputTokens.labels(model).inc(chunk.tokens);
    if (gapMs === undefined) {
      const now = nowMs / 1000;
      m.timeToFirstToken.labels(model).observe(now);
      m.inputSequenceTokens.labels(model).observe(chunk.inputTokens);
      const type = w.workerType ?? WorkerType.PREFILL;
      m.workerLastTimeToFirstToken.labels(w.workerId, w.dpRank, type).set(now);
      m.workerLastInputSequenceTokens.labels(w.workerId, w.dpRank, type).set(chunk.inputTokens);
    } else {
      const perToken = gapMs / 1000 / chunk.tokens;
      const itl = m.interTokenLatency.labels(model);
      for (let i = 0; i < chunk.tokens; i++) itl.observe(perToken);
      m.workerLastInterTokenLatency
        .labels(w.workerId, w.dpRank, w.workerType ?? WorkerType.DECODE)
        .set(perToken);
    }
    if (firstCached) m.cachedTokens.labels(model).observe(chunk.cachedTokens as number);
  }

  /** The response is over (whatever the outcome): observe OSL if anything was generated. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#outputTokens > 0)
      this.metrics?.outputSequenceTokens.labels(this.guard.model).observe(this.#outputTokens);
  }
}
