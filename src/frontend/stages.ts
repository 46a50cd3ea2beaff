import type { FrontendMetrics } from './metrics.js';

/**
 * Which pipeline stage a request is in (`preprocess`, `route`, `dispatch`), shown by
 * `dynamo_frontend_stage_requests{stage,phase,model}`: raised on entry, lowered on leaving, and lowered on
 * every exit path because callers always {@link leave} in a `finally`.
 */
export class StageTracker {
  #current: { stage: string; phase: string; model: string } | undefined;

  constructor(private readonly metrics: FrontendMetrics | undefined) {}

  enter(stage: string, phase: string, model: string): void {
    if (this.metrics === undefined) return;
    this.leave();
    this.#current = { stage, phase, model };
    this.metrics.stageRequests.labels(stage, phase, model).inc();
  }

  /** Leaves the current stage, if any; calling it again is harmless. */
  leave(): void {
    const c = this.#current;
    if (c === undefined) return;
    this.#current = undefined;
    this.metrics?.stageRequests.labels(c.stage, c.phase, c.model).dec();
  }
}
