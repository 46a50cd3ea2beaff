/**
 * Typed errors of the query engine. Each carries the Prometheus API `errorType` it maps to, so the HTTP
 * layer answers exactly as Prometheus 2.42 does (`bad_data` → 400, `execution` → 422, `timeout` and
 * `canceled` → 503, `internal` → 500) without inspecting messages. Messages reuse Prometheus's wording
 * where there is one, so clients and people who know Prometheus recognise them.
 */
import { DynametricsError } from '../core/errors.js';

/** The `errorType` values of the Prometheus HTTP API. */
export type QueryErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'not_found';

export class QueryError extends DynametricsError {
  override name = 'QueryError';
  constructor(
    message: string,
    readonly errorType: QueryErrorType,
  ) {
    super(message);
  }
}

/** A character range in the query text (UTF-16 offsets, end exclusive). */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** Prometheus's `line:column:` prefix for an offset into the query. */
export function positionPrefix(query: string, offset: number): string {
  if (offset < 0 || offset > query.length) return 'invalid position:';
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < offset; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lastBreak = i;
    }
  }
  return `${line}:${offset - lastBreak}:`;
}

/** A query that does not parse or does not type-check: `1:6: parse error: unexpected end of input`. */
export class PromQLParseError extends QueryError {
  override name = 'PromQLParseError';
  constructor(
    readonly query: string,
    readonly position: PositionRange,
    readonly reason: string,
  ) {
    super(`${positionPrefix(query, position.start)} parse error: ${reason}`, 'bad_data');
  }
}

/**
 * Valid PromQL that this engine does not implement (a function, an aggregation, subqueries, `@`). The
 * message names the feature so the user knows what to rewrite or where to run the query instead.
 */
export class NotSupportedError extends QueryError {
  override name = 'NotSupportedError';
  constructor(
    readonly query: string,
    readonly position: PositionRange,
    readonly feature: string,
  ) {
    super(
      `${positionPrefix(query, position.start)} not supported: ${feature} is not implemented by the embedded PromQL engine`,
      'bad_data',
    );
  }
}

/** The query ran past its deadline (Prometheus: `query timed out in expression evaluation`). */
export class QueryTimeoutError extends QueryError {
  override name = 'QueryTimeoutError';
  constructor(where = 'expression evaluation') {
    super(`query timed out in ${where}`, 'timeout');
  }
}

/** The caller went away (HTTP client disconnected) or aborted the query. */
export class QueryCanceledError extends QueryError {
  override name = 'QueryCanceledError';
  constructor(where = 'expression evaluation') {
    super(`query was canceled in ${where}`, 'canceled');
  }
}

/** The query would hold more samples in memory than allowed (Prometheus's `--query.max-samples`). */
export class TooManySamplesError extends QueryError {
  override name = 'TooManySamplesError';
  constructor() {
    super('query processing would load too many samples into memory in query execution', 'execution');
  }
}

/** A runtime failure of a valid query: duplicate label sets, many-to-many matching, bad parameters. */
export class EvaluationError extends QueryError {
  override name = 'EvaluationError';
  constructor(message: string) {
    super(message, 'execution');
  }
}
