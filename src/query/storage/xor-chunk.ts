/**
 * Prometheus's XOR chunk ("Gorilla" compression), bit for bit: the first timestamp as a varint and the first
 * value raw; then delta-of-delta timestamps in 1/16/20/24/68-bit buckets and values XORed with their
 * predecessor, reusing the previous leading/trailing-zero window when it fits. Encoding the same way as
 * Prometheus makes our bytes-per-sample figure directly comparable with its TSDB's.
 *
 * Values travel as two 32-bit words (high, low) rather than as JavaScript numbers, so NaN payloads (the
 * staleness marker) survive: V8 may canonicalise a NaN that passes through an ordinary array.
 */
import { BitReader, BitWriter } from './bits.js';
import type { SampleBuffer } from './sample-buffer.js';

/** Prometheus cuts a head chunk at 120 samples. */
export const SAMPLES_PER_CHUNK = 120;

const TWO_32 = 0x1_0000_0000;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('dynametrics storage needs a little-endian platform');
}

/** Counts leading zeros of a 64-bit word pair. */
function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Writes the low `n` bits (n ≤ 64) of the word pair. */
function writeWide(w: BitWriter, hi: number, lo: number, n: number): void {
  if (n > 32) {
    w.writeBits(hi, n - 32);
    w.writeBits(lo, 32);
  } else {
    w.writeBits(lo, n);
  }
}

/** Appends samples to one chunk. Timestamps must increase; the caller enforces that. */
export class XorChunkEncoder {
  readonly #w = new BitWriter(64);
  count = 0;
  minT = 0;
  maxT = 0;
  #tDelta = 0;
  #hi = 0;
  #lo = 0;
  #leading = 0xff;
  #trailing = 0;

