/**
 * The embedded time-series store: series in memory, compressed per series in Prometheus's XOR chunks,
 * indexed by label postings, bounded by a retention time and a memory budget.
 *
 * Retention counts back from the newest sample in the store (as Prometheus counts from its newest block),
 * so the store behaves the same with synthetic timestamps in tests. When the estimated memory exceeds the
 * budget, the oldest closed chunks go first, then whole series that have not received samples for the
 * longest; series left without samples are forgotten, so memory stays flat however many series come and go.
 *
 * Selection returns series sorted by label set. That is the order in which Prometheus 2.42 reads series
 * from persisted blocks, and the order in which it adds them up in `sum`, so our floating-point results
 * agree with Prometheus's bit for bit on the same data.
 */
import { compareLabels, type Labels, labelsKey } from '../labels.js';
import { DecodedChunkCache } from './decoded-cache.js';
import type { LabelMatcher } from './matcher.js';
import { Postings } from './postings.js';
import { STALE_WORDS } from './sample-buffer.js';
import { type AppendResult, MemSeries } from './series.js';

export interface StoreOptions {
  /** How much history to keep, counted back from the newest sample. Default 24 h. */
  readonly retentionMs?: number;
  /** Memory budget for samples, labels and index (estimated). Default 256 MiB. */
  readonly maxBytes?: number;
  /**
   * Budget for decoded closed chunks kept for reuse by later queries (16 bytes per sample), on top of
   * `maxBytes`. Default 64 MiB; 0 disables the cache.
   */
  readonly decodedCacheBytes?: number;
}

export interface StoreStats {
  readonly series: number;
  readonly samples: number;
  readonly chunks: number;
  /** Encoded sample bytes, Prometheus chunk headers included. */
  readonly sampleBytes: number;
  /** Estimated total memory: samples, labels, per-object overheads. */
  readonly memoryBytes: number;
  readonly bytesPerSample: number;
  readonly minTime: number;
  readonly maxTime: number;
}

const f64 = new Float64Array(1);
const words = new Uint32Array(f64.buffer);

export class MemoryStore {
  readonly retentionMs: number;
  readonly maxBytes: number;
  /** Decoded closed chunks shared by queries; undefined when disabled. */
  readonly decodedCache: DecodedChunkCache | undefined;
  readonly #byKey = new Map<string, MemSeries>();
  readonly #postings = new Postings();
  #maxTime = Number.NEGATIVE_INFINITY;

  constructor(options: StoreOptions = {}) {
    this.retentionMs = options.retentionMs ?? 24 * 3600_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const cacheBytes = options.decodedCacheBytes ?? 64 * 1024 * 1024;
    this.decodedCache = cacheBytes > 0 ? new DecodedChunkCache(cacheBytes) : undefined;
  }

  /** The series with exactly these labels, created when new. */
  series(labels: Labels): MemSeries {
    const key = labelsKey(labels);
    let s = this.#byKey.get(key);
    if (s === undefined) {
      s = new MemSeries(labels, key);
      this.#byKey.set(key, s);
      this.#postings.add(s);
    }
    return s;
  }

  /** Appends a value; any NaN is stored as Prometheus's normal NaN, never as a staleness marker. */
  append(labels: Labels, t: number, v: number): AppendResult {
    return this.appendTo(this.series(labels), t, v);
  }

  /** Appends a value to a series obtained from {@link series} (re-resolved if it was removed meanwhile). */
  appendTo(series: MemSeries, t: number, v: number): AppendResult {
    // Any NaN becomes Prometheus's normal NaN 0x7ff8000000000001, written as words so V8 cannot change it.
    if (Number.isNaN(v)) return this.#appendBits(series, t, 0x7ff80000, 1);
    f64[0] = v;
    return this.#appendBits(series, t, words[1], words[0]);
  }

  /** Appends a staleness marker: the series is absent from `t` on, until its next sample. */
  appendStale(labels: Labels, t: number): AppendResult {
    return this.appendStaleTo(this.series(labels), t);
  }

