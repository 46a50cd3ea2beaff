import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import client from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineSourceError, engineReader, getPrometheusExpfmt } from '../../src/engine/index.js';
import { OPENMETRICS_FORMAT } from '../../src/expfmt/index.js';
import { SourceError } from '../../src/runtime/index.js';
import { CLI } from '../helpers/cli.js';
import { run } from '../helpers/tools.js';

const LIMITS = { timeoutMs: 300, maxBytes: 1024 * 1024 };
const TEXT =
  '# HELP vllm:num_requests_running Running.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running 3.0\n';

/** What the HTTP test engine does next, and how many requests it saw. */
let behaviour: (req: IncomingMessage, res: ServerResponse) => void = (_, res) => res.end(TEXT);
let requests = 0;
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    behaviour(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-engine-'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  behaviour = (_, res) => res.end(TEXT);
  requests = 0;
});

async function failureOf(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('expected the read to fail');
}

describe('HTTP engine sources', () => {
  it('fetch /metrics the way Prometheus does, gzip included', async () => {
    let seen: IncomingMessage | undefined;
    behaviour = async (req, res) => {
      seen = req;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-encoding': 'gzip' });
      res.end(await promisify(gzip)(TEXT));
    };
    const read = await engineReader(new URL(`${base}/metrics`), LIMITS).read();
    expect(read).toEqual({ text: TEXT, syntax: 'text' });
    expect(seen?.headers.accept).toContain('application/openmetrics-text;version=1.0.0');
    expect(seen?.headers['accept-encoding']).toContain('gzip');
  });

  it('read OpenMetrics when the engine announces it', async () => {
    behaviour = (_, res) => {
      res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
      res.end(`${TEXT}# EOF\n`);
    };
    expect((await engineReader({ url: `${base}/metrics` }, LIMITS).read()).syntax).toBe('openmetrics');
  });

  it('share one request between reads that overlap', async () => {
    behaviour = (_, res) => setTimeout(() => res.end(TEXT), 50);
    const reader = engineReader(`${base}/metrics` as never, LIMITS);
    const reads = await Promise.all([reader.read(), reader.read(), reader.read()]);
    expect(reads.map((r) => r.text)).toEqual([TEXT, TEXT, TEXT]);
    expect(requests).toBe(1);
    await reader.read();
    expect(requests).toBe(2);
  });

  it('report an HTTP error status as http_error', async () => {
    behaviour = (_, res) => {
      res.writeHead(503);
      res.end('down');
    };
    const e = await failureOf(engineReader(new URL(`${base}/metrics`), LIMITS).read());
    expect(e.failureCause).toBe('http_error');
    expect(e.message).toBe(`${base}/metrics answered HTTP 503 Service Unavailable`);
  });

  it('report a refused connection as http_error', async () => {
    const e = await failureOf(engineReader(new URL('http://127.0.0.1:1/metrics'), LIMITS).read());
    expect(e.failureCause).toBe('http_error');
    expect(e.message).toContain('could not be fetched');
  });

  it('give up after the timeout', async () => {
    behaviour = () => {};
    const started = Date.now();
    const e = await failureOf(engineReader(new URL(`${base}/metrics`), LIMITS).read());
    expect(e.failureCause).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('give up on a body that trickles past the timeout, every time, and read again once it is fixed', async () => {
    // An aborted fetch does not always error a body that is still arriving; a read left pending would
    // hold every later read of the source, since reads that overlap share one request.
    behaviour = (_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('#'), 20);
      res.on('close', () => clearInterval(timer));
    };
    const reader = engineReader(new URL(`${base}/metrics`), { ...LIMITS, timeoutMs: 150 });
    for (let i = 0; i < 20; i++) {
      const started = Date.now();
      expect((await failureOf(reader.read())).failureCause).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    }
    behaviour = (_, res) => res.end(TEXT);
    expect((await reader.read()).text).toBe(TEXT);
  });

  it('refuse bytes that are not UTF-8', async () => {
    behaviour = (_, res) => res.end(Buffer.from([0x67, 0x20, 0xff, 0xfe, 0x0a]));
    expect((await failureOf(engineReader(new URL(`${base}/metrics`), LIMITS).read())).failureCause).toBe(
      'invalid_utf8',
    );
  });

  it('refuse a body over the limit, declared or streamed', async () => {
    behaviour = (_, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('# partial');
    };
    const declared = await failureOf(engineReader(new URL(`${base}/metrics`), LIMITS).read());
    expect(declared.failureCause).toBe('too_large');
    behaviour = (_, res) => {
      const chunk = Buffer.alloc(64 * 1024, 0x78);
      let sent = 0;
      const push = () => {
        while (sent < 50 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 50 * 1024 * 1024) res.once('drain', push);
        else res.end();
      };
      push();
      res.on('close', () => {
        sent = Number.POSITIVE_INFINITY;
      });
    };
    const streamed = await failureOf(engineReader(new URL(`${base}/metrics`), LIMITS).read());
    expect(streamed.failureCause).toBe('too_large');
    expect(streamed.message).toContain('sent more than 1048576 bytes');
  });
});

describe('file engine sources', () => {
  it('read the file on every read', async () => {
    const path = join(dir, 'engine.prom');
    await writeFile(path, TEXT);
    const reader = engineReader({ file: path }, LIMITS);
    expect((await reader.read()).text).toBe(TEXT);
    await writeFile(path, `${TEXT}extra_gauge 1\n`);
    expect((await reader.read()).text).toContain('extra_gauge 1');
  });

  it('report a missing file, a file over the limit and bytes that are not UTF-8', async () => {
    expect((await failureOf(engineReader({ file: join(dir, 'nope') }, LIMITS).read())).failureCause).toBe(
      'error',
    );
    const big = join(dir, 'big.prom');
    await writeFile(big, Buffer.alloc(2 * 1024 * 1024, 0x78));
    expect((await failureOf(engineReader({ file: big }, LIMITS).read())).failureCause).toBe('too_large');
    const bad = join(dir, 'bad.prom');
    await writeFile(bad, Buffer.from([0xc3, 0x28, 0x0a]));
    expect((await failureOf(engineReader({ file: bad }, LIMITS).read())).failureCause).toBe('invalid_utf8');
  });
});

describe('function and prom-client sources', () => {
  it('accept sync and async functions, and detect OpenMetrics by # EOF', async () => {
    expect(await engineReader(() => TEXT, LIMITS).read()).toEqual({ text: TEXT, syntax: 'text' });
    expect((await engineReader(async () => `${TEXT}# EOF\n`, LIMITS).read()).syntax).toBe('openmetrics');
    expect((await failureOf(engineReader(() => 5 as unknown as string, LIMITS).read())).failureCause).toBe(
      'not_text',
    );
    expect(
      (await failureOf(engineReader(() => 'x'.repeat(LIMITS.maxBytes + 1), LIMITS).read())).failureCause,
    ).toBe('too_large');
  });

  it('read a prom-client registry in either of its content types', async () => {
    const text = new client.Registry();
    new client.Gauge({ name: 'vllm:num_requests_waiting', help: 'Waiting.', registers: [text] }).set(2);
    expect(await getPrometheusExpfmt(text)).toBe(
      '# HELP vllm:num_requests_waiting Waiting.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 2\n',
    );
    const om = new client.Registry();
    om.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE as never);
    new client.Counter({ name: 'engine_tokens_total', help: 'Tokens.', registers: [om] }).inc(5);
    expect((await engineReader(om, LIMITS).read()).syntax).toBe('openmetrics');
    expect(await getPrometheusExpfmt(om, { modelName: 'llama' }, OPENMETRICS_FORMAT)).toBe(
      '# HELP engine_tokens Tokens.\n# TYPE engine_tokens counter\nengine_tokens_total{model="llama",model_name="llama"} 5.0\n# EOF\n',
    );
  });

  it('read an AggregatorRegistry in cluster mode, across worker processes', async () => {
    const script = new URL('../fixtures/cluster-engine.mjs', import.meta.url).pathname;
    const dist = new URL('../../dist/index.js', import.meta.url).href;
    const result = await run(process.execPath, [script, dist]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'engine_requests_total{dynamo_component="backend",dynamo_endpoint="generate",dynamo_namespace="dynamo",kind="chat",model="llama",model_name="llama",worker_id="7"} 30\n',
    );
    expect(result.stdout).toContain('engine_running{dynamo_component="backend"');
    expect(CLI).toContain('dist');
  });

  it('refuse at registration what is not a source', () => {
    expect(() => engineReader(42 as never, LIMITS)).toThrow(EngineSourceError);
    expect(() => engineReader('/var/metrics.prom' as never, LIMITS)).toThrow(
      'a string engine source must be an http(s) URL',
    );
    expect(() => engineReader(new URL('ftp://x/metrics'), LIMITS)).toThrow(
      'engine metrics URL must be http or https',
    );
  });
});
