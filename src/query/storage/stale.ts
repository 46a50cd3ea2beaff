/**
 * The two NaNs of Prometheus storage. A staleness marker is the NaN with bit pattern 0x7ff0000000000002; the
 * NaN that parsers store for `NaN` in an exposition is 0x7ff8000000000001. They print the same, but the
 * engine treats the marker as "no sample", so every value that reaches storage from outside goes through
 * {@link normalizeValue} and a target can never forge a marker.
 *
 * JavaScript keeps NaN payloads through Float64Array and DataView reads and writes, which is what storage
 * and the chunk codec use; arithmetic may canonicalise them, so markers are compared by bits only.
 */

const scratch = new DataView(new ArrayBuffer(8));

function fromBits(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

/** The staleness marker, 0x7ff0000000000002. */
export const STALE_NAN: number = fromBits(0x7ff00000, 0x00000002);

/** The ordinary NaN Prometheus stores, 0x7ff8000000000001. */
export const NORMAL_NAN: number = fromBits(0x7ff80000, 0x00000001);

/** True when `v` is exactly the staleness marker (bit comparison; any other NaN is a value). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false; // not NaN
  scratch.setFloat64(0, v);
  return scratch.getUint32(0) === 0x7ff00000 && scratch.getUint32(4) === 2;
}

/** Maps every NaN to Prometheus's normal NaN, so scraped values cannot be staleness markers. */
export function normalizeValue(v: number): number {
  return !Number.isNaN(v) ? v : NORMAL_NAN;
}
