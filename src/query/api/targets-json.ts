/** The `data` of `/api/v1/targets` in Prometheus 2.42's shape. */
import type { TargetStatus } from '../scrape/status.js';
import { labelsJson } from './json.js';

/** Prometheus's duration text for whole milliseconds: `15s`, `1m30s`, `500ms`. */
export function formatDurationText(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [
    ['y', 365 * 86_400_000],
    ['w', 7 * 86_400_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Go's zero time when never scraped, else RFC 3339 with milliseconds. */
function lastScrape(ms: number | undefined): string {
  return ms === undefined ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString();
}

export function targetsJson(targets: readonly TargetStatus[]): string {
  const active = targets.map(
    (t) =>
      `{"discoveredLabels":${labelsJson(t.discoveredLabels)},"labels":${labelsJson(t.labels)},"scrapePool":${JSON.stringify(t.scrapePool)},"scrapeUrl":${JSON.stringify(t.scrapeUrl)},"globalUrl":${JSON.stringify(t.scrapeUrl)},"lastError":${JSON.stringify(t.lastError)},"lastScrape":"${lastScrape(t.lastScrapeMs)}","lastScrapeDuration":${t.lastScrapeDurationSeconds},"health":"${t.health}","scrapeInterval":"${formatDurationText(t.intervalMs)}","scrapeTimeout":"${formatDurationText(t.timeoutMs)}"}`,
  );
  return `{"activeTargets":[${active.join(',')}],"droppedTargets":[]}`;
}
