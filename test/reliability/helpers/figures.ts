/**
 * The figures each scenario measured, saved as one JSON file per scenario under
 * `test-artifacts/reliability/`. The soak's report (soak-report.ts) gathers them into the summary it
 * prints and into `bench/results/reliability-latest.json`, which the README's Reliability section quotes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Figures = Readonly<Record<string, number | string | boolean>>;

export const FIGURES_DIR = fileURLToPath(new URL('../../../test-artifacts/reliability/', import.meta.url));

/** Saves (or replaces) the figures of one scenario, e.g. `scrape-storm.system-status-server`. */
export function recordFigures(scenario: string, figures: Figures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${scenario}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** Every scenario's figures saved so far, by scenario name. */
export function readFigures(): Record<string, Figures> {
  let files: string[];
  try {
    files = readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return {};
  }
  const out: Record<string, Figures> = {};
  for (const f of files.sort()) out[f.slice(0, -5)] = JSON.parse(readFileSync(join(FIGURES_DIR, f), 'utf8'));
  return out;
}

/** Milliseconds rounded to 0.1, for figures. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}
