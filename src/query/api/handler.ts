/**
 * A `node:http` request handler that speaks Prometheus 2.42's HTTP API, so Grafana (or anything written for
 * Prometheus) can use the embedded store as a Prometheus data source: `/api/v1/query`, `/query_range`,
 * `/series`, `/labels`, `/label/<name>/values`, `/targets`, `/status/buildinfo`, `/-/ready`, `/-/healthy`.
 *
 * Responses have Prometheus's shapes, error types and status codes (`bad_data` 400, `execution` 422,
 * `timeout`/`canceled` 503); parse errors of instant queries are reported as `invalid parameter "query"`
 * and those of range queries bare, as 2.42 does. A client that disconnects cancels its query.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryEngine } from '../engine/engine.js';
import { NotSupportedError, PromQLParseError, QueryError } from '../errors.js';
import { compareLabels, compareStrings, type Labels } from '../labels.js';
import { unwrapParens } from '../promql/ast.js';
import type { TargetStatus } from '../scrape/status.js';
import type { LabelMatcher } from '../storage/matcher.js';
import type { MemSeries } from '../storage/series.js';
import { errorJson, labelsJson, queryDataJson, statusFor, successJson } from './json.js';
import {
  type Form,
  invalidParam,
  MAX_TIME_MS,
  MIN_TIME_MS,
  parseDurationParam,
  parseTime,
  readForm,
} from './params.js';
import { targetsJson } from './targets-json.js';

export interface QueryApiOptions {
  readonly engine: QueryEngine;
  /** The scrape targets to list under `/api/v1/targets` (none when omitted). */
  readonly targets?: () => readonly TargetStatus[];
  /** Current time in ms, the default evaluation time of instant queries. */
  readonly now?: () => number;
}

interface Request {
  readonly form: Form;
  readonly signal: AbortSignal;
}

type Endpoint = (r: Request) => Promise<string>;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function createQueryApiHandler(options: QueryApiOptions): RequestHandler {
  const { engine } = options;
  const now = options.now ?? Date.now;

  const timeParam = (form: Form, name: string, fallback: number): number => {
    if (form.value(name) === '') return fallback;
    try {
      return parseTime(form.value(name));
    } catch (e) {
      throw invalidParam(name, `Invalid time value for '${name}': ${(e as Error).message}`);
    }
  };
  const plainTime = (form: Form, name: string): number => {
    try {
      return parseTime(form.value(name));
    } catch (e) {
      throw invalidParam(name, (e as Error).message);
    }
  };
  const duration = (form: Form, name: string): number => {
    try {
      return parseDurationParam(form.value(name));
    } catch (e) {
      throw invalidParam(name, (e as Error).message);
    }
  };
  const timeoutOf = (form: Form): number | undefined =>
    form.value('timeout') === '' ? undefined : duration(form, 'timeout');

  const matcherSets = (form: Form): LabelMatcher[][] =>
    form.all('match[]').map((text) => {
      try {
        const e = unwrapParens(engine.parse(text));
        if (e.kind !== 'vector') throw new QueryError('expected a vector selector', 'bad_data');
        return [...e.matchers];
      } catch (err) {
        if (err instanceof QueryError) throw invalidParam('match[]', err.message);
        throw err;
      }
    });

  /** Series matching any of the sets (or all series) within the time range, each once. */
  const seriesIn = (form: Form): MemSeries[] => {
    const start = timeParam(form, 'start', MIN_TIME_MS);
    const end = timeParam(form, 'end', MAX_TIME_MS);
    const sets = matcherSets(form);
    const found = new Set<MemSeries>();
    if (sets.length === 0) {
      for (const s of engine.store.allSeries()) if (s.minTime <= end && s.lastT >= start) found.add(s);
    }
    for (const set of sets) for (const s of engine.store.selectInRange(set, start, end)) found.add(s);
    return [...found];
  };

  const endpoints: Record<string, Endpoint> = {
    '/api/v1/query': async ({ form, signal }) => {
      const time = timeParam(form, 'time', now());
      const timeoutMs = timeoutOf(form);
      try {
        return queryDataJson(await engine.instantQuery(form.value('query'), time, { timeoutMs, signal }));
      } catch (e) {
        if (e instanceof PromQLParseError || e instanceof NotSupportedError)
          throw invalidParam('query', e.message);
        throw e;
      }
    },
    '/api/v1/query_range': async ({ form, signal }) => {
      const start = plainTime(form, 'start');
      const end = plainTime(form, 'end');
      if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
      const step = duration(form, 'step');
      if (step <= 0) {
        throw invalidParam(
          'step',
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      }
      const timeoutMs = timeoutOf(form);
      return queryDataJson(
        await engine.rangeQuery(form.value('query'), start, end, step, { timeoutMs, signal }),
      );
    },
    '/api/v1/series': async ({ form }) => {
      if (form.all('match[]').length === 0) throw new QueryError('no match[] parameter provided', 'bad_data');
      const labels: Labels[] = seriesIn(form).map((s) => s.labels);
      labels.sort(compareLabels);
      return `[${labels.map(labelsJson).join(',')}]`;
    },
    '/api/v1/labels': async ({ form }) => {
      const names = new Set<string>();
      for (const s of seriesIn(form)) for (const l of s.labels) names.add(l.name);
      return JSON.stringify([...names].sort(compareStrings));
    },
    '/api/v1/targets': async () => targetsJson(options.targets?.() ?? []),
    '/api/v1/status/buildinfo': async () =>
      JSON.stringify({
        version: '2.42.0',
        revision: 'dynametrics',
        branch: '',
        buildUser: '',
        buildDate: '',
        goVersion: '',
      }),
    '/api/v1/metadata': async () => '{}',
    '/api/v1/query_exemplars': async () => '[]',
  };

  const labelValues = async (name: string, { form }: Request): Promise<string> => {
    if (!LABEL_NAME.test(name))
      throw new QueryError(`invalid label name: ${JSON.stringify(name)}`, 'bad_data');
    const values = new Set<string>();
    for (const s of seriesIn(form)) for (const l of s.labels) if (l.name === name) values.add(l.value);
    return JSON.stringify([...values].sort(compareStrings));
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/-/ready' || path === '/-/healthy') {
      const text = path === '/-/ready' ? 'Prometheus Server is Ready.\n' : 'Prometheus Server is Healthy.\n';
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
      return;
    }
    const valuesMatch = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path);
    const endpoint: Endpoint | undefined = valuesMatch
      ? (r) => labelValues(decodeURIComponent(valuesMatch[1]), r)
      : Object.hasOwn(endpoints, path)
        ? endpoints[path]
        : undefined;
    if (endpoint === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res
        .writeHead(405, { Allow: 'GET, OPTIONS, POST', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method Not Allowed\n');
      return;
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    void serve(req, url, endpoint, abort.signal).then(([status, body]) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
    });
  };
}

async function serve(
  req: IncomingMessage,
  url: URL,
  endpoint: Endpoint,
  signal: AbortSignal,
): Promise<[number, string]> {
  try {
    const form = await readForm(req, url);
    return [200, successJson(await endpoint({ form, signal }))];
  } catch (e) {
    if (e instanceof QueryError) return [statusFor(e.errorType), errorJson(e.errorType, e.message)];
    return [500, errorJson('internal', e instanceof Error ? e.message : String(e))];
  }
}

/** Prometheus answers cross-origin requests from anywhere by default (`--web.cors.origin=.*`). */
function setCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Headers', 'Accept, Authorization, Content-Type, Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Expose-Headers', 'Date');
}
