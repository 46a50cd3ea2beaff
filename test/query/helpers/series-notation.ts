/**
 * Loads series into a store from the notation of `promtool test rules`, so the reference's worked vectors
 * read the same here as in Prometheus's own test files: `0+15x20` (21 values), `1x3`, `_` (no sample),
 * `stale` (a staleness marker), plain numbers, `Inf`, `NaN`.
 */
import { type Labels, labelsFrom } from '../../../src/query/labels.js';
import type { MemoryStore } from '../../../src/query/storage/store.js';

/** `name{a="b",c="d"}` into a label set. */
export function parseSeriesName(text: string): Labels {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?$/.exec(text.trim());
  if (m === null) throw new Error(`bad series ${text}`);
  const pairs = [];
  if (m[1] !== undefined) pairs.push({ name: '__name__', value: m[1] });
  for (const part of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
    pairs.push({ name: part[1], value: JSON.parse(`"${part[2]}"`) as string });
  }
  return labelsFrom(pairs);
}

type Item = number | 'stale' | undefined;

function num(text: string): number {
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  return Number(text);
}

function expand(values: string): Item[] {
  const out: Item[] = [];
  for (const token of values.trim().split(/\s+/)) {
    if (token === '') continue;
    if (token === 'stale') {
      out.push('stale');
      continue;
    }
    const rep = /^(_|[^x]+?)(?:([+-][^x]+))?x(\d+)$/.exec(token);
    if (rep !== null) {
      const times = Number(rep[3]);
      if (rep[1] === '_') {
        for (let i = 0; i <= times; i++) out.push(undefined);
        continue;
      }
      const start = num(rep[1]);
      const step = rep[2] === undefined ? 0 : Number(rep[2]);
      for (let i = 0; i <= times; i++) out.push(start + step * i);
      continue;
    }
    out.push(token === '_' ? undefined : num(token));
  }
  return out;
}

/** Appends `values` every `intervalMs` from `startMs` to the series `name`. */
export function loadSeries(
  store: MemoryStore,
  name: string,
  values: string,
  intervalMs: number,
  startMs = 0,
): void {
  const labels = parseSeriesName(name);
  expand(values).forEach((v, i) => {
    const t = startMs + i * intervalMs;
    if (v === 'stale') store.appendStale(labels, t);
    else if (v !== undefined) store.append(labels, t, v);
  });
}

/** Appends explicit `(seconds, value)` pairs. */
export function loadPoints(
  store: MemoryStore,
  name: string,
  points: readonly (readonly [number, number | 'stale'])[],
): void {
  const labels = parseSeriesName(name);
  for (const [s, v] of points) {
    if (v === 'stale') store.appendStale(labels, s * 1000);
    else store.append(labels, s * 1000, v);
  }
}
