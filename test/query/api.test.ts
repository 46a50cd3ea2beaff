import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatSampleValue,
  formatScalarTime,
  formatScalarValue,
  formatTimestamp,
} from '../../src/query/api/format.js';
import { parseDurationParam, parseTime } from '../../src/query/api/params.js';
import { QueryApiServer } from '../../src/query/api/server.js';
import { QueryEngine } from '../../src/query/engine/engine.js';
import { labelsFromRecord } from '../../src/query/labels.js';
import type { TargetStatus } from '../../src/query/scrape/status.js';
import { MemoryStore } from '../../src/query/storage/store.js';
import { loadSeries } from './helpers/series-notation.js';

describe('API number formatting', () => {
  it('writes sample values like jsonutil.MarshalValue: positional, exponent below 1e-6 and from 1e21', () => {
    expect(formatSampleValue(1)).toBe('1');
    expect(formatSampleValue(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatSampleValue(0.000001)).toBe('0.000001');
    expect(formatSampleValue(1e-7)).toBe('1e-07');
    expect(formatSampleValue(-1.5e-7)).toBe('-1.5e-07');
    expect(formatSampleValue(1e20)).toBe('100000000000000000000');
    expect(formatSampleValue(1e21)).toBe('1e+21');
    expect(formatSampleValue(2.6673236370062464e75)).toBe('2.6673236370062464e+75');
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(formatSampleValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(-0)).toBe('-0');
  });

  it('writes scalar results like FormatFloat(v, f, -1, 64), never with an exponent', () => {
    expect(formatScalarValue(1e-7)).toBe('0.0000001');
    expect(formatScalarValue(1.2345e25)).toBe('12345000000000000000000000');
    expect(formatScalarValue(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    expect(formatScalarTime(1_000_500)).toBe('1000.5');
  });

  it('writes timestamps as seconds with the millisecond digits Go writes', () => {
    expect(formatTimestamp(1_700_000_000_000)).toBe('1700000000');
    expect(formatTimestamp(1_700_000_000_500)).toBe('1700000000.500');
    expect(formatTimestamp(1_700_000_000_007)).toBe('1700000000.007');
    expect(formatTimestamp(-1500)).toBe('-1.500');
  });

  it('parses times and durations as Prometheus 2.42 does', () => {
    expect(parseTime('1000.123456')).toBe(1_000_123);
    expect(parseTime('-1.5')).toBe(-1500);
    expect(parseTime('2020-01-01T00:00:00.5Z')).toBe(1_577_836_800_500);
    expect(parseTime('2020-01-01T01:00:00+01:00')).toBe(1_577_836_800_000);
    expect(() => parseTime('abc')).toThrow('cannot parse "abc" to a valid timestamp');
    expect(parseDurationParam('15s')).toBe(15_000);
    expect(parseDurationParam('0.5')).toBe(500);
    expect(parseDurationParam('1h30m')).toBe(5_400_000);
    expect(() => parseDurationParam('0.5s')).toThrow('cannot parse "0.5s" to a valid duration');
  });
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON, checked by the assertions.
type Json = any;

describe('the Prometheus-compatible HTTP API', () => {
  let server: QueryApiServer;
  const target: TargetStatus = {
    scrapePool: 'app',
    scrapeUrl: 'http://127.0.0.1:1/metrics',
    labels: labelsFromRecord({ instance: '127.0.0.1:1', job: 'app' }),
    discoveredLabels: labelsFromRecord({ __address__: '127.0.0.1:1', job: 'app' }),
    health: 'up',
    lastError: '',
    lastScrapeMs: 1_700_000_000_000,
    lastScrapeDurationSeconds: 0.001,
    intervalMs: 15_000,
    timeoutMs: 10_000,
  };

  beforeAll(async () => {
    const store = new MemoryStore();
    loadSeries(store, 'up{job="app",instance="a"}', '1x20', 15_000);
    loadSeries(store, 'req_total{job="app",instance="a",code="200"}', '0+10x20', 15_000);
    loadSeries(store, 'req_total{job="app",instance="a",code="500"}', '0+1x20', 15_000);
    const engine = new QueryEngine(store, { timeoutMs: 5_000 });
    server = await QueryApiServer.start({ engine, targets: () => [target], now: () => 300_000 });
  });
  afterAll(() => server.close());

  async function get(
    path: string,
    params: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`);
    return {
      status: res.status,
      body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(),
    };
  }

  it('answers an instant query with a vector', async () => {
    const r = await get('/api/v1/query', { query: 'sum by (code) (rate(req_total[1m]))', time: '300' });
    expect(r).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            { metric: { code: '200' }, value: [300, '0.6666666666666666'] },
            { metric: { code: '500' }, value: [300, '0.06666666666666667'] },
          ],
        },
      },
    });
  });

  it('evaluates at the current time when no time is given', async () => {
    const r = await get('/api/v1/query', { query: 'time()' });
    expect(r.body).toEqual({ status: 'success', data: { resultType: 'scalar', result: [300, '300'] } });
  });

  it('answers scalar, string and matrix results in Prometheus shapes', async () => {
    expect((await get('/api/v1/query', { query: '1e-7', time: '1.5' })).body.data).toEqual({
      resultType: 'scalar',
      result: [1.5, '0.0000001'],
    });
    expect((await get('/api/v1/query', { query: '"hi"', time: '1' })).body.data).toEqual({
      resultType: 'string',
      result: [1, 'hi'],
    });
    const m = await get('/api/v1/query', { query: 'up[30s]', time: '30' });
    expect(m.body.data).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', instance: 'a', job: 'app' },
          values: [
            [0, '1'],
            [15, '1'],
            [30, '1'],
          ],
        },
      ],
    });
  });

  it('answers a range query with a matrix sorted by labels', async () => {
    const r = await get('/api/v1/query_range', {
      query: 'increase(req_total[1m])',
      start: '60',
      end: '90',
      step: '15s',
    });
    expect(r.status).toBe(200);
    expect(r.body.data.resultType).toBe('matrix');
    expect(r.body.data.result).toEqual([
      {
        metric: { code: '200', instance: 'a', job: 'app' },
        values: [
          [60, '40'],
          [75, '40'],
          [90, '40'],
        ],
      },
      {
        metric: { code: '500', instance: 'a', job: 'app' },
        values: [
          [60, '4'],
          [75, '4'],
          [90, '4'],
        ],
      },
    ]);
  });

  it('accepts POST form bodies like GET parameters', async () => {
    const res = await fetch(`${server.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'up', time: '15' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { result: unknown[] } }).data.result).toHaveLength(1);
  });

  it('reports bad input as bad_data with status 400 and Prometheus messages', async () => {
    const cases: [string, Record<string, string>, string][] = [
      [
        '/api/v1/query',
        { query: '1 +' },
        'invalid parameter "query": 1:4: parse error: unexpected end of input',
      ],
      [
        '/api/v1/query',
        { query: 'foo(x)' },
        'invalid parameter "query": 1:1: parse error: unknown function with name "foo"',
      ],
      [
        '/api/v1/query',
        { query: 'rate(x)' },
        'invalid parameter "query": 1:6: parse error: expected type range vector in call to function "rate", got instant vector',
      ],
      [
        '/api/v1/query',
        { query: 'x{a=~"("}' },
        'invalid parameter "query": 1:3: parse error: error parsing regexp: unterminated group: `^(?:()$`',
      ],
      [
        '/api/v1/query',
        { query: 'up', time: 'abc' },
        `invalid parameter "time": Invalid time value for 'time': cannot parse "abc" to a valid timestamp`,
      ],
      [
        '/api/v1/query',
        { query: 'predict_linear(up[5m], 1)' },
        'invalid parameter "query": 1:1: not supported: function "predict_linear" is not implemented by the embedded PromQL engine',
      ],
      [
        '/api/v1/query_range',
        { query: '1(', start: '0', end: '1', step: '1' },
        '1:2: parse error: unexpected "("',
      ],
      [
        '/api/v1/query_range',
        { query: 'up', start: '0', end: '100', step: '0.005' },
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
      ],
      [
        '/api/v1/query_range',
        { query: 'up', start: '0', end: '100', step: '0' },
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      ],
      [
        '/api/v1/query_range',
        { query: 'up', start: '100', end: '0', step: '1' },
        'invalid parameter "end": end timestamp must not be before start time',
      ],
      [
        '/api/v1/query_range',
        { query: 'up[5m]', start: '0', end: '1', step: '1' },
        'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
      ],
      [
        '/api/v1/query_range',
        { query: 'up', end: '1', step: '1' },
        'invalid parameter "start": cannot parse "" to a valid timestamp',
      ],
      ['/api/v1/series', {}, 'no match[] parameter provided'],
      ['/api/v1/label/1a/values', {}, 'invalid label name: "1a"'],
    ];
    for (const [path, params, message] of cases) {
      const r = await get(path, params);
      expect({ path, ...r }).toEqual({
        path,
        status: 400,
        body: { status: 'error', errorType: 'bad_data', error: message },
      });
    }
  });

  it('reports evaluation failures as execution errors with status 422', async () => {
    const r = await get('/api/v1/query', { query: 'req_total + on(job) req_total', time: '60' });
    expect(r.status).toBe(422);
    expect(r.body.errorType).toBe('execution');
    expect(r.body.error).toMatch(
      /^found duplicate series for the match group \{job="app"\} on the right hand-side/,
    );
  });

  it('lists series, label names and label values', async () => {
    expect((await get('/api/v1/series', { 'match[]': 'req_total{code="500"}' })).body).toEqual({
      status: 'success',
      data: [{ __name__: 'req_total', code: '500', instance: 'a', job: 'app' }],
    });
    expect((await get('/api/v1/labels')).body.data).toEqual(['__name__', 'code', 'instance', 'job']);
    expect((await get('/api/v1/label/__name__/values')).body.data).toEqual(['req_total', 'up']);
    expect((await get('/api/v1/label/code/values', { 'match[]': 'req_total' })).body.data).toEqual([
      '200',
      '500',
    ]);
  });

  it('lists scrape targets in the shape of Prometheus 2.42', async () => {
    const r = await get('/api/v1/targets');
    expect(r.body).toEqual({
      status: 'success',
      data: {
        activeTargets: [
          {
            discoveredLabels: { __address__: '127.0.0.1:1', job: 'app' },
            labels: { instance: '127.0.0.1:1', job: 'app' },
            scrapePool: 'app',
            scrapeUrl: 'http://127.0.0.1:1/metrics',
            globalUrl: 'http://127.0.0.1:1/metrics',
            lastError: '',
            lastScrape: '2023-11-14T22:13:20.000Z',
            lastScrapeDuration: 0.001,
            health: 'up',
            scrapeInterval: '15s',
            scrapeTimeout: '10s',
          },
        ],
        droppedTargets: [],
      },
    });
  });

  it('is ready, 404s unknown paths and rejects other methods like Prometheus', async () => {
    expect(await get('/-/ready')).toEqual({ status: 200, body: 'Prometheus Server is Ready.\n' });
    expect(await get('/api/v1/nope')).toEqual({ status: 404, body: '404 page not found\n' });
    const del = await fetch(`${server.url}/api/v1/query`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, OPTIONS, POST');
  });
});
