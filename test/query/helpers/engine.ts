/** A store and engine pair for tests, with helpers that return plain `{labels, value}` results. */
import { QueryEngine } from '../../../src/query/engine/engine.js';
import { labelsToRecord } from '../../../src/query/labels.js';
import { MemoryStore } from '../../../src/query/storage/store.js';

export interface Row {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export function newEngine(): { store: MemoryStore; engine: QueryEngine } {
  const store = new MemoryStore({ retentionMs: 365 * 86_400_000 });
  return { store, engine: new QueryEngine(store) };
}

/** Runs an instant query at `seconds` and returns vector rows (or one row for a scalar). */
export async function instant(engine: QueryEngine, query: string, seconds: number): Promise<Row[]> {
  const r = await engine.instantQuery(query, Math.round(seconds * 1000));
  if (r.resultType === 'scalar') return [{ labels: {}, value: r.result.v }];
  if (r.resultType !== 'vector') throw new Error(`unexpected ${r.resultType}`);
  return r.result.map((s) => ({ labels: labelsToRecord(s.labels), value: s.v }));
}

/** The single value of an instant query, or undefined when the result is empty. */
export async function single(
  engine: QueryEngine,
  query: string,
  seconds: number,
): Promise<number | undefined> {
  const rows = await instant(engine, query, seconds);
  if (rows.length > 1) throw new Error(`expected at most one result for ${query}, got ${rows.length}`);
  return rows[0]?.value;
}
