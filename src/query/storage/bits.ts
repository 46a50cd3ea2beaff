/**
 * Bit streams for the chunk codec: a growable writer and a reader, both most-significant bit first like
 * Prometheus's `bstream`. JavaScript bitwise operators work on 32 bits, so every read or write takes at most
 * 32 bits; 64-bit quantities are split into high and low words by the callers.
 */

export class BitWriter {
  bytes: Uint8Array;
  /** Number of bits written. */
  bitLength = 0;

  constructor(initialBytes = 32) {
    this.bytes = new Uint8Array(initialBytes);
  }

  /** Writes the low `n` bits of `value` (0 ≤ n ≤ 32), most significant first. */
  writeBits(value: number, n: number): void {
    if (n === 0) return;
    this.#ensure(this.bitLength + n);
    let remaining = n;
    const v = n === 32 ? value >>> 0 : (value & ((1 << n) - 1)) >>> 0;
    while (remaining > 0) {
      const byteIndex = this.bitLength >>> 3;
      const free = 8 - (this.bitLength & 7);
      const take = Math.min(remaining, free);
      const chunk = (v >>> (remaining - take)) & ((1 << take) - 1);
      this.bytes[byteIndex] |= chunk << (free - take);
      this.bitLength += take;
      remaining -= take;
    }
  }

  writeBit(bit: boolean): void {
    this.#ensure(this.bitLength + 1);
    if (bit) this.bytes[this.bitLength >>> 3] |= 0x80 >>> (this.bitLength & 7);
    this.bitLength++;
  }

  /** Writes an unsigned integer below 2^53 as a Go `binary.PutUvarint` byte sequence (byte aligned or not). */
  writeUvarint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.writeBits((v % 0x80) | 0x80, 8);
      v = Math.floor(v / 0x80);
    }
    this.writeBits(v, 8);
  }

  /** Go's `binary.PutVarint`: zig-zag, then uvarint. */
  writeVarint(value: number): void {
    this.writeUvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** The bytes written so far, copied with 8 spare zero bytes that readers may look at. */
  finish(): Uint8Array {
    const out = new Uint8Array(((this.bitLength + 7) >>> 3) + 8);
    out.set(this.bytes.subarray(0, (this.bitLength + 7) >>> 3));
    return out;
  }

  /** Bytes in use, rounded up. */
  get byteLength(): number {
    return (this.bitLength + 7) >>> 3;
  }

  #ensure(bits: number): void {
    const needed = ((bits + 7) >>> 3) + 8;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    grown.set(this.bytes);
    this.bytes = grown;
  }
}

/**
 * Reads bits most-significant first. Every read takes at most 32 bits from a five-byte window, so a read
 * is a handful of integer operations; bytes past the end read as zero (writers keep spare zero bytes).
 */
export class BitReader {
  pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  readBit(): number {
    const p = this.pos++;
    return (this.bytes[p >>> 3] >>> (7 - (p & 7))) & 1;
  }

  /** Reads `n` bits (1 ≤ n ≤ 32) as an unsigned number. */
  readBits(n: number): number {
    const bytes = this.bytes;
    const b = this.pos >>> 3;
    const o = this.pos & 7;
    this.pos += n;
    const word = ((bytes[b] << 24) | (bytes[b + 1] << 16) | (bytes[b + 2] << 8) | bytes[b + 3]) >>> 0;
    const window = o === 0 ? word : ((word << o) | (bytes[b + 4] >>> (8 - o))) >>> 0;
    return n === 32 ? window : window >>> (32 - n);
  }

  readUvarint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.readBits(8);
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }

  readVarint(): number {
    const u = this.readUvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
}
