/**
 * A bounded cache of decoded closed chunks. Closed chunks never change, so their decoded samples can be
 * reused across queries: dashboards re-run the same range queries every few seconds, and decoding XOR
 * chunks is the largest cost of a query. Least recently used chunks are dropped past the byte budget
 * (16 bytes per sample); the compressed chunks stay the source of truth.
 */
import type { SampleBuffer } from './sample-buffer.js';
import { SampleBuffer as Buffer } from './sample-buffer.js';
import { decodeChunk, type SealedChunk } from './xor-chunk.js';

const BYTES_PER_SAMPLE = 16;

export class DecodedChunkCache {
  readonly #entries = new Map<SealedChunk, Buffer>();
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  /** Appends the chunk's samples with `mint ≤ t ≤ maxt` to `out`, decoding the chunk once. */
  read(chunk: SealedChunk, mint: number, maxt: number, out: SampleBuffer): void {
    let decoded = this.#entries.get(chunk);
    if (decoded === undefined) {
      this.misses++;
      decoded = new Buffer(chunk.count);
      decodeChunk(chunk, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, decoded);
      this.#entries.set(chunk, decoded);
      this.#bytes += chunk.count * BYTES_PER_SAMPLE;
      this.#evict();
    } else {
      this.hits++;
      this.#entries.delete(chunk);
      this.#entries.set(chunk, decoded);
    }
    let from = 0;
    const t = decoded.t;
    const n = decoded.length;
    if (t[0] < mint) while (from < n && t[from] < mint) from++;
    let to = n;
    if (t[n - 1] > maxt) while (to > from && t[to - 1] > maxt) to--;
    out.appendRange(decoded, from, to);
  }

  /** Forgets a chunk (dropped by retention). */
  delete(chunk: SealedChunk): void {
    if (this.#entries.delete(chunk)) this.#bytes -= chunk.count * BYTES_PER_SAMPLE;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #evict(): void {
    for (const [chunk] of this.#entries) {
      if (this.#bytes <= this.maxBytes) return;
      this.#entries.delete(chunk);
      this.#bytes -= chunk.count * BYTES_PER_SAMPLE;
    }
  }
}
