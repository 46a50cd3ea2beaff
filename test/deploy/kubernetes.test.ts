/**
 * The Kubernetes manifests, read with the strict YAML reader and checked against each other and against
 * reference spec §8.2: the monitors select the example pods by their Dynamo labels, scrape ports those pods
 * name, with the intervals, `honorLabels` and relabelling of the reference, and set the job names the rules
 * use; the ServiceMonitor alternative goes through Services that select the same pods and name the same
 * ports.
 */
import { describe, expect, it } from 'vitest';
import { deployYamlDocuments } from './helpers/assets.js';

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values: string[] }[];
}

interface Relabeling {
  sourceLabels?: string[];
  targetLabel: string;
  replacement?: string;
}

interface MetricsEndpoint {
  port: string;
  path: string;
  interval: string;
  honorLabels?: boolean;
  relabelings: Relabeling[];
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    namespaceSelector?: { any: boolean };
    selector?: Selector | Record<string, string>;
    podMetricsEndpoints?: MetricsEndpoint[];
    endpoints?: MetricsEndpoint[];
    ports?: { name: string; port: number; targetPort: string }[];
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: {
          name: string;
          args?: string[];
          ports: { name: string; containerPort: number }[];
          env?: { name: string; value?: string; valueFrom?: unknown }[];
        }[];
      };
    };
  };
}

const podMonitors = deployYamlDocuments<Manifest>('kubernetes/podmonitors.yaml');
const serviceFile = deployYamlDocuments<Manifest>('kubernetes/servicemonitors.yaml');
const examples = deployYamlDocuments<Manifest>('kubernetes/example-deployments.yaml');
const serviceMonitors = serviceFile.filter((m) => m.kind === 'ServiceMonitor');
const services = serviceFile.filter((m) => m.kind === 'Service');
const pods = examples.filter((m) => m.kind === 'Deployment');

function selects(selector: Selector, labels: Record<string, string>): boolean {
  return (
    Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
    (selector.matchExpressions ?? []).every((e) => {
      if (e.operator !== 'In') throw new Error(`operator ${e.operator} not handled`);
      return e.values.includes(labels[e.key]);
    })
  );
}

const podLabels = (d: Manifest) => d.spec.template?.metadata.labels ?? {};
const containerPorts = (d: Manifest) => d.spec.template?.spec.containers.flatMap((c) => c.ports) ?? [];

const FRONTEND_ENDPOINT: Omit<MetricsEndpoint, 'port'> = {
  path: '/metrics',
  interval: '5s',
  honorLabels: true,
  relabelings: [
    {
      sourceLabels: ['__meta_kubernetes_pod_label_nvidia_com_dynamo_namespace'],
      targetLabel: 'dynamo_namespace',
    },
    { targetLabel: 'job', replacement: 'dynamo-frontend' },
  ],
};
const WORKER_ENDPOINT: Omit<MetricsEndpoint, 'port'> = {
  path: '/metrics',
  interval: '5s',
  relabelings: [
    {
      sourceLabels: ['__meta_kubernetes_pod_label_nvidia_com_dynamo_component_type'],
      targetLabel: 'dynamo_component_type',
    },
    { targetLabel: 'job', replacement: 'dynamo-backend' },
  ],
};

