/**
 * HTTP hygiene of the system status server and the frontend, over raw sockets: wrong methods, huge
 * headers, malformed `Accept`, path tricks, request smuggling (Content-Length with Transfer-Encoding,
 * duplicate lengths, obs-fold, codings that do not end in chunked) and slow or half-open connections.
 * Each gets its exact status and no second response, slow clients are cut at their deadline, and the
 * server keeps serving throughout.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, rawExchange } from '../helpers/http.js';
import { timeoutMs } from './helpers/budget.js';
import { recordFigures } from './helpers/figures.js';
import { type MetricsTarget, startTarget, TARGET_KINDS, type TargetKind } from './helpers/targets.js';

/** Short limits, so slow clients are cut within the test; production defaults are 10 s / 30–60 s / 5 s. */
const LIMITS = { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 300 };
/** How late after its deadline a slow client may be cut: Node checks every headersTimeout / 4. */
const CUT_SLACK_MS = 1500;

type PerTarget<T> = T | Readonly<Record<TargetKind, T>>;

interface Exchange {
  readonly what: string;
  readonly request: string;
  readonly status: PerTarget<number>;
  /** The `Allow` header of a 405. */
  readonly allow?: PerTarget<string>;
  /** The `Content-Type` of a 200. */
  readonly contentType?: string;
}

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const GET_HEAD = 'GET, HEAD';

const get = (path: string, headers = '') =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;
const accept = (value: string): Exchange => ({
  what: `a malformed Accept: ${JSON.stringify(value.slice(0, 40))}`,
  request: get('/metrics', `Accept: ${value}\r\n`),
  status: 200,
  contentType: TEXT,
});
const path404 = (path: string): Exchange => ({
  what: `the path ${path.slice(0, 40)}`,
  request: get(path),
  status: 404,
});
const smuggle = (what: string, head: string, rest = ''): Exchange => ({
  what,
  request: `${head}\r\n\r\n${rest}`,
  status: 400,
});

const EXCHANGES: readonly Exchange[] = [
  // Methods.
  {
    what: 'POST /metrics',
    request: 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    status: 405,
    allow: GET_HEAD,
  },
  {
    what: 'DELETE /health',
    request: 'DELETE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    status: 405,
    allow: GET_HEAD,
  },
  {
    what: 'PUT /live',
    request: 'PUT /live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    status: 405,
    allow: GET_HEAD,
  },
  {
    what: 'TRACE /metrics',
    request: 'TRACE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    status: 405,
    allow: GET_HEAD,
  },
  {
    what: 'GET /v1/chat/completions',
    request: get('/v1/chat/completions'),
    status: { 'system status server': 404, frontend: 405 },
    allow: { 'system status server': '', frontend: 'POST' },
  },
  { what: 'OPTIONS *', request: 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', status: 404 },
  // Sizes.
  { what: 'a 70 KB header', request: get('/metrics', `X-Big: ${'a'.repeat(70_000)}\r\n`), status: 431 },
  {
    what: '3000 headers',
    request: get('/metrics', Array.from({ length: 3000 }, (_, i) => `h${i}: v\r\n`).join('')),
    status: 431,
  },
  { what: 'a 20 KB URL', request: get(`/metrics?${'a'.repeat(20_000)}`), status: 431 },
  // Content negotiation: whatever Accept says, a valid exposition in a format it names, else text 0.0.4.
  accept(';;;,,,q=abc'),
  accept('application/openmetrics-text;version=99'),
  accept('application/openmetrics-text;version=1.0.0;q=-1'),
  accept('*/*;q=0'),
  accept(`${'x/y;q=0.5,'.repeat(800)}`),
  {
    what: 'Accept of OpenMetrics 0.0.1',
    request: get('/metrics', 'Accept: application/openmetrics-text;version=0.0.1\r\n'),
    status: 200,
    contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
  },
  // Paths are matched as sent: nothing decodes or normalizes its way to a handler.
  ...[
    '/..',
    '/../metrics',
    '/%2e%2e/metrics',
    '/metrics/..',
    '/metrics/.',
    '/./metrics',
    '//metrics',
    '/metrics%2F',
    '/%2Fmetrics',
    '/metrics%00',
    '/metrics;x',
    '/metrics\\',
    '/Metrics',
    '/metrics#x',
    'http://evil.example/metrics',
  ].map(path404),
  {
    what: 'a query that looks like a path',
    request: get('/metrics?x=../../etc/passwd'),
    status: 200,
    contentType: TEXT,
  },
  // Smuggling: every ambiguous framing is refused, and nothing after it is read as a second request.
  smuggle(
    'Content-Length with Transfer-Encoding',
    'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked',
    '0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
  ),
  smuggle(
    'Transfer-Encoding with Content-Length',
    'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40',
    '0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
  ),
  smuggle(
    'two different Content-Lengths',
    'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6',
    'hello!',
  ),
  smuggle(
    'two equal Content-Lengths',
    'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0',
  ),
  smuggle('a negative Content-Length', 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -1'),
  smuggle('a Content-Length in exponent form', 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1e1'),
  smuggle(
    'an obs-folded header',
    'GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\r\n Transfer-Encoding: chunked',
  ),
  smuggle(
    'a Transfer-Encoding that does not end in chunked',
    'POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip',
    '0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
  ),
  smuggle(
    'an unknown Transfer-Encoding',
    'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked',
    'GET /health HTTP/1.1\r\nHost: x\r\n\r\n',
  ),
  // Node's parser refuses such a body only once its bytes arrive; the router refuses the request at once.
  smuggle(
    'a Transfer-Encoding without chunked, its body yet to come',
    'GET /live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip',
  ),
  smuggle('a space before the colon', 'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked'),
  smuggle('bare LF line endings', 'GET /metrics HTTP/1.1\nHost: x\nContent-Length: 5\n'),
  smuggle('a NUL in a header', 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b'),
  smuggle('a header name with a space', 'GET /metrics HTTP/1.1\r\nHost: x\r\nX A: b'),
  smuggle('an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM'),
  smuggle('an HTTP/1.1 request without Host', 'GET /metrics HTTP/1.1\r\nConnection: close'),
];

function expected<T>(value: PerTarget<T>, kind: TargetKind): T {
  return typeof value === 'object' && value !== null && kind in value
    ? (value as Record<TargetKind, T>)[kind]
    : (value as T);
}

/** Opens a connection, writes `chunks` one every `everyMs`, and resolves when the server closes it. */
function slowClient(
  port: number,
  chunks: readonly string[],
  everyMs: number,
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let response = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < chunks.length && socket.writable) socket.write(chunks[i++]);
    }, everyMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      response += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ response, closedAfterMs: performance.now() - started });
    });
  });
}

