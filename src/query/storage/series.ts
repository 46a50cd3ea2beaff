/**
 * One stored series: its label set and its samples in XOR chunks of at most 120 samples, the newest one
 * still open for appends. Appends must move forward in time, as in Prometheus's head: an older timestamp
 * is rejected as out of order, and a repeated timestamp is accepted only with the identical value.
 */
import type { Labels } from '../labels.js';
import type { DecodedChunkCache } from './decoded-cache.js';
import type { SampleBuffer } from './sample-buffer.js';
import { decodeChunk, SAMPLES_PER_CHUNK, type SealedChunk, XorChunkEncoder } from './xor-chunk.js';

export type AppendResult = 'ok' | 'duplicate' | 'out_of_order' | 'conflict';

/** Rough fixed costs (object headers, maps, arrays) used by the memory budget. */
const SERIES_OVERHEAD_BYTES = 240;
const LABEL_OVERHEAD_BYTES = 72;
const CHUNK_OVERHEAD_BYTES = 64;

/** A series' chunks at one moment, read by queries while the series keeps receiving samples. */
export class SeriesSnapshot {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly SealedChunk[],
  ) {}

  /** Upper bound of the samples {@link read} can produce. */
  get maxSamples(): number {
    let n = 0;
    for (const c of this.chunks) n += c.count;
    return n;
  }

  /** Appends the samples with `mint ≤ t ≤ maxt` to `out`; closed chunks go through `cache` when given. */
  read(mint: number, maxt: number, out: SampleBuffer, cache?: DecodedChunkCache): void {
    out.reserve(this.maxSamples);
    for (const c of this.chunks) {
      if (c.maxT < mint) continue;
      if (c.minT > maxt) return;
      // Only closed (frozen) chunks may be cached; the open one keeps growing.
      if (cache !== undefined && Object.isFrozen(c)) cache.read(c, mint, maxt, out);
      else decodeChunk(c, mint, maxt, out);
    }
  }
}

export class MemSeries {
  /** Closed chunks, oldest first. */
  chunks: SealedChunk[] = [];
  head: XorChunkEncoder | undefined;
  /** Set when retention or the memory budget removed the series; holders must look it up again. */
  removed = false;
  lastT = Number.NEGATIVE_INFINITY;
  #lastHi = 0;
  #lastLo = 0;
  #sealedBytes = 0;
  readonly #labelBytes: number;

  constructor(
    readonly labels: Labels,
    readonly key: string,
  ) {
    let bytes = 0;
    for (const l of labels) bytes += LABEL_OVERHEAD_BYTES + 2 * (l.name.length + l.value.length);
    this.#labelBytes = bytes;
  }

  /** Appends a sample whose value bits are `hi`:`lo` (see `SampleBuffer` for why bits, not numbers). */
  append(t: number, hi: number, lo: number): AppendResult {
    if (t <= this.lastT) {
      if (t < this.lastT) return 'out_of_order';
      return hi === this.#lastHi && lo === this.#lastLo ? 'duplicate' : 'conflict';
    }
    let head = this.head;
    if (head === undefined || head.count >= SAMPLES_PER_CHUNK) {
      if (head !== undefined) this.#seal(head);
      head = new XorChunkEncoder();
      this.head = head;
    }
    head.append(t, hi, lo);
    this.lastT = t;
    this.#lastHi = hi;
    this.#lastLo = lo;
    return 'ok';
  }

  #seal(head: XorChunkEncoder): void {
    const sealed = head.seal();
    this.chunks.push(sealed);
    this.#sealedBytes += sealed.bytes.length + CHUNK_OVERHEAD_BYTES;
  }

  /**
   * The chunks holding samples in `[mint, maxt]` as they are now. Closed chunks never change and the open
   * chunk only grows past the captured sample count, so the snapshot reads the same samples later, while
   * appends continue.
   */
  snapshot(mint: number, maxt: number): SeriesSnapshot {
    const chunks = this.chunks.filter((c) => c.maxT >= mint && c.minT <= maxt);
    const head = this.head;
    if (head !== undefined && head.count > 0 && head.maxT >= mint && head.minT <= maxt)
      chunks.push(head.peek());
    return new SeriesSnapshot(this.labels, chunks);
  }

  /** Oldest sample time, or +Infinity when empty. */
  get minTime(): number {
    if (this.chunks.length > 0) return this.chunks[0].minT;
    return this.head !== undefined && this.head.count > 0 ? this.head.minT : Number.POSITIVE_INFINITY;
  }

  get sampleCount(): number {
    let n = this.head?.count ?? 0;
    for (const c of this.chunks) n += c.count;
    return n;
  }

  /** Bytes of encoded samples (with Prometheus's 2-byte chunk headers), excluding fixed overheads. */
  get sampleBytes(): number {
    let n = this.head?.byteLength ?? 0;
    for (const c of this.chunks) n += c.size;
    return n;
  }

  /** Estimated memory held: samples plus label strings and object overheads. */
  get memoryBytes(): number {
    const head = this.head === undefined ? 0 : this.head.byteLength + CHUNK_OVERHEAD_BYTES;
    return SERIES_OVERHEAD_BYTES + this.#labelBytes + this.#sealedBytes + head;
  }

  /**
   * Drops closed chunks that end before `t`; when the open chunk ends before `t` too, drops everything and
   * returns true (the series is empty and can be forgotten).
   */
  truncateBefore(t: number, cache?: DecodedChunkCache): boolean {
    let drop = 0;
    while (drop < this.chunks.length && this.chunks[drop].maxT < t) {
      cache?.delete(this.chunks[drop]);
      this.#sealedBytes -= this.chunks[drop].bytes.length + CHUNK_OVERHEAD_BYTES;
      drop++;
    }
    if (drop > 0) this.chunks = this.chunks.slice(drop);
    if (this.chunks.length === 0 && (this.head === undefined || this.head.maxT < t)) {
      this.head = undefined;
      return true;
    }
    return false;
  }
}
