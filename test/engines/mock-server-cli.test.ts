import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { MockEngineServer } from '../../src/engines/mock-server.js';
import {
  MOCK_ENGINE_USAGE,
  parseMockEngineArgs,
  runMockEngineServer,
} from '../../src/engines/mock-server-cli.js';
import { httpRequest } from '../helpers/http.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
  };
}

describe('runMockEngineServer', () => {
  it('serves the engine its flags describe until its signal aborts, then exits 0', async () => {
    const io = capture();
    const controller = new AbortController();
    let server: MockEngineServer | undefined;
    const exit = runMockEngineServer({
      argv: [
        '--port',
        '0',
        '--model',
        'cli-model',
        '--seed',
        '9',
        '--output-tokens',
        '3',
        '--itl-ms=1',
        '--ttft-ms',
        '1',
      ],
      ...io,
      handleSignals: false,
      signal: controller.signal,
      onListening: (s) => {
        server = s;
      },
    });
    await until(() => server !== undefined);
    expect(io.out.join('')).toBe(`mock engine serving cli-model on ${server!.url}\n`);
    const res = await httpRequest(`${server!.url}/v1/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'cli-model', prompt: 'Hello', max_tokens: 10 }),
    });
    expect(JSON.parse(res.text).usage.completion_tokens).toBe(3);
    controller.abort();
    expect(await exit).toBe(0);
    await expect(httpRequest(`${server!.url}/health`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('prints its usage for --help and exits 0', async () => {
    const io = capture();
    expect(await runMockEngineServer({ argv: ['--help'], ...io })).toBe(0);
    expect(io.out.join('')).toBe(MOCK_ENGINE_USAGE);
    expect(MOCK_ENGINE_USAGE).toMatch(/--port N\s+port to listen on/);
  });

  it('exits 2 with the usage for an unknown flag or an unusable value', async () => {
    for (const argv of [['--bogus'], ['--seed', 'abc'], ['--output-tokens', '9-'], ['--block-size', '0']]) {
      const io = capture();
      expect(await runMockEngineServer({ argv, ...io })).toBe(2);
      expect(io.err.join('')).toMatch(/^dynametrics mock-engine: /);
    }
  });

  it('exits 1 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const io = capture();
    try {
      expect(await runMockEngineServer({ argv: ['--port', String(port)], ...io, handleSignals: false })).toBe(
        1,
      );
      expect(io.err.join('')).toMatch(/EADDRINUSE/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('reads every engine flag into the engine options', () => {
    expect(
      parseMockEngineArgs([
        '--host=0.0.0.0',
        '--ttft-per-token-ms',
        '0.5',
        '--itl-jitter-ms',
        '2',
        '--output-tokens',
        'normal:100,20',
        '--context-length',
        '4096',
        '--block-size',
        '32',
        '--kv-blocks',
        '100',
        '--max-num-seqs',
        '4',
        '--max-waiting',
        '8',
        '--no-prefix-caching',
        '--error-rate',
        '0.1',
        '--error-at',
        'mid-stream',
        '--stall-rate',
        '0.2',
        '--stall-ms',
        '300',
        '--never-yield-rate',
        '0.01',
        '--max-concurrent-requests',
        '16',
      ]),
    ).toEqual({
      help: false,
      host: '0.0.0.0',
      port: 8000,
      maxConcurrentRequests: 16,
      engine: {
        model: undefined,
        seed: undefined,
        ttftBaseMs: undefined,
        ttftPerUncachedTokenMs: 0.5,
        interTokenLatencyMs: undefined,
        interTokenJitterMs: 2,
        outputLength: { kind: 'normal', mean: 100, stddev: 20 },
        contextLength: 4096,
        kvCacheBlockSize: 32,
        totalKvBlocks: 100,
        maxNumSeqs: 4,
        maxWaiting: 8,
        enablePrefixCaching: false,
        faults: { errorRate: 0.1, errorAt: 'mid-stream', stallRate: 0.2, stallMs: 300, neverYieldRate: 0.01 },
      },
    });
  });

  it('stops on SIGTERM in a process of its own', async () => {
    const script = [
      "import { runMockEngineServer } from './dist/engines/mock-server-cli.js';",
      "process.exitCode = await runMockEngineServer(['--port', '0']);",
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    await until(() => out.includes('mock engine serving'), 10_000);
    const url = /on (http:\/\/\S+)/.exec(out)![1]!;
    expect((await httpRequest(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
