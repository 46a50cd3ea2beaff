/**
 * The two NaNs of Prometheus storage. A staleness marker is the NaN with bit pattern 0x7ff0000000000002; the
 * NaN that parsers store for `NaN` in an exposition is 0x7ff8000000000001. They print the same, but the
 * engine treats the marker as "no sample". The store writes both as raw words (see `MemoryStore.append` and
 * `appendStale`), so a scraped NaN can never become a marker.
 *
 * V8 keeps NaN payloads through typed arrays and plain variables but may canonicalise a NaN stored in an
 * ordinary array (`[x]`), which turns the marker into an ordinary NaN; compare markers by bits only.
 */

const scratch = new DataView(new ArrayBuffer(8));

/** The staleness marker as a number (valid while it stays out of ordinary arrays). */
export const STALE_NAN: number = (() => {
  scratch.setUint32(0, 0x7ff00000);
  scratch.setUint32(4, 0x00000002);
  return scratch.getFloat64(0);
})();

/** True when `v` is exactly the staleness marker (bit comparison; any other NaN is a value). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  scratch.setFloat64(0, v);
  return scratch.getUint32(0) === 0x7ff00000 && scratch.getUint32(4) === 2;
}