describe.each([
  { kind: 'PodMonitor', monitors: podMonitors, endpoints: (m: Manifest) => m.spec.podMetricsEndpoints },
  { kind: 'ServiceMonitor', monitors: serviceMonitors, endpoints: (m: Manifest) => m.spec.endpoints },
])('the $kind resources', ({ kind, monitors, endpoints }) => {
  it('are a frontend and a worker monitor of monitoring.coreos.com/v1, in every namespace', () => {
    expect(monitors.map((m) => [m.apiVersion, m.kind, m.metadata.name])).toEqual([
      ['monitoring.coreos.com/v1', kind, 'dynamo-frontend'],
      ['monitoring.coreos.com/v1', kind, 'dynamo-worker'],
    ]);
    for (const m of monitors) expect(m.spec.namespaceSelector).toEqual({ any: true });
  });

  it('select frontends and workers (worker, prefill, decode) that have metrics enabled', () => {
    const [frontend, worker] = monitors.map((m) => m.spec.selector as Selector);
    const labels = (type: string, enabled = 'true') => ({
      'nvidia.com/dynamo-component-type': type,
      'nvidia.com/metrics-enabled': enabled,
    });
    expect(
      ['frontend', 'worker', 'prefill', 'decode', 'planner'].map((t) => selects(frontend, labels(t))),
    ).toEqual([true, false, false, false, false]);
    expect(
      ['frontend', 'worker', 'prefill', 'decode', 'planner'].map((t) => selects(worker, labels(t))),
    ).toEqual([false, true, true, true, false]);
    expect(selects(frontend, labels('frontend', 'false'))).toBe(false);
    expect(selects(worker, labels('worker', 'false'))).toBe(false);
  });

  it('scrape port http of frontends (honoring their labels) and port system of workers', () => {
    const [frontend, worker] = monitors.map(endpoints);
    expect(frontend).toEqual([{ port: 'http', ...FRONTEND_ENDPOINT }]);
    expect(worker).toEqual([{ port: 'system', ...WORKER_ENDPOINT }]);
  });
});

describe('the example Deployments', () => {
  it('carry the labels the PodMonitors select, and name the ports they scrape', () => {
    expect(pods.map((d) => d.metadata.name)).toEqual(['dynamo-frontend', 'dynamo-worker']);
    for (const monitor of podMonitors) {
      const selected = pods.filter((d) => selects(monitor.spec.selector as Selector, podLabels(d)));
      expect(selected, monitor.metadata.name).toHaveLength(1);
      const port = monitor.spec.podMetricsEndpoints?.[0].port;
      expect(containerPorts(selected[0]).map((p) => p.name)).toContain(port);
    }
  });

  it('bind every server to the pod IP, so that what they announce is reachable from other pods', () => {
    const [frontend, worker] = pods.map((d) => d.spec.template?.spec.containers[0]);
    expect(frontend?.args?.join(' ')).toContain('--host $(POD_IP)');
    expect(worker?.args?.join(' ')).toContain('--request-host $(POD_IP)');
    for (const c of [frontend, worker]) {
      expect(c?.env?.find((e) => e.name === 'POD_IP')?.valueFrom).toEqual({
        fieldRef: { fieldPath: 'status.podIP' },
      });
    }
  });

  it('run the worker with its system status server on the port named system', () => {
    const worker = pods.find((d) => d.metadata.name === 'dynamo-worker') as Manifest;
    const env = Object.fromEntries(
      (worker.spec.template?.spec.containers[0].env ?? []).map((e) => [e.name, e.value]),
    );
    const system = containerPorts(worker).find((p) => p.name === 'system');
    expect(env.DYN_SYSTEM_PORT).toBe(String(system?.containerPort));
    expect(env.DYN_SYSTEM_HOST).toBe('$(POD_IP)');
  });
});

describe('the Services behind the ServiceMonitors', () => {
  it('select the example pods, and expose their named ports to the monitors', () => {
    for (const monitor of serviceMonitors) {
      const matching = services.filter((s) =>
        selects(monitor.spec.selector as Selector, s.metadata.labels ?? {}),
      );
      expect(matching, monitor.metadata.name).toHaveLength(1);
      const service = matching[0];
      const port = monitor.spec.endpoints?.[0].port;
      const servicePort = service.spec.ports?.find((p) => p.name === port);
      expect(servicePort, `${service.metadata.name} port ${port}`).toBeDefined();
      const backing = pods.filter((d) =>
        selects({ matchLabels: service.spec.selector as Record<string, string> }, podLabels(d)),
      );
      expect(backing, service.metadata.name).toHaveLength(1);
      expect(containerPorts(backing[0]).find((p) => p.name === servicePort?.targetPort)?.containerPort).toBe(
        servicePort?.port,
      );
    }
  });
});
