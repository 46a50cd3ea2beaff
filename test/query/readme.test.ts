/** The README's example of the embedded query engine is real code: this test runs it verbatim. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CounterVec, inProcessTarget, Registry, startEmbeddedPrometheus } from '../../src/index.js';

function readmeExample(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Embedded query engine'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.replace(/^import .*\n/m, '');
}

function normalise(code: string): string[] {
  return code
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe('the README example of the embedded query engine', () => {
  it('runs and answers the query', async () => {
    const logged: unknown[] = [];
    const console = { log: (v: unknown) => logged.push(v) };
    // README-BEGIN
    const registry = new Registry();
    const requests = registry.register(
      new CounterVec({ name: 'dynamo_frontend_requests_total', help: 'Requests.', labelNames: ['model'] }),
    );
    const prom = await startEmbeddedPrometheus({
      targets: [inProcessTarget({ job: 'dynamo', instance: 'local', source: registry })],
      scrape: { intervalMs: 5_000 },
      port: 0, // 9090 for Grafana; 0 picks a free port
    });
    requests.labels('llama').inc(3);
    await prom.scraper.scrapeNow(); // or wait for the next scrape
    const res = await fetch(
      `${prom.url}/api/v1/query?query=${encodeURIComponent('sum by (model) (dynamo_frontend_requests_total)')}`,
    );
    const body = (await res.json()) as {
      data: { result: { metric: { model: string }; value: [number, string] }[] };
    };
    console.log(body.data.result); // [{ metric: { model: 'llama' }, value: [<now>, '3'] }]
    await prom.close();
    // README-END
    expect(logged).toEqual([[{ metric: { model: 'llama' }, value: [expect.any(Number), '3'] }]]);
  });

  it('is the code printed in the README', () => {
    const source = readFileSync(new URL(import.meta.url), 'utf8');
    const tested = source.slice(
      source.indexOf('// README-BEGIN\n') + 16,
      source.indexOf('    // README-END'),
    );
    expect(normalise(readmeExample())).toEqual(normalise(tested));
  });
});
