/**
 * The scraper: runs one loop per target on a fixed interval, writes into the store, and keeps the store
 * within its retention and memory budget as it goes.
 *
 * ```ts
 * const store = new MemoryStore();
 * const scraper = new Scraper(store, { intervalMs: 5_000 });
 * scraper.add(inProcessTarget({ job: 'dynamo', instance: 'local', source: registry }));
 * scraper.add(httpTarget({ job: 'engine', url: 'http://127.0.0.1:8081/metrics' }));
 * scraper.start();
 * ```
 *
 * Stopping does not write staleness markers (like a Prometheus shutdown: data simply ends); removing a
 * target does, two intervals later, as Prometheus does when a target disappears from discovery.
 */
import type { MemoryStore } from '../storage/store.js';
import type { TargetStatus } from './status.js';
import type { ScrapeTarget } from './target.js';
import { TargetLoop } from './target-loop.js';

export interface ScrapeOptions {
  /** Default 15 s. */
  readonly intervalMs?: number;
  /** Default 10 s, and never more than the interval. */
  readonly timeoutMs?: number;
  /** Fail scrapes with more samples than this; 0 (default) for no limit. */
  readonly sampleLimit?: number;
}

export interface ScraperOptions extends ScrapeOptions {
  /** Clock in ms since the epoch (tests inject their own). */
  readonly now?: () => number;
}

interface Running {
  readonly loop: TargetLoop;
  readonly abort: AbortController;
  timer: NodeJS.Timeout | undefined;
  busy: Promise<void> | undefined;
}

export class Scraper {
  readonly #store: MemoryStore;
  readonly #defaults: Required<ScrapeOptions>;
  readonly #now: () => number;
  readonly #targets = new Map<ScrapeTarget, Running>();
  readonly #pendingStale = new Set<NodeJS.Timeout>();
  #started = false;
  #lastHousekeep = 0;

  constructor(store: MemoryStore, options: ScraperOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    const intervalMs = options.intervalMs ?? 15_000;
    this.#defaults = {
      intervalMs,
      timeoutMs: Math.min(options.timeoutMs ?? 10_000, intervalMs),
      sampleLimit: options.sampleLimit ?? 0,
    };
  }

  /** Adds a target; it is scraped at once and then every interval while the scraper runs. */
  add(target: ScrapeTarget, options: ScrapeOptions = {}): void {
    if (this.#targets.has(target)) return;
    const intervalMs = options.intervalMs ?? this.#defaults.intervalMs;
    const loop = new TargetLoop(
      target,
      {
        intervalMs,
        timeoutMs: Math.min(options.timeoutMs ?? this.#defaults.timeoutMs, intervalMs),
        sampleLimit: options.sampleLimit ?? this.#defaults.sampleLimit,
        now: this.#now,
      },
      this.#store,
    );
    const running: Running = { loop, abort: new AbortController(), timer: undefined, busy: undefined };
    this.#targets.set(target, running);
    if (this.#started) this.#schedule(running, 0);
  }

  /** Stops scraping a target; its series go stale at its next scheduled scrape time, 2.1 intervals on. */
  remove(target: ScrapeTarget): void {
    const running = this.#targets.get(target);
    if (running === undefined) return;
    this.#halt(running);
    this.#targets.delete(target);
    const interval = running.loop.config.intervalMs;
    const staleAt = this.#now() + interval;
    const timer = setTimeout(
      () => {
        this.#pendingStale.delete(timer);
        void running.busy?.finally(() => running.loop.markAllStale(staleAt));
        if (running.busy === undefined) running.loop.markAllStale(staleAt);
      },
      2 * interval + interval / 10,
    );
    timer.unref();
    this.#pendingStale.add(timer);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const running of this.#targets.values()) this.#schedule(running, 0);
  }

  /** Stops every loop and waits for scrapes in flight; writes no staleness markers. */
  async stop(): Promise<void> {
    this.#started = false;
    for (const t of this.#pendingStale) clearTimeout(t);
    this.#pendingStale.clear();
    const busy: Promise<void>[] = [];
    for (const running of this.#targets.values()) {
      this.#halt(running);
      if (running.busy !== undefined) busy.push(running.busy);
    }
    await Promise.allSettled(busy);
  }

  /** Scrapes every target once now (or the given one), e.g. from tests or a CLI; resolves when stored. */
  async scrapeNow(target?: ScrapeTarget): Promise<void> {
    const all =
      target === undefined
        ? [...this.#targets.values()]
        : [this.#targets.get(target)].filter((r) => r !== undefined);
    await Promise.all(all.map((r) => this.#scrape(r)));
  }

  targets(): TargetStatus[] {
    return [...this.#targets.values()].map((r) => r.loop.status());
  }

  #schedule(running: Running, delayMs: number): void {
    running.timer = setTimeout(() => {
      const scheduled = this.#now();
      void this.#scrape(running).finally(() => {
        if (!this.#started || running.abort.signal.aborted) return;
        const interval = running.loop.config.intervalMs;
        const elapsed = this.#now() - scheduled;
        this.#schedule(running, Math.max(0, interval - (elapsed % interval)));
      });
    }, delayMs);
    running.timer.unref();
  }

  async #scrape(running: Running): Promise<void> {
    while (running.busy !== undefined) await running.busy;
    running.busy = running.loop.scrape(running.abort.signal).finally(() => {
      running.busy = undefined;
    });
    await running.busy;
    if (this.#now() - this.#lastHousekeep >= 1000) {
      this.#lastHousekeep = this.#now();
      this.#store.housekeep();
    }
  }

  #halt(running: Running): void {
    if (running.timer !== undefined) clearTimeout(running.timer);
    running.timer = undefined;
    running.abort.abort();
  }
}
