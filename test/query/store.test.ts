import { describe, expect, it } from 'vitest';
import { labelsFromRecord, labelsToRecord } from '../../src/query/labels.js';
import { LabelMatcher } from '../../src/query/storage/matcher.js';
import { SampleBuffer } from '../../src/query/storage/sample-buffer.js';
import { MemoryStore } from '../../src/query/storage/store.js';

const L = (r: Record<string, string>) => labelsFromRecord(r);

function read(
  store: MemoryStore,
  labels: Record<string, string>,
  mint = -Infinity,
  maxt = Infinity,
): [number, number][] {
  const [series] = store.select(Object.entries(labels).map(([k, v]) => new LabelMatcher('=', k, v)));
  if (series === undefined) return [];
  const out = new SampleBuffer(0);
  series.snapshot(mint, maxt).read(mint, maxt, out, store.decodedCache);
  return Array.from({ length: out.length }, (_, i) => [out.t[i], out.v[i]]);
}

describe('the memory store', () => {
  it('accepts samples in time order, ignores an identical repeat and rejects the rest', () => {
    const store = new MemoryStore();
    const x = L({ __name__: 'x' });
    expect(store.append(x, 1000, 1)).toBe('ok');
    expect(store.append(x, 1000, 1)).toBe('duplicate');
    expect(store.append(x, 1000, 2)).toBe('conflict');
    expect(store.append(x, 999, 3)).toBe('out_of_order');
    expect(read(store, { __name__: 'x' })).toEqual([[1000, 1]]);
  });

  it('reads back many chunks exactly, within closed time bounds, from cache or not', () => {
    for (const decodedCacheBytes of [0, 1 << 20]) {
      const store = new MemoryStore({ decodedCacheBytes });
      const x = L({ __name__: 'x' });
      for (let i = 0; i < 1000; i++) store.append(x, i * 15_000, i % 7 === 0 ? i * 0.1 : i);
      const all = read(store, { __name__: 'x' });
      expect(all).toHaveLength(1000);
      expect(all[999]).toEqual([999 * 15_000, 999]);
      expect(read(store, { __name__: 'x' }, 15_000, 45_000)).toEqual([
        [15_000, 1],
        [30_000, 2],
        [45_000, 3],
      ]);
      expect(read(store, { __name__: 'x' }, 15_000, 45_000)).toEqual([
        [15_000, 1],
        [30_000, 2],
        [45_000, 3],
      ]);
    }
  });

  it('selects with all four matcher types and returns series sorted by labels', () => {
    const store = new MemoryStore();
    for (const [model, code] of [
      ['b', '500'],
      ['a', '200'],
      ['a', '500'],
      ['c', ''],
    ]) {
      store.append(L({ __name__: 'req', model, code }), 0, 1);
    }
    const sel = (...m: LabelMatcher[]) => store.select(m).map((s) => labelsToRecord(s.labels));
    const name = new LabelMatcher('=', '__name__', 'req');
    expect(sel(name).map((r) => `${r.model}${r.code ?? ''}`)).toEqual(['a200', 'a500', 'b500', 'c']);
    expect(sel(name, new LabelMatcher('!=', 'model', 'a')).map((r) => r.model)).toEqual(['b', 'c']);
    expect(sel(name, new LabelMatcher('=~', 'model', 'a|c')).map((r) => r.model)).toEqual(['a', 'a', 'c']);
    expect(sel(name, new LabelMatcher('!~', 'code', '5..')).map((r) => r.model)).toEqual(['a', 'c']);
    expect(sel(name, new LabelMatcher('=', 'code', '')).map((r) => r.model)).toEqual(['c']);
  });

  it('drops samples older than the retention, counted from the newest sample', () => {
    const store = new MemoryStore({ retentionMs: 3600_000 });
    const old = L({ __name__: 'old' });
    const live = L({ __name__: 'live' });
    store.append(old, 0, 1);
    for (let t = 0; t <= 3 * 3600_000; t += 15_000) store.append(live, t, t);
    store.housekeep();
    expect(store.select([new LabelMatcher('=', '__name__', 'old')])).toEqual([]);
    const kept = read(store, { __name__: 'live' });
    expect(kept[0][0]).toBeGreaterThanOrEqual(2 * 3600_000 - 120 * 15_000);
    expect(kept.at(-1)).toEqual([3 * 3600_000, 3 * 3600_000]);
    // A series removed by retention comes back when it receives samples again.
    store.append(old, 3 * 3600_000, 2);
    expect(read(store, { __name__: 'old' })).toEqual([[3 * 3600_000, 2]]);
  });

  it('stays within its memory budget by dropping the oldest data first', () => {
    const store = new MemoryStore({ retentionMs: 365 * 86_400_000, maxBytes: 2_000_000 });
    for (let s = 0; s < 200; s++) {
      const labels = L({ __name__: 'm', s: String(s) });
      for (let i = 0; i < 2000; i++) store.append(labels, i * 1000, Math.sin(i + s));
    }
    store.housekeep();
    const stats = store.stats();
    expect(stats.memoryBytes).toBeLessThanOrEqual(2_000_000);
    expect(stats.maxTime).toBe(1999 * 1000);
    expect(read(store, { __name__: 'm', s: '7' }).at(-1)?.[0]).toBe(1999 * 1000);
  });

  it('keeps memory flat under series churn', () => {
    const store = new MemoryStore({ retentionMs: 10 * 60_000 });
    const peaks: number[] = [];
    for (let round = 0; round < 40; round++) {
      // Every minute a new generation of 50 series appears and the previous one disappears.
      for (let t = 0; t < 60_000; t += 15_000) {
        for (let s = 0; s < 50; s++)
          store.append(L({ __name__: 'churn', gen: String(round), s: String(s) }), round * 60_000 + t, t);
      }
      store.housekeep();
      peaks.push(store.stats().memoryBytes);
    }
    expect(store.seriesCount).toBeLessThanOrEqual(11 * 50);
    expect(Math.max(...peaks.slice(20))).toBeLessThanOrEqual(Math.max(...peaks.slice(10, 20)) * 1.05);
  });

  it('stores about two bytes per sample for scrape-like data, as Prometheus does', () => {
    const store = new MemoryStore();
    let v = 0;
    for (let i = 0; i < 1440; i++) {
      v += Math.floor(Math.abs(Math.sin(i)) * 100);
      store.append(L({ __name__: 'c' }), 1_700_000_000_000 + i * 5000, v);
    }
    expect(store.stats().bytesPerSample).toBeLessThan(2.5);
  });
});
