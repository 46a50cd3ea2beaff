/**
 * JSON bodies of the Prometheus HTTP API, written by hand so numbers come out exactly as Prometheus writes
 * them (value strings and timestamps, see `format.ts`) and large matrices do not go through an
 * intermediate object tree.
 */
import type { QueryResult } from '../engine/engine.js';
import type { QueryErrorType } from '../errors.js';
import type { Labels } from '../labels.js';
import { formatSampleValue, formatScalarTime, formatScalarValue, formatTimestamp } from './format.js';

export function labelsJson(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(labels[i].name)}:${JSON.stringify(labels[i].value)}`;
  }
  return `${out}}`;
}

function point(t: number, v: number): string {
  return `[${formatTimestamp(t)},"${formatSampleValue(v)}"]`;
}

/** The `data` of a query response: `{"resultType":…,"result":…}`. */
export function queryDataJson(r: QueryResult): string {
  switch (r.resultType) {
    case 'scalar':
      return `{"resultType":"scalar","result":[${formatScalarTime(r.result.t)},"${formatScalarValue(r.result.v)}"]}`;
    case 'string':
      return `{"resultType":"string","result":[${formatScalarTime(r.result.t)},${JSON.stringify(r.result.v)}]}`;
    case 'vector': {
      const parts = r.result.map((s) => `{"metric":${labelsJson(s.labels)},"value":${point(s.t, s.v)}}`);
      return `{"resultType":"vector","result":[${parts.join(',')}]}`;
    }
    case 'matrix': {
      const parts: string[] = [];
      for (const s of r.result) {
        const points: string[] = new Array(s.t.length);
        for (let i = 0; i < s.t.length; i++) points[i] = point(s.t[i], s.v[i]);
        parts.push(`{"metric":${labelsJson(s.labels)},"values":[${points.join(',')}]}`);
      }
      return `{"resultType":"matrix","result":[${parts.join(',')}]}`;
    }
  }
}

export function successJson(data: string): string {
  return `{"status":"success","data":${data}}`;
}

export function errorJson(errorType: QueryErrorType, message: string): string {
  return `{"status":"error","errorType":"${errorType}","error":${JSON.stringify(message)}}`;
}

/** HTTP status for an API error type, as Prometheus's `respondError`. */
export function statusFor(errorType: QueryErrorType): number {
  switch (errorType) {
    case 'bad_data':
      return 400;
    case 'execution':
      return 422;
    case 'canceled':
    case 'timeout':
      return 503;
    case 'not_found':
      return 404;
    default:
      return 500;
  }
}
