/**
 * Request parameters as Prometheus 2.42's API reads them: form values from the URL and from a
 * `application/x-www-form-urlencoded` POST body (the body wins, as in Go's `FormValue`), times as float
 * seconds (rounded to the millisecond) or RFC 3339, durations as float seconds or Prometheus durations.
 */
import type { IncomingMessage } from 'node:http';
import { QueryError } from '../errors.js';
import { parseDuration } from '../promql/literals.js';

/** Largest accepted request body; Prometheus does not limit it, but an embedded server should. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class Form {
  constructor(private readonly params: URLSearchParams) {}

  /** The first value, or `''` (Go's `FormValue`). */
  value(name: string): string {
    return this.params.get(name) ?? '';
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  all(name: string): string[] {
    return this.params.getAll(name);
  }
}

/** Reads URL and body parameters, body values first. */
export async function readForm(req: IncomingMessage, url: URL): Promise<Form> {
  const merged = new URLSearchParams();
  const type = String(req.headers['content-type'] ?? '');
  if (req.method === 'POST' && /^application\/x-www-form-urlencoded/i.test(type)) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new QueryError('request body too large', 'bad_data');
      chunks.push(chunk);
    }
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) merged.append(k, v);
  }
  for (const [k, v] of url.searchParams) merged.append(k, v);
  return new Form(merged);
}

/** Thrown for a bad parameter; the message matches Prometheus's `invalid parameter "x": …`. */
export function invalidParam(name: string, reason: string): QueryError {
  return new QueryError(`invalid parameter ${JSON.stringify(name)}: ${reason}`, 'bad_data');
}

/** Prometheus's `minTime`/`maxTime` for open-ended series and label queries, ms. */
export const MIN_TIME_MS = -9_223_372_036_854;
export const MAX_TIME_MS = 9_223_372_036_854;

/** Go's `parseTime`: float seconds (rounded to ms) or RFC 3339; integer ms. Throws a plain message. */
export function parseTime(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) && text.trim() === text) {
    const t = Number(text);
    const s = Math.trunc(t);
    // math.Modf, then the fraction rounded to milliseconds and turned into nanoseconds by truncation.
    const frac = (t - s) * 1000;
    const rounded = frac < 0 ? -Math.round(-frac) : Math.round(frac); // Go rounds halves away from zero
    const ns = Math.trunc((rounded / 1000) * 1e9);
    return s * 1000 + Math.trunc(ns / 1e6);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (m !== null) {
    const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8].toUpperCase()}`);
    const fraction = `${(m[7] ?? '.').slice(1)}000`.slice(0, 3);
    if (!Number.isNaN(ms)) return ms + Number(fraction);
  }
  throw new Error(`cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/** Go's API `parseDuration`: float seconds or a Prometheus duration; integer ms. */
export function parseDurationParam(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const ms = Math.trunc(Number(text) * 1e9) / 1e6;
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) {
      throw new Error(`cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`);
    }
    return Math.trunc(ms);
  }
  const d = parseDuration(text);
  if (d.ok) return d.value;
  throw new Error(`cannot parse ${JSON.stringify(text)} to a valid duration`);
}
