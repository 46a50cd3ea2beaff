/**
 * Range query results as a chart takes them: one time axis (the query's steps) and one array of values
 * per series, `null` where a series has no finite value. The number of series is capped, so one query
 * that explodes into thousands of series cannot grow the page. No DOM: tested in Node.
 */
import { type ApiSeries, sampleValue } from './api.js';
import { legendOf } from './panels.js';

/** Series drawn per chart at most; the rest are counted, not drawn. */
export const MAX_SERIES_PER_CHART = 24;

export interface LabelledResult {
  /** `{{label}}` template of the query. */
  readonly legend: string;
  readonly series: readonly ApiSeries[];
}

export interface AlignedData {
  /** Step times, seconds. */
  readonly xs: number[];
  /** One array per series, index-aligned with `xs`. */
  readonly ys: (number | null)[][];
  readonly labels: string[];
  /** Series left out by the cap. */
  readonly dropped: number;
  /** Finite values drawn, over all series. */
  readonly points: number;
}

/** Aligns the series of several range queries over the same `[start, end]` at `step` seconds. */
export function alignSeries(
  results: readonly LabelledResult[],
  startS: number,
  endS: number,
  stepS: number,
  maxSeries = MAX_SERIES_PER_CHART,
): AlignedData {
  const steps = Math.floor((endS - startS) / stepS + 1e-9) + 1;
  const xs = Array.from({ length: steps }, (_, i) => startS + i * stepS);
  const ys: (number | null)[][] = [];
  const labels: string[] = [];
  let dropped = 0;
  let points = 0;
  for (const { legend, series } of results) {
    for (const s of series) {
      if (ys.length >= maxSeries) {
        dropped++;
        continue;
      }
      const row: (number | null)[] = new Array(steps).fill(null);
      for (const [t, text] of s.values ?? []) {
        const i = Math.round((t - startS) / stepS);
        const v = sampleValue(text);
        if (i >= 0 && i < steps && Number.isFinite(v)) {
          row[i] = v;
          points++;
        }
      }
      ys.push(row);
      labels.push(legendOf(legend, s.metric) || seriesName(s.metric));
    }
  }
  return { xs, ys, labels, dropped, points };
}

/** `name{a="b"}`, as Prometheus shows a series without a legend. */
export function seriesName(metric: Readonly<Record<string, string>>): string {
  const { __name__: name = '', ...rest } = metric;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length === 0 ? name || '{}' : `${name}{${pairs.join(', ')}}`;
}
