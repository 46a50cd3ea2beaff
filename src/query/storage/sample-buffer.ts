/**
 * A growable run of samples in typed arrays: timestamps in milliseconds and values whose bits are written
 * directly as two 32-bit words, so NaN payloads (staleness markers) are kept exactly. This is what storage
 * hands to the query engine; nothing in between copies values through ordinary JavaScript arrays.
 */
export class SampleBuffer {
  t: Float64Array;
  v: Float64Array;
  /** Little-endian word view of `v`: sample i is `words[2i]` (low) and `words[2i + 1]` (high). */
  words: Uint32Array;
  length = 0;

  constructor(capacity = 16) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.words = new Uint32Array(this.v.buffer);
  }

  /** Appends a sample given its value's high and low words. */
  pushBits(t: number, hi: number, lo: number): void {
    if (this.length === this.t.length) this.#grow();
    const i = this.length++;
    this.t[i] = t;
    this.words[2 * i] = lo;
    this.words[2 * i + 1] = hi;
  }

  /** Appends an ordinary value (any NaN is stored as given; markers must come through {@link pushBits}). */
  push(t: number, v: number): void {
    if (this.length === this.t.length) this.#grow();
    const i = this.length++;
    this.t[i] = t;
    this.v[i] = v;
  }

  /** Appends samples `[from, to)` of another buffer (bit-exact bulk copy). */
  appendRange(src: SampleBuffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.reserve(n);
    this.t.set(src.t.subarray(from, to), this.length);
    this.words.set(src.words.subarray(2 * from, 2 * to), 2 * this.length);
    this.length += n;
  }

  /** True when sample i is the staleness marker, compared by bits. */
  isStale(i: number): boolean {
    return this.words[2 * i + 1] === 0x7ff00000 && this.words[2 * i] === 2;
  }

  clear(): void {
    this.length = 0;
  }

  /** Makes room for `n` more samples at once (avoids repeated growth when the count is known). */
  reserve(n: number): void {
    if (this.length + n > this.t.length) this.#grow(this.length + n);
  }

  #grow(min = 0): void {
    const capacity = Math.max(this.t.length * 2, min, 16);
    const t = new Float64Array(capacity);
    t.set(this.t);
    const v = new Float64Array(capacity);
    v.set(this.v);
    this.t = t;
    this.v = v;
    this.words = new Uint32Array(v.buffer);
  }
}

/** The staleness marker 0x7ff0000000000002 as words, for writers that append markers. */
export const STALE_WORDS = Object.freeze({ hi: 0x7ff00000, lo: 0x00000002 });
