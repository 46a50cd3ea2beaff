/**
 * Go's `container/heap` over samples, as `topk` and `bottomk` use it. Keeping Go's exact sift-up and
 * sift-down sequence means ties and NaNs select the same series as Prometheus does.
 */

export interface HeapItem {
  value: number;
  /** Index of the input series. */
  index: number;
}

/** `less(a, b)`: for topk, NaN first then ascending; for bottomk, NaN first then descending. */
export type Less = (a: HeapItem, b: HeapItem) => boolean;

export const topkLess: Less = (a, b) => Number.isNaN(a.value) || a.value < b.value;
export const bottomkLess: Less = (a, b) => Number.isNaN(a.value) || a.value > b.value;

function up(h: HeapItem[], j0: number, less: Less): void {
  let j = j0;
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    j = i;
  }
}

function down(h: HeapItem[], i0: number, n: number, less: Less): void {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2], h[j1])) j = j2;
    if (!less(h[j], h[i])) break;
    [h[i], h[j]] = [h[j], h[i]];
    i = j;
  }
}

export function heapPush(h: HeapItem[], item: HeapItem, less: Less): void {
  h.push(item);
  up(h, h.length - 1, less);
}

export function heapPop(h: HeapItem[], less: Less): HeapItem {
  const n = h.length - 1;
  [h[0], h[n]] = [h[n], h[0]];
  down(h, 0, n, less);
  return h.pop()!;
}
