/**
 * Runs fixtures/scrape-storm.mjs, a scraping fleet in its own process, and returns what it saw. The server
 * under test then measures only its own work, as it would behind a real Prometheus fleet.
 */
import { fileURLToPath } from 'node:url';
import { run } from '../../helpers/tools.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/scrape-storm.mjs', import.meta.url));

export interface StormOptions {
  readonly url: string;
  /** Scrapes kept in flight, one connection each. */
  readonly concurrency: number;
  readonly durationMs?: number;
  /** Stop after this many scrapes. */
  readonly scrapes?: number;
}

export interface StormResult {
  /** Responses by HTTP status (`network` and `reset` for failed connections). */
  readonly statuses: Readonly<Record<string, number>>;
  /** Latency of every 200, in ms. */
  readonly latenciesMs: readonly number[];
  /** 503s whose body is the in-flight limit's message. */
  readonly limitBodies: number;
  /** 200s whose body was cut short. */
  readonly malformed: number;
  readonly seconds: number;
}

export async function scrapeStorm(options: StormOptions): Promise<StormResult> {
  const result = await run(process.execPath, [FIXTURE, JSON.stringify(options)]);
  if (result.code !== 0) throw new Error(`scrape-storm.mjs exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as StormResult;
}
