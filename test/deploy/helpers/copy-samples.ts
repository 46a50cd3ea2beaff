/**
 * Gives our store exactly the data a real Prometheus holds: every raw sample of every series up to an
 * instant, read through Prometheus's query API (range selectors return raw samples, with millisecond
 * timestamps and values printed so that they parse back to the same float), appended unchanged.
 * Alert state series are left out: Prometheus writes staleness markers for them that the API does not
 * show, and no shipped expression reads them.
 */
import { labelsFromRecord } from '../../../src/query/labels.js';
import { MemoryStore } from '../../../src/query/storage/store.js';

const ALERT_STATE = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

function parseValue(s: string): number {
  if (s === '+Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(s);
}

export interface Copied {
  readonly store: MemoryStore;
  readonly series: number;
  readonly samples: number;
}

/** Copies the samples in `(atMs - lookbackMs, atMs]` from Prometheus at `url`. */
export async function copySamples(url: string, atMs: number, lookbackMs: number): Promise<Copied> {
  const res = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      query: `{__name__=~".+"}[${Math.ceil(lookbackMs / 1000)}s]`,
      time: (atMs / 1000).toFixed(3),
    }),
  });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  if (body.status !== 'success') throw new Error(`exporting samples failed: ${body.error}`);
  const store = new MemoryStore({ retentionMs: 86_400_000 });
  let series = 0;
  let samples = 0;
  for (const s of body.data.result) {
    if (ALERT_STATE.has(s.metric.__name__)) continue;
    const labels = labelsFromRecord(s.metric);
    series++;
    for (const [t, v] of s.values) {
      const outcome = store.append(labels, Math.round(t * 1000), parseValue(v));
      if (outcome !== 'ok') throw new Error(`appending ${JSON.stringify(s.metric)} @${t} failed: ${outcome}`);
      samples++;
    }
  }
  return { store, series, samples };
}
