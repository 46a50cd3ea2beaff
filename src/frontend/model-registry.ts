/**
 * What the frontend knows about the fleet: the workers discovery announces, grouped by the model they serve,
 * with the frontend's own count of requests in flight on each (routing picks the least loaded). It refreshes
 * the instance list often (workers come and go) and the `model_*` configuration gauges every
 * `DYN_HTTP_SVC_CONFIG_METRICS_POLL_INTERVAL_SECS`; when several workers serve a model, the first card seen
 * sets the gauges, as upstream. A model whose workers all disappeared is still known: asking for it is a
 * 503, not a 404.
 */
import type { ModelCard } from '../engines/types.js';
import type { Discovery, WorkerInstance } from '../serving/discovery/types.js';
import type { Logger } from '../util/logger.js';
import { FrontendError } from './errors.js';
import { type FrontendMetrics, MODEL_CONFIG_GAUGES, type ModelConfigField } from './metrics.js';

export interface RoutedInstance {
  readonly instance: WorkerInstance & { readonly modelCard: ModelCard };
  inflight: number;
}

export interface ModelRegistryOptions {
  /** How often the instance list is refreshed (default 1 s). */
  readonly refreshMs?: number;
  /** How often the model configuration gauges are refreshed (default 8 s). */
  readonly configPollMs?: number;
}

export class ModelRegistry {
  /** model name -> instances serving it. */
  #byModel = new Map<string, RoutedInstance[]>();
  /** instance key -> routing state, kept across refreshes so in-flight counts survive. */
  readonly #state = new Map<string, RoutedInstance>();
  /** The first card seen for each model: it sets the model gauges. */
  readonly #cards = new Map<string, ModelCard>();
  #ready = false;
  #failed = false;
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly discovery: Discovery,
    private readonly metrics: FrontendMetrics,
    private readonly options: ModelRegistryOptions = {},
    private readonly logger?: Logger,
  ) {}

  /** Lists the instances once, then keeps refreshing. */
  async start(): Promise<void> {
    await this.refresh();
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.#timers.push(t);
    };
    every(this.options.refreshMs ?? 1000, () => this.refresh());
    every(this.options.configPollMs ?? 8000, () => this.#updateModelGauges());
  }

  /** True once discovery has answered at least once. */
  get ready(): boolean {
    return this.#ready;
  }

  /** True when the last discovery attempt failed. */
  get failing(): boolean {
    return this.#failed;
  }

  async refresh(): Promise<void> {
    let instances: WorkerInstance[];
    try {
      instances = await this.discovery.list();
      this.#failed = false;
    } catch (e) {
      this.#failed = true;
      this.logger?.log('warn', 'model discovery failed', { error: e });
      return;
    }
    const byModel = new Map<string, RoutedInstance[]>();
    const seen = new Set<string>();
    for (const instance of instances) {
      const card = instance.modelCard;
      if (card === undefined) continue;
      const key = `${instance.instanceId}/${instance.namespace}/${instance.component}/${instance.endpoint}`;
      seen.add(key);
      let state = this.#state.get(key);
      if (state === undefined || state.instance.address !== instance.address) {
        state = { instance: instance as RoutedInstance['instance'], inflight: state?.inflight ?? 0 };
        this.#state.set(key, state);
      }
      const list = byModel.get(card.name) ?? [];
      list.push(state);
      byModel.set(card.name, list);
      if (!this.#cards.has(card.name)) {
        this.#cards.set(card.name, card);
        this.#setModelGauges(card.name, card);
      }
    }
    for (const key of this.#state.keys()) if (!seen.has(key)) this.#state.delete(key);
    this.#byModel = byModel;
    this.#ready = true;
  }

  #setModelGauges(name: string, card: ModelCard): void {
    for (const field of Object.keys(MODEL_CONFIG_GAUGES) as ModelConfigField[]) {
      const value = card[field];
      if (Number.isSafeInteger(value)) this.metrics.modelConfig[field].labels(name).set(value);
    }
  }

  #updateModelGauges(): void {
    for (const [name, card] of this.#cards) this.#setModelGauges(name, card);
  }

  /** Every model served now, with its first card. */
  models(): ModelCard[] {
    return [...this.#byModel.keys()].map((name) => this.#cards.get(name)!);
  }

  /** All known instances, for health reports. */
  instances(): readonly RoutedInstance[] {
    return [...this.#byModel.values()].flat();
  }

  /** The name a request's model resolves to: exact, else the one model whose name matches case-insensitively. */
  resolve(model: string): string | undefined {
    if (this.#cards.has(model)) return model;
    const lower = model.toLowerCase();
    const matches = [...this.#cards.keys()].filter((m) => m.toLowerCase() === lower);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /**
   * Picks the least-loaded instance serving `model`: 404 for a model nobody ever served, 503 when all its
   * workers are gone, 429 when every one of them is at its `maxNumSeqs`.
   */
  pick(model: string): RoutedInstance {
    const name = this.resolve(model);
    if (name === undefined) throw FrontendError.notFound(model);
    const candidates = this.#byModel.get(name) ?? [];
    if (candidates.length === 0)
      throw FrontendError.unavailable(`no worker is serving the model \`${name}\` right now`);
    let best: RoutedInstance | undefined;
    for (const c of candidates) {
      const limit = c.instance.modelCard.maxNumSeqs;
      if (limit > 0 && c.inflight >= limit) continue;
      if (best === undefined || c.inflight < best.inflight) best = c;
    }
    if (best === undefined)
      throw FrontendError.overloaded(
        `every worker serving \`${name}\` is at its limit of concurrent sequences`,
      );
    return best;
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.length = 0;
  }
}
