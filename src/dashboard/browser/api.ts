/**
 * The page's client of the Prometheus HTTP API it is served with: instant and range queries, answers in
 * Prometheus's JSON shapes, and every failure (a PromQL error, a timeout, the server gone) as a message the
 * panel can show instead of throwing.
 */

export interface ApiSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** Range queries: `[seconds, "value"]` per step. */
  readonly values?: readonly (readonly [number, string])[];
  /** Instant queries: one `[seconds, "value"]`. */
  readonly value?: readonly [number, string];
}

export type ApiAnswer<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: string };

interface QueryData {
  readonly resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  readonly result: unknown;
}

/** A sample value as the API writes it (`"1.5"`, `"NaN"`, `"+Inf"`). */
export function sampleValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

async function call<T>(
  path: string,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<ApiAnswer<T>> {
  let body: { status?: string; data?: T; error?: string; errorType?: string };
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      signal,
    });
    body = (await res.json()) as typeof body;
  } catch (e) {
    if (signal?.aborted) return { ok: false, error: 'cancelled' };
    return { ok: false, error: `cannot reach the dashboard server: ${(e as Error).message}` };
  }
  if (body.status !== 'success' || body.data === undefined) {
    return { ok: false, error: `${body.errorType ?? 'error'}: ${body.error ?? 'no data in the answer'}` };
  }
  return { ok: true, data: body.data };
}

/** The series of a range query, a scalar result being one series without labels. */
export async function queryRange(
  query: string,
  startS: number,
  endS: number,
  stepS: number,
  signal?: AbortSignal,
): Promise<ApiAnswer<readonly ApiSeries[]>> {
  const answer = await call<QueryData>(
    '/api/v1/query_range',
    { query, start: String(startS), end: String(endS), step: String(stepS) },
    signal,
  );
  if (!answer.ok) return answer;
  return { ok: true, data: answer.data.result as ApiSeries[] };
}

/**
 * When data starts in a range: the time of the earliest point of `query` (e.g. `count(up)`, which exists
 * from the first scrape on) evaluated over the range, or undefined when it has none or the query fails.
 */
export async function firstPointS(
  query: string,
  startS: number,
  endS: number,
  stepS: number,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const answer = await queryRange(query, startS, endS, stepS, signal);
  if (!answer.ok) return undefined;
  let first: number | undefined;
  for (const s of answer.data) {
    const t = s.values?.[0]?.[0];
    if (t !== undefined && (first === undefined || t < first)) first = t;
  }
  return first;
}

/** The samples of an instant query; a scalar is one sample without labels. */
export async function queryInstant(
  query: string,
  timeS: number,
  signal?: AbortSignal,
): Promise<ApiAnswer<readonly ApiSeries[]>> {
  const answer = await call<QueryData>('/api/v1/query', { query, time: String(timeS) }, signal);
  if (!answer.ok) return answer;
  const { resultType, result } = answer.data;
  if (resultType === 'vector') return { ok: true, data: result as ApiSeries[] };
  if (resultType === 'scalar') return { ok: true, data: [{ metric: {}, value: result as [number, string] }] };
  return { ok: false, error: `the query returns a ${resultType}, not a number` };
}

export interface ApiTarget {
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly labels: Readonly<Record<string, string>>;
}

export async function targets(signal?: AbortSignal): Promise<ApiAnswer<readonly ApiTarget[]>> {
  try {
    const res = await fetch('/api/v1/targets', { signal });
    const body = (await res.json()) as { data?: { activeTargets?: ApiTarget[] } };
    return { ok: true, data: body.data?.activeTargets ?? [] };
  } catch (e) {
    return { ok: false, error: `cannot reach the dashboard server: ${(e as Error).message}` };
  }
}

/** Values of a label among the series of a selector (the model picker's choices). */
export async function labelValues(
  label: string,
  match: string,
  signal?: AbortSignal,
): Promise<readonly string[]> {
  try {
    const res = await fetch(`/api/v1/label/${label}/values?${new URLSearchParams({ 'match[]': match })}`, {
      signal,
    });
    const body = (await res.json()) as { data?: string[] };
    return body.data ?? [];
  } catch {
    return [];
  }
}
