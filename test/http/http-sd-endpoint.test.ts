import { afterEach, describe, expect, it } from 'vitest';
import { Frontend } from '../../src/frontend/index.js';
import { DistributedRuntime } from '../../src/runtime/index.js';
import { type Discovery, StaticDiscovery, type WorkerInstance } from '../../src/serving/index.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { httpRequest } from '../helpers/http.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const worker: WorkerInstance = {
  namespace: 'dynamo',
  component: 'backend',
  endpoint: 'generate',
  instanceId: 'a1',
  address: 'http://127.0.0.1:40001',
  systemStatusUrl: 'http://127.0.0.1:40002',
};

async function runtime(
  discovery: Discovery,
  logger = new MemoryLogger(),
  env: Record<string, string> = {},
): Promise<DistributedRuntime> {
  const drt = await DistributedRuntime.create({
    instanceId: 0xf00dn,
    systemServer: { port: 0, host: '127.0.0.1' },
    discovery,
    logger,
    env,
  });
  stops.push(() => drt.shutdown());
  return drt;
}

async function frontend(drt: DistributedRuntime, options: { announce?: boolean } = {}): Promise<Frontend> {
  const f = await Frontend.start({ runtime: drt, port: 0, host: '127.0.0.1', env: {}, ...options });
  stops.push(() => f.close(0));
  return f;
}

describe('/http_sd_config', () => {
  it('is served by the system status server as JSON, with what discovery knows', async () => {
    const drt = await runtime(new StaticDiscovery([worker]));
    const res = await httpRequest(`${drt.systemServer!.url}/http_sd_config`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual([
      {
        targets: ['127.0.0.1:40002'],
        labels: {
          dynamo_namespace: 'dynamo',
          dynamo_component: 'backend',
          dynamo_endpoint: 'generate',
          instance_id: 'a1',
        },
      },
    ]);
    const head = await httpRequest(`${drt.systemServer!.url}/http_sd_config`, { method: 'HEAD' });
    expect([head.status, head.text]).toEqual([200, '']);
  });

  it('answers 500 with a JSON error when discovery fails, and keeps serving', async () => {
    const logger = new MemoryLogger();
    let failing = true;
    const discovery: Discovery = {
      register: async () => async () => {},
      list: async () => {
        if (failing) throw new Error('etcd is unreachable');
        return [worker];
      },
    };
    const drt = await runtime(discovery, logger);
    const url = `${drt.systemServer!.url}/http_sd_config`;
    for (let i = 0; i < 2; i++) {
      const res = await httpRequest(url);
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.text)).toEqual({
        error: 'Failed to list instances from discovery',
        detail: 'etcd is unreachable',
      });
    }
    expect(logger.entries.filter((e) => e.message.includes('HTTP service discovery'))).toHaveLength(1);
    failing = false;
    expect(JSON.parse((await httpRequest(url)).text)).toHaveLength(1);
  });

  it('can be replaced through extraRoutes', async () => {
    const drt = await DistributedRuntime.create({
      systemServer: { port: 0, host: '127.0.0.1' },
      discovery: new StaticDiscovery([worker]),
      extraRoutes: { '/http_sd_config': (_, res) => void res.end('custom') },
    });
    stops.push(() => drt.shutdown());
    expect((await httpRequest(`${drt.systemServer!.url}/http_sd_config`)).text).toBe('custom');
  });

  it('is served by the frontend, which announces itself and withdraws on close', async () => {
    const discovery = new StaticDiscovery([worker]);
    const drt = await runtime(discovery);
    const f = await frontend(drt);
    const frontendGroup = {
      targets: [`127.0.0.1:${f.port}`],
      labels: {
        dynamo_namespace: 'dynamo',
        dynamo_component: 'frontend',
        dynamo_endpoint: 'http',
        instance_id: drt.workerId,
      },
    };
    const res = await httpRequest(`${f.url}/http_sd_config`);
    expect(res.headers['content-type']).toBe('application/json');
    const groups = JSON.parse(res.text) as { targets: string[] }[];
    expect(groups).toContainEqual(frontendGroup);
    expect(groups.map((g) => g.targets[0]).sort()).toEqual(['127.0.0.1:40002', `127.0.0.1:${f.port}`].sort());
    expect(JSON.parse((await httpRequest(`${drt.systemServer!.url}/http_sd_config`)).text)).toEqual(groups);
    await f.close(0);
    expect((await discovery.list()).map((i) => i.component)).toEqual(['backend']);
  });

  it('leaves the frontend out of discovery when told not to announce it', async () => {
    const discovery = new StaticDiscovery([worker]);
    await frontend(await runtime(discovery), { announce: false });
    expect((await discovery.list()).map((i) => i.component)).toEqual(['backend']);
  });
});

describe('the advertise host', () => {
  // Tests bind loopback only, so a wildcard bind's announcement is covered by serverUrl's own tests; here,
  // that DYN_ADVERTISE_HOST reaches every server, and that servers bound to one address keep announcing it.
  it('reaches the system status server, while servers bound to loopback announce loopback', async () => {
    const discovery = new StaticDiscovery();
    const drt = await runtime(discovery, new MemoryLogger(), { DYN_ADVERTISE_HOST: 'node-7.fleet.example' });
    const status = drt.systemServer!;
    expect([drt.advertiseHost, status.advertiseHost]).toEqual([
      'node-7.fleet.example',
      'node-7.fleet.example',
    ]);
    await drt
      .namespace('dynamo')
      .component('backend')
      .endpoint('generate')
      .serve(async function* () {
        yield 'ok';
      });
    const f = await frontend(drt);
    const announced = await discovery.list();
    expect(announced.map((i) => [i.component, new URL(i.address).hostname, i.systemStatusUrl])).toEqual([
      ['backend', '127.0.0.1', `http://127.0.0.1:${status.port}`],
      ['frontend', '127.0.0.1', `http://127.0.0.1:${f.port}`],
    ]);
  });

  it('the option wins over the environment', async () => {
    const drt = new DistributedRuntime({
      systemServer: false,
      env: { DYN_ADVERTISE_HOST: 'from-env' },
      advertiseHost: '10.244.1.17',
      discovery: new StaticDiscovery(),
    });
    expect(drt.advertiseHost).toBe('10.244.1.17');
    expect(new DistributedRuntime({ systemServer: false, env: {} }).advertiseHost).toBeUndefined();
  });

  it('refuses a value that is not a host alone, naming the setting', () => {
    expect(
      () =>
        new DistributedRuntime({ systemServer: false, env: { DYN_ADVERTISE_HOST: 'http://node-7:9090' } }),
    ).toThrow(
      'DYN_ADVERTISE_HOST must be a host name or an IP address, got "http://node-7:9090": a host has no scheme, path, credentials or spaces',
    );
    expect(() => new DistributedRuntime({ systemServer: false, env: {}, advertiseHost: '0.0.0.0' })).toThrow(
      'advertiseHost must be a host name or an IP address, got "0.0.0.0": a wildcard address cannot be dialled; name an address of this machine',
    );
  });
});