/** The status of every response on a connection (a response may follow a body without a line break). */
const statusesOf = (response: string) =>
  [...response.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

describe.each(TARGET_KINDS)('HTTP hygiene of the %s', (kind) => {
  let target: MetricsTarget;
  beforeAll(async () => {
    target = await startTarget(kind, { connectionLimits: LIMITS });
    target.endpoint.metrics.createIntCounter('requests_total', 'Requests.').inc(3);
  });
  afterAll(async () => {
    // Still serving after everything below.
    const res = await httpRequest(`${target.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('dynamo_component_requests_total{');
    await target.close();
  });

  it.each(EXCHANGES)('answers $what with exactly one response', async (exchange) => {
    const { response, closed } = await rawExchange(target.port, exchange.request, 3000);
    expect(statusesOf(response)).toEqual([expected(exchange.status, kind)]);
    expect(closed).toBe(true);
    const allow = /\r\nAllow: ([^\r]*)\r\n/i.exec(response)?.[1] ?? '';
    if (exchange.allow !== undefined) expect(allow).toBe(expected(exchange.allow, kind));
    if (exchange.contentType !== undefined) {
      expect(/\r\nContent-Type: ([^\r]*)\r\n/i.exec(response)?.[1]).toBe(exchange.contentType);
    }
  });

  it('answers pipelined requests in order on one connection, and closes it once idle', async () => {
    const keepAlive = get('/live').replace('Connection: close\r\n', '');
    const { response, closed } = await rawExchange(target.port, `${keepAlive}${keepAlive}`, 5000);
    expect(statusesOf(response)).toEqual([200, 200]);
    expect(closed).toBe(true);
  });

  it(
    'cuts slow and half-open clients at their deadline with 408, while serving others',
    async () => {
      const header = get('/metrics');
      const [silent, trickle, slowBody] = await Promise.all([
        slowClient(target.port, [], 50),
        // A byte every 100 ms: the headers would take seconds.
        slowClient(target.port, header.split(''), 100),
        // Headers on time, then a body of 100 bytes at a byte every 100 ms.
        slowClient(
          target.port,
          [
            'POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
            ...'{'.repeat(100),
          ],
          100,
        ),
        // Meanwhile, an ordinary scrape.
        httpRequest(`${target.url}/metrics`).then((r) => expect(r.status).toBe(200)),
      ]);
      for (const cut of [silent, trickle]) {
        expect(statusesOf(cut.response)).toEqual([408]);
        expect(cut.closedAfterMs).toBeLessThan(LIMITS.headersTimeoutMs + CUT_SLACK_MS);
      }
      // The system status server has no such route: it answers 404 at once, and the body is cut all the same.
      expect(statusesOf(slowBody.response)).toEqual([kind === 'frontend' ? 408 : 404]);
      expect(slowBody.closedAfterMs).toBeLessThan(LIMITS.requestTimeoutMs + CUT_SLACK_MS);
      recordFigures(`http-slow-clients.${kind.replaceAll(' ', '-')}`, {
        headersTimeoutMs: LIMITS.headersTimeoutMs,
        silentCutAfterMs: Math.round(silent.closedAfterMs),
        trickleCutAfterMs: Math.round(trickle.closedAfterMs),
        requestTimeoutMs: LIMITS.requestTimeoutMs,
        slowBodyCutAfterMs: Math.round(slowBody.closedAfterMs),
      });
    },
    timeoutMs(20_000),
  );

  it(
    'closes 300 half-open connections at the header deadline and keeps serving meanwhile',
    async () => {
      const clients = Array.from({ length: 300 }, () =>
        slowClient(target.port, ['GET /metrics HTTP/1.1\r\n'], 10),
      );
      const during = await httpRequest(`${target.url}/metrics`);
      expect(during.status).toBe(200);
      const results = await Promise.all(clients);
      const latest = Math.max(...results.map((r) => r.closedAfterMs));
      expect(results.filter((r) => statusesOf(r.response)[0] !== 408)).toEqual([]);
      expect(latest).toBeLessThan(LIMITS.headersTimeoutMs + CUT_SLACK_MS);
    },
    timeoutMs(20_000),
  );
});
