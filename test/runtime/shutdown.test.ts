import { describe, expect, it } from 'vitest';
import { run } from '../helpers/tools.js';

const script = `
import { DistributedRuntime } from './dist/index.js';
const drt = await DistributedRuntime.create({ env: { DYN_SYSTEM_PORT: '0', DYN_SYSTEM_HOST: '127.0.0.1' } });
drt.namespace('ns').component('c').endpoint('e').metrics.createCounter('x_total', 'X.').inc();
const agent = await fetch(drt.systemServer.url + '/metrics', { headers: { connection: 'keep-alive' } });
await agent.text();
await drt.shutdown();
console.log('shut down');
`;

describe('shutdown', () => {
  it('closes the server and every timer, so a script that serves and shuts down exits on its own', async () => {
    const started = Date.now();
    const result = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('shut down\n');
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
