/**
 * Asks Prometheus and our API the same question over HTTP and compares the answers sample by sample:
 * same status and error type, same result type, same label sets, same timestamps, and values equal to the
 * bit (both strings parsed to floats; NaN equals NaN; 0 and -0 differ). Only comparisons flagged
 * order-dependent (see `order.ts`) may differ by a relative 1e-9.
 */

export interface Tally {
  comparisons: number;
  /** Order-dependent comparisons (tolerance allowed) … */
  tolerated: number;
  /** … of which were bit-identical anyway. */
  toleratedExact: number;
  mismatches: string[];
}

export function newTally(): Tally {
  return { comparisons: 0, tolerated: 0, toleratedExact: 0, mismatches: [] };
}

interface Body {
  status: string;
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown };
}

export async function fetchApi(
  base: string,
  path: string,
  params: Record<string, string>,
): Promise<[number, Body]> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return [res.status, (await res.json()) as Body];
}

function parseValue(s: string): number {
  if (s === '+Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(s);
}

type Point = [number, string];
type Series = { metric: Record<string, string>; value?: Point; values?: Point[] };

function keyed(result: Series[]): Map<string, Point[]> {
  const out = new Map<string, Point[]>();
  for (const s of result) {
    const key = JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : 1)));
    out.set(key, s.values ?? (s.value === undefined ? [] : [s.value]));
  }
  return out;
}

export class Comparer {
  constructor(
    readonly prometheusUrl: string,
    readonly oursUrl: string,
    readonly tally: Tally,
  ) {}

  #sameValue(a: string, b: string, tolerant: boolean, where: string): void {
    const x = parseValue(a);
    const y = parseValue(b);
    this.tally.comparisons++;
    const exact = (Number.isNaN(x) && Number.isNaN(y)) || Object.is(x, y);
    if (tolerant) {
      this.tally.tolerated++;
      if (exact) this.tally.toleratedExact++;
      if (exact || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))) return;
    } else if (exact) {
      return;
    }
    this.tally.mismatches.push(`${where}: prometheus ${a}, ours ${b}`);
  }

  /** Compares one request; returns false when it recorded a mismatch. */
  async compare(path: string, params: Record<string, string>, tolerant: boolean): Promise<void> {
    const where = `${path} ${JSON.stringify(params)}`;
    const before = this.tally.mismatches.length;
    const [[ps, pb], [os, ob]] = await Promise.all([
      fetchApi(this.prometheusUrl, path, params),
      fetchApi(this.oursUrl, path, params),
    ]);
    this.tally.comparisons++;
    if (ps !== os || pb.status !== ob.status || pb.errorType !== ob.errorType) {
      this.tally.mismatches.push(
        `${where}: prometheus ${ps} ${pb.errorType ?? ''} ${pb.error ?? ''}, ours ${os} ${ob.errorType ?? ''} ${ob.error ?? ''}`,
      );
      return;
    }
    if (pb.status !== 'success' || pb.data === undefined || ob.data === undefined) return;
    if (pb.data.resultType !== ob.data.resultType) {
      this.tally.mismatches.push(`${where}: result type ${pb.data.resultType} vs ${ob.data.resultType}`);
      return;
    }
    if (pb.data.resultType === 'scalar' || pb.data.resultType === 'string') {
      const [pt, pv] = pb.data.result as Point;
      const [ot, ov] = ob.data.result as Point;
      if (pt !== ot) this.tally.mismatches.push(`${where}: time ${pt} vs ${ot}`);
      if (pb.data.resultType === 'string') {
        if (pv !== ov) this.tally.mismatches.push(`${where}: ${pv} vs ${ov}`);
      } else {
        this.#sameValue(pv, ov, tolerant, where);
      }
      return;
    }
    const p = keyed(pb.data.result as Series[]);
    const o = keyed(ob.data.result as Series[]);
    if (tolerant && /\b(topk|bottomk)\b/.test(params.query)) return this.#compareByValue(p, o, where);
    const sameKeys = p.size === o.size && [...p.keys()].every((k) => o.has(k));
    if (!sameKeys) {
      const missing = [...p.keys()].filter((k) => !o.has(k));
      const extra = [...o.keys()].filter((k) => !p.has(k));
      this.tally.mismatches.push(
        `${where}: series differ; only prometheus: ${missing.join(' ')}; only ours: ${extra.join(' ')}`,
      );
      return;
    }
    for (const [key, points] of p) {
      const mine = o.get(key)!;
      if (points.length !== mine.length) {
        this.tally.mismatches.push(`${where} ${key}: ${points.length} points vs ${mine.length}`);
        continue;
      }
      for (let i = 0; i < points.length; i++) {
        if (points[i][0] !== mine[i][0])
          this.tally.mismatches.push(`${where} ${key}: time ${points[i][0]} vs ${mine[i][0]}`);
        this.#sameValue(points[i][1], mine[i][1], tolerant, `${where} ${key} @${points[i][0]}`);
      }
    }
    if (this.tally.mismatches.length > before + 20) this.tally.mismatches.length = before + 20;
  }

  /** topk/bottomk over ties in random order: the chosen series may differ, the chosen values may not. */
  #compareByValue(p: Map<string, Point[]>, o: Map<string, Point[]>, where: string): void {
    const byTime = (m: Map<string, Point[]>) => {
      const out = new Map<number, string[]>();
      for (const points of m.values()) for (const [t, v] of points) out.set(t, [...(out.get(t) ?? []), v]);
      for (const vs of out.values()) vs.sort((a, b) => parseValue(a) - parseValue(b) || a.localeCompare(b));
      return out;
    };
    const pt = byTime(p);
    const ot = byTime(o);
    for (const [t, vs] of pt) {
      const mine = ot.get(t) ?? [];
      if (mine.length !== vs.length) {
        this.tally.mismatches.push(`${where} @${t}: ${vs.length} values vs ${mine.length}`);
        continue;
      }
      for (const [i, v] of vs.entries()) this.#sameValue(v, mine[i], true, `${where} @${t}`);
    }
  }
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}