  /** Appends a sample whose value bits are `hi`:`lo`. */
  append(t: number, hi: number, lo: number): void {
    const w = this.#w;
    if (this.count === 0) {
      w.writeVarint(t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.minT = t;
    } else if (this.count === 1) {
      this.#tDelta = t - this.maxT;
      w.writeUvarint(this.#tDelta);
      this.#writeValue(hi, lo);
    } else {
      const tDelta = t - this.maxT;
      const dod = tDelta - this.#tDelta;
      if (dod === 0) {
        w.writeBit(false);
      } else if (dod >= -8191 && dod <= 8192) {
        w.writeBits(0b10, 2);
        w.writeBits(dod, 14);
      } else if (dod >= -65535 && dod <= 65536) {
        w.writeBits(0b110, 3);
        w.writeBits(dod, 17);
      } else if (dod >= -524287 && dod <= 524288) {
        w.writeBits(0b1110, 4);
        w.writeBits(dod, 20);
      } else {
        w.writeBits(0b1111, 4);
        const dhi = Math.floor(dod / TWO_32);
        w.writeBits(dhi >>> 0, 32);
        w.writeBits((dod - dhi * TWO_32) >>> 0, 32);
      }
      this.#tDelta = tDelta;
      this.#writeValue(hi, lo);
    }
    this.maxT = t;
    this.#hi = hi;
    this.#lo = lo;
    this.count++;
  }

  #writeValue(hi: number, lo: number): void {
    const w = this.#w;
    const dHi = (hi ^ this.#hi) >>> 0;
    const dLo = (lo ^ this.#lo) >>> 0;
    if (dHi === 0 && dLo === 0) {
      w.writeBit(false);
      return;
    }
    w.writeBit(true);
    let leading = clz64(dHi, dLo);
    const trailing = ctz64(dHi, dLo);
    if (leading >= 32) leading = 31;
    if (this.#leading !== 0xff && leading >= this.#leading && trailing >= this.#trailing) {
      w.writeBit(false);
      const [sh, sl] = shiftRight(dHi, dLo, this.#trailing);
      writeWide(w, sh, sl, 64 - this.#leading - this.#trailing);
      return;
    }
    this.#leading = leading;
    this.#trailing = trailing;
    w.writeBit(true);
    w.writeBits(leading, 5);
    const sigbits = 64 - leading - trailing;
    w.writeBits(sigbits & 63, 6);
    const [sh, sl] = shiftRight(dHi, dLo, trailing);
    writeWide(w, sh, sl, sigbits);
  }

  /** Encoded size in bytes, including Prometheus's 2-byte sample-count header. */
  get byteLength(): number {
    return 2 + this.#w.byteLength;
  }

  /** The finished chunk; the encoder must not be used afterwards. */
  seal(): SealedChunk {
    const size = this.byteLength;
    // Frozen marks a chunk as closed: immutable, safe to cache decoded.
    return Object.freeze({
      minT: this.minT,
      maxT: this.maxT,
      count: this.count,
      size,
      bytes: this.#w.finish(),
    });
  }

  /** The bytes so far, without copying (valid until the next append). */
  peek(): SealedChunk {
    return {
      minT: this.minT,
      maxT: this.maxT,
      count: this.count,
      size: this.byteLength,
      bytes: this.#w.bytes,
    };
  }
}

function shiftRight(hi: number, lo: number, n: number): [number, number] {
  if (n === 0) return [hi, lo];
  if (n >= 32) return [0, hi >>> (n - 32)];
  return [hi >>> n, ((lo >>> n) | (hi << (32 - n))) >>> 0];
}

/** An immutable chunk: its time bounds, sample count and encoded bits (without the count header). */
export interface SealedChunk {
  readonly minT: number;
  readonly maxT: number;
  readonly count: number;
  /** Encoded size in bytes as Prometheus counts it (2-byte header included, padding excluded). */
  readonly size: number;
  /** The encoded bits, followed by spare zero bytes for the reader. */
  readonly bytes: Uint8Array;
}

/**
 * Decodes the samples of a chunk with `minT ≤ t ≤ maxT` into `out`, stopping after `maxT`. Value bits go
 * straight into the buffer's words, so NaN payloads are kept. Hot path of every query: no allocation per
 * sample.
 */
export function decodeChunk(chunk: SealedChunk, minT: number, maxT: number, out: SampleBuffer): void {
  const count = chunk.count;
  if (count === 0) return;
  const r = new BitReader(chunk.bytes);
  let t = r.readVarint();
  let hi = r.readBits(32);
  let lo = r.readBits(32);
  if (t > maxT) return;
  if (t >= minT) out.pushBits(t, hi, lo);
  let tDelta = 0;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    tDelta = i === 1 ? r.readUvarint() : tDelta + readDod(r);
    t += tDelta;
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        leading = r.readBits(5);
        let sigbits = r.readBits(6);
        if (sigbits === 0) sigbits = 64;
        trailing = 64 - leading - sigbits;
      }
      const sig = 64 - leading - trailing;
      let dh = 0;
      let dl: number;
      if (sig > 32) {
        dh = r.readBits(sig - 32);
        dl = r.readBits(32);
      } else {
        dl = r.readBits(sig);
      }
      // (dh:dl) << trailing, XORed into the previous value.
      if (trailing >= 32) {
        hi = (hi ^ (dl << (trailing - 32))) >>> 0;
      } else if (trailing > 0) {
        hi = (hi ^ ((dh << trailing) | (dl >>> (32 - trailing)))) >>> 0;
        lo = (lo ^ (dl << trailing)) >>> 0;
      } else {
        hi = (hi ^ dh) >>> 0;
        lo = (lo ^ dl) >>> 0;
      }
    }
    if (t > maxT) return;
    if (t >= minT) out.pushBits(t, hi, lo);
  }
}

function readDod(r: BitReader): number {
  let prefix = 0;
  while (prefix < 4 && r.readBit() === 1) prefix++;
  switch (prefix) {
    case 0:
      return 0;
    case 1:
      return signExtend(r.readBits(14), 14);
    case 2:
      return signExtend(r.readBits(17), 17);
    case 3:
      return signExtend(r.readBits(20), 20);
    default: {
      const dh = r.readBits(32);
      const dl = r.readBits(32);
      return (dh | 0) * TWO_32 + dl;
    }
  }
}

function signExtend(raw: number, n: number): number {
  return raw > 2 ** (n - 1) ? raw - 2 ** n : raw;
}
