import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDiscovery, StaticDiscovery, type WorkerInstance } from '../../src/serving/index.js';

const instance = (over: Partial<WorkerInstance> = {}): WorkerInstance => ({
  namespace: 'dynamo',
  component: 'backend',
  endpoint: 'generate',
  instanceId: 'abc',
  address: 'http://127.0.0.1:1234',
  ...over,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dynametrics-discovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file discovery', () => {
  it('announces, finds by query, and withdraws instances', async () => {
    const d = new FileDiscovery(dir);
    const a = await d.register(
      instance({
        instanceId: 'a',
        modelCard: {
          name: 'llama',
          contextLength: 8192,
          kvCacheBlockSize: 16,
          migrationLimit: 0,
          totalKvBlocks: 1024,
          maxNumSeqs: 64,
          maxNumBatchedTokens: 4096,
        },
      }),
    );
    await d.register(instance({ instanceId: 'b', endpoint: 'prefill' }));
    const other = new FileDiscovery(dir);
    expect(
      (await other.list({ endpoint: 'generate' })).map((i) => [i.instanceId, i.modelCard?.name]),
    ).toEqual([['a', 'llama']]);
    expect((await other.list()).map((i) => i.instanceId)).toEqual(['a', 'b']);
    await a();
    expect((await other.list()).map((i) => i.instanceId)).toEqual(['b']);
    await d.close();
  });

  it('ignores records whose lease expired, whose process is gone, or that are malformed', async () => {
    const record = (over: object) =>
      JSON.stringify({
        instance: instance(),
        host: hostname(),
        pid: process.pid,
        expiresAtMs: Date.now() + 60_000,
        ...over,
      });
    await writeFile(join(dir, 'expired.json'), record({ expiresAtMs: Date.now() - 1 }));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => dead.on('exit', r));
    await writeFile(join(dir, 'dead.json'), record({ pid: dead.pid }));
    await writeFile(join(dir, 'garbage.json'), '{not json');
    await writeFile(
      join(dir, 'wrong.json'),
      JSON.stringify({
        instance: { address: 'ftp://x' },
        host: hostname(),
        pid: process.pid,
        expiresAtMs: Date.now() + 60_000,
      }),
    );
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    await writeFile(
      join(dir, 'remote.json'),
      record({ host: 'another-host', pid: 1, instance: instance({ instanceId: 'remote' }) }),
    );
    await writeFile(join(dir, 'live.json'), record({ instance: instance({ instanceId: 'live' }) }));
    expect((await new FileDiscovery(dir).list()).map((i) => i.instanceId)).toEqual(['live', 'remote']);
  });

  it('renews the lease while registered, and a missing directory lists nothing', async () => {
    const d = new FileDiscovery(dir, { leaseMs: 300 });
    await d.register(instance());
    await new Promise((r) => setTimeout(r, 700));
    expect(await d.list()).toHaveLength(1);
    await d.close();
    await new Promise((r) => setTimeout(r, 400));
    expect(await d.list()).toHaveLength(0);
    expect(await new FileDiscovery(join(dir, 'missing')).list()).toEqual([]);
  });

  it('writes records atomically: no temporary file is ever listed', async () => {
    const d = new FileDiscovery(dir, { leaseMs: 200 });
    await d.register(instance());
    for (let i = 0; i < 20; i++) {
      expect(await d.list()).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    await d.close();
  });
});

describe('static discovery', () => {
  it('lists the given instances plus registered ones', async () => {
    const d = new StaticDiscovery([instance({ instanceId: 'x' })]);
    const withdraw = await d.register(instance({ instanceId: 'y', component: 'other' }));
    expect((await d.list({ component: 'backend' })).map((i) => i.instanceId)).toEqual(['x']);
    expect(await d.list()).toHaveLength(2);
    await withdraw();
    expect(await d.list()).toHaveLength(1);
  });
});
