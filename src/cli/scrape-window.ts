/**
 * Scraping targets for a while into an embedded store, one scrape of every target per step, so a command
 * can then ask PromQL questions about that window (`dynametrics query`). Scrapes are driven here rather
 * than by the scraper's timers, so the number of scrapes is exact and progress can be shown after each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DynametricsError } from '../core/errors.js';
import { QueryEngine } from '../query/engine/engine.js';
import { Scraper } from '../query/scrape/scraper.js';
import type { TargetStatus } from '../query/scrape/status.js';
import type { ScrapeTarget } from '../query/scrape/target.js';
import { MemoryStore } from '../query/storage/store.js';

/** Every target failed its first scrape: there is nothing to ask questions about. */
export class TargetsDownError extends DynametricsError {
  override name = 'TargetsDownError';
}

export interface ScrapeWindowOptions {
  /** How long to scrape; 0 scrapes once. */
  readonly overMs: number;
  /** Time between scrapes. */
  readonly stepMs: number;
  /** Timeout of each scrape (default: the step, at most 10 s). */
  readonly timeoutMs?: number;
  /** Called after each round of scrapes with how many of how many are done. */
  readonly onScrape?: (done: number, total: number, targets: readonly TargetStatus[]) => void;
}

export interface ScrapedWindow {
  readonly engine: QueryEngine;
  readonly targets: readonly TargetStatus[];
  /** Time of the first and of the last round of scrapes, ms since the epoch. */
  readonly firstMs: number;
  readonly lastMs: number;
  /** Rounds of scrapes: one, and one more per step of the window. */
  readonly rounds: number;
}

/** Why a target's last scrape failed, without the URL the error repeats (`Get "<url>": `). */
export function scrapeError(t: TargetStatus): string {
  return t.lastError.replace(`Get ${JSON.stringify(t.scrapeUrl)}: `, '');
}

/** `cannot scrape <url>: <why>` for each target that is down. */
export function downTargets(targets: readonly TargetStatus[]): string[] {
  return targets
    .filter((t) => t.health === 'down')
    .map((t) => `cannot scrape ${t.scrapeUrl}: ${scrapeError(t)}`);
}

export async function scrapeWindow(
  targets: readonly ScrapeTarget[],
  options: ScrapeWindowOptions,
): Promise<ScrapedWindow> {
  const store = new MemoryStore();
  const scraper = new Scraper(store, {
    intervalMs: options.stepMs,
    timeoutMs: options.timeoutMs ?? Math.min(options.stepMs, 10_000),
  });
  for (const t of targets) scraper.add(t);
  const rounds = Math.floor(options.overMs / options.stepMs) + 1;
  const started = Date.now();
  let firstMs = 0;
  let lastMs = 0;
  for (let i = 0; i < rounds; i++) {
    const wait = started + i * options.stepMs - Date.now();
    if (wait > 0) await sleep(wait);
    await scraper.scrapeNow();
    const status = scraper.targets();
    const times = status.map((t) => t.lastScrapeMs ?? 0);
    if (i === 0) {
      // The latest of the first round: from then on every target's first samples are visible.
      firstMs = Math.max(...times);
      if (status.every((t) => t.health !== 'up')) throw new TargetsDownError(downTargets(status).join('\n'));
    }
    lastMs = Math.max(...times);
    options.onScrape?.(i + 1, rounds, status);
  }
  return { engine: new QueryEngine(store), targets: scraper.targets(), firstMs, lastMs, rounds };
}
