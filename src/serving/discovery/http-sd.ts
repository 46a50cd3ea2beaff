/**
 * Prometheus HTTP service discovery from what discovery knows: one target group per scrapable address
 * (a worker's system status server, a frontend's HTTP port), labelled with where it sits in the hierarchy.
 *
 * Label names: `dynamo_namespace`, `dynamo_component` and `dynamo_endpoint` are the names (and values)
 * the workers' own series already carry, so a scrape job with `honor_labels: true` keeps every series as it
 * was exposed and only adds them where missing (`up`, uptime, engine pass-through); `instance_id` is the
 * announcing runtime's hex id (upstream's name; for workers it equals their `worker_id`). Upstream's plain
 * `namespace`/`component`/`endpoint` were not used: `namespace` means the Kubernetes namespace to most
 * Prometheus users, and `endpoint` is already a label of the frontend's series (the API route).
 *
 * Several records can point at one address (a worker serving two endpoints, a restart announcing the same
 * port): they become one target, keeping only the labels all of them agree on, so Prometheus never
 * scrapes an address twice.
 */
import { LabelName } from '../../names/labels.js';
import type { WorkerInstance } from './types.js';

/** Target labels of the HTTP-SD answer. */
export const HttpSdLabel = {
  NAMESPACE: LabelName.NAMESPACE,
  COMPONENT: LabelName.COMPONENT,
  ENDPOINT: LabelName.ENDPOINT,
  INSTANCE_ID: 'instance_id',
} as const;

/** One entry of Prometheus's HTTP-SD format. */
export interface HttpSdTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

interface ScrapeAddress {
  readonly key: string;
  readonly target: string;
  /** Prometheus's reserved labels that point the scrape at the right scheme and path. */
  readonly reserved: Readonly<Record<string, string>>;
}

/** Where Prometheus scrapes a status URL: `host:port`, plus `__scheme__`/`__metrics_path__` when not the defaults. */
function scrapeAddress(statusUrl: string): ScrapeAddress | undefined {
  let url: URL;
  try {
    url = new URL(statusUrl);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') return undefined;
  const reserved: Record<string, string> = {};
  if (url.protocol === 'https:') reserved.__scheme__ = 'https';
  const base = url.pathname.replace(/\/+$/, '');
  if (base !== '') reserved.__metrics_path__ = `${base}/metrics`;
  return { key: `${url.protocol}//${url.host}${base}`, target: url.host, reserved };
}

function hierarchyLabels(instance: WorkerInstance): Record<string, string> {
  return {
    [HttpSdLabel.NAMESPACE]: instance.namespace,
    [HttpSdLabel.COMPONENT]: instance.component,
    [HttpSdLabel.ENDPOINT]: instance.endpoint,
    [HttpSdLabel.INSTANCE_ID]: instance.instanceId,
  };
}

/** Keeps the labels on which `a` and `b` agree. */
function agreed(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(a).filter(([k, v]) => b[k] === v));
}

/**
 * The HTTP-SD target groups for `instances`: those without a usable `systemStatusUrl` are left out (there
 * is nothing to scrape), one group per address, sorted by address so the answer is stable.
 */
export function httpSdTargetGroups(instances: readonly WorkerInstance[]): HttpSdTargetGroup[] {
  const byAddress = new Map<string, { address: ScrapeAddress; labels: Record<string, string> }>();
  for (const instance of instances) {
    if (instance.systemStatusUrl === undefined) continue;
    const address = scrapeAddress(instance.systemStatusUrl);
    if (address === undefined) continue;
    const labels = hierarchyLabels(instance);
    const seen = byAddress.get(address.key);
    byAddress.set(address.key, {
      address,
      labels: seen === undefined ? labels : agreed(seen.labels, labels),
    });
  }
  return [...byAddress.values()]
    .sort((a, b) => (a.address.key < b.address.key ? -1 : a.address.key > b.address.key ? 1 : 0))
    .map(({ address, labels }) => ({
      targets: [address.target],
      labels: { ...labels, ...address.reserved },
    }));
}