  appendStaleTo(series: MemSeries, t: number): AppendResult {
    return this.#appendBits(series, t, STALE_WORDS.hi, STALE_WORDS.lo);
  }

  #appendBits(series: MemSeries, t: number, hi: number, lo: number): AppendResult {
    const target = series.removed ? this.series(series.labels) : series;
    const result = target.append(t, hi, lo);
    if (result === 'ok' && t > this.#maxTime) this.#maxTime = t;
    return result;
  }

  /** Series matching all matchers, sorted by label set (Prometheus's block order). */
  select(matchers: readonly LabelMatcher[]): MemSeries[] {
    return this.#postings.select(matchers).sort((a, b) => compareLabels(a.labels, b.labels));
  }

  /** Series matching all matchers with samples overlapping `[mint, maxt]`, sorted. */
  selectInRange(matchers: readonly LabelMatcher[], mint: number, maxt: number): MemSeries[] {
    return this.select(matchers).filter((s) => s.minTime <= maxt && s.lastT >= mint);
  }

  /** Every series (unordered); used by the API for label names and values. */
  allSeries(): Iterable<MemSeries> {
    return this.#postings.all;
  }

  /** The newest sample time, or -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  get seriesCount(): number {
    return this.#byKey.size;
  }

  /**
   * Applies retention and the memory budget. Cheap enough to run after every scrape round; the scraper
   * does, and direct users of {@link append} call it when they see fit.
   */
  housekeep(): void {
    if (this.#maxTime === Number.NEGATIVE_INFINITY) return;
    this.#truncate(this.#maxTime - this.retentionMs);
    let bytes = this.#memoryBytes();
    if (bytes <= this.maxBytes) return;
    // Over budget: raise the cut-off to the end of the oldest closed chunks until 90% of the budget is free.
    const ends: number[] = [];
    for (const s of this.#byKey.values()) for (const c of s.chunks) ends.push(c.maxT);
    ends.sort((a, b) => a - b);
    const target = this.maxBytes * 0.9;
    for (let i = 0; i < ends.length && bytes > target; i += Math.max(1, Math.floor(ends.length / 16))) {
      this.#truncate(ends[i] + 1);
      bytes = this.#memoryBytes();
    }
    if (bytes <= target) return;
    // Still over: forget the series that went quiet first, whatever they hold.
    const quiet = [...this.#byKey.values()].sort((a, b) => a.lastT - b.lastT);
    for (const s of quiet) {
      if (bytes <= target) break;
      bytes -= s.memoryBytes;
      this.#remove(s);
    }
  }

  #truncate(cutoff: number): void {
    for (const s of this.#byKey.values()) {
      if (s.minTime < cutoff && s.truncateBefore(cutoff, this.decodedCache)) this.#remove(s);
    }
  }

  #remove(s: MemSeries): void {
    for (const c of s.chunks) this.decodedCache?.delete(c);
    s.removed = true;
    this.#byKey.delete(s.key);
    this.#postings.delete(s);
  }

  #memoryBytes(): number {
    let bytes = 0;
    for (const s of this.#byKey.values()) bytes += s.memoryBytes;
    return bytes;
  }

  stats(): StoreStats {
    let samples = 0;
    let chunks = 0;
    let sampleBytes = 0;
    let minTime = Number.POSITIVE_INFINITY;
    for (const s of this.#byKey.values()) {
      samples += s.sampleCount;
      chunks += s.chunks.length + (s.head === undefined ? 0 : 1);
      sampleBytes += s.sampleBytes;
      minTime = Math.min(minTime, s.minTime);
    }
    return {
      series: this.#byKey.size,
      samples,
      chunks,
      sampleBytes,
      memoryBytes: this.#memoryBytes(),
      bytesPerSample: samples === 0 ? 0 : sampleBytes / samples,
      minTime,
      maxTime: this.#maxTime,
    };
  }
}
