import { describe, expect, it } from 'vitest';
import { httpSdTargetGroups, type WorkerInstance } from '../../src/serving/index.js';

const worker = (over: Partial<WorkerInstance> = {}): WorkerInstance => ({
  namespace: 'dynamo',
  component: 'backend',
  endpoint: 'generate',
  instanceId: '694d9d78249cbd10',
  address: 'http://127.0.0.1:40001',
  systemStatusUrl: 'http://127.0.0.1:9090',
  ...over,
});

describe('HTTP service discovery target groups', () => {
  it('gives one target per status server, labelled with its place in the hierarchy', () => {
    expect(
      httpSdTargetGroups([
        worker(),
        worker({
          component: 'frontend',
          endpoint: 'http',
          instanceId: 'f1',
          address: 'http://10.0.0.5:8000',
          systemStatusUrl: 'http://10.0.0.5:8000',
        }),
      ]),
    ).toEqual([
      {
        targets: ['10.0.0.5:8000'],
        labels: {
          dynamo_namespace: 'dynamo',
          dynamo_component: 'frontend',
          dynamo_endpoint: 'http',
          instance_id: 'f1',
        },
      },
      {
        targets: ['127.0.0.1:9090'],
        labels: {
          dynamo_namespace: 'dynamo',
          dynamo_component: 'backend',
          dynamo_endpoint: 'generate',
          instance_id: '694d9d78249cbd10',
        },
      },
    ]);
  });

  it('merges records of one address into one target that keeps only the labels they agree on', () => {
    expect(
      httpSdTargetGroups([
        worker(),
        worker({ endpoint: 'clear_kv_blocks' }),
        worker({ endpoint: 'generate' }),
      ]),
    ).toEqual([
      {
        targets: ['127.0.0.1:9090'],
        labels: { dynamo_namespace: 'dynamo', dynamo_component: 'backend', instance_id: '694d9d78249cbd10' },
      },
    ]);
  });

  it('leaves out instances without a usable status URL', () => {
    expect(
      httpSdTargetGroups([
        worker({ systemStatusUrl: undefined }),
        worker({ systemStatusUrl: 'not a url' }),
        worker({ systemStatusUrl: 'ftp://127.0.0.1:21' }),
      ]),
    ).toEqual([]);
  });

  it('points the scrape at https and at a path prefix through the reserved labels', () => {
    expect(
      httpSdTargetGroups([
        worker({ systemStatusUrl: 'https://[::1]:8443/status/' }),
        worker({ instanceId: 'b', systemStatusUrl: 'http://node-1:9090/' }),
      ]).map((g) => [g.targets, g.labels.__scheme__, g.labels.__metrics_path__]),
    ).toEqual([
      [['node-1:9090'], undefined, undefined],
      [['[::1]:8443'], 'https', '/status/metrics'],
    ]);
  });
});
