/**
 * `histogram_quantile` over classic buckets, as Prometheus 2.42's `bucketQuantile`:
 *
 * 1. q NaN → NaN, q < 0 → −Inf, q > 1 → +Inf, before looking at the buckets;
 * 2. sort by upper bound; no +Inf bucket → NaN;
 * 3. coalesce buckets with the same bound (`le="1"` and `le="1.0"`) by adding their counts;
 * 4. force monotonic counts (each count raised to the running maximum; 2.42 has no 1e-12 tolerance);
 * 5. fewer than 2 buckets, or no observations → NaN;
 * 6. rank = q × total; Go's `sort.Search` over all but the +Inf bucket finds the first count ≥ rank;
 * 7. in the +Inf bucket → the highest finite bound; first bucket with bound ≤ 0 → that bound;
 *    otherwise linear interpolation from the previous bound (0 for the first bucket).
 */

export interface Bucket {
  upperBound: number;
  count: number;
}

/** Go's `sort.Search`: the smallest i in [0, n) for which `f(i)` is true, or n. */
function goSearch(n: number, f: (i: number) => boolean): number {
  let i = 0;
  let j = n;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!f(h)) i = h + 1;
    else j = h;
  }
  return i;
}

function coalesce(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  let last = { ...buckets[0] };
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i];
    if (b.upperBound === last.upperBound) {
      last.count += b.count;
    } else {
      out.push(last);
      last = { ...b };
    }
  }
  out.push(last);
  return out;
}

function ensureMonotonic(buckets: Bucket[]): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}

export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...input].sort((a, b) =>
    a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0,
  );
  if (sorted[sorted.length - 1].upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  const buckets = coalesce(sorted);
  ensureMonotonic(buckets);
  if (buckets.length < 2) return Number.NaN;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  const b = goSearch(buckets.length - 1, (i) => buckets[i].count >= rank);
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
