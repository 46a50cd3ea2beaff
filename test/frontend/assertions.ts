/** Exact checks on the frontend's exposition, shared by the frontend tests. */
import { expect } from 'vitest';
import type { Metric } from '../../src/core/metric.js';

export const MODEL = 'Mock-Model';
/** Request-path metrics label the model lower-cased; the configuration gauges keep the card's name. */
export const LABEL = 'mock-model';

/** Cumulative bucket counts a histogram with these upper bounds must show for these observations. */
function expectedBuckets(metric: Metric, observations: readonly number[]): [number, number][] {
  return metric.descriptor.upperBounds.map((b) => [b, observations.filter((v) => v <= b).length]);
}

/** The buckets, sum and count of one histogram series, read from the exposition. */
export function histogram(samples: Map<string, number>, name: string, labels: string) {
  const buckets: [number, number][] = [];
  for (const [key, value] of samples) {
    const m = new RegExp(`^${name}_bucket\\{${labels},le="([^"]+)"\\}$`).exec(key);
    if (m) buckets.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), value]);
  }
  return {
    buckets,
    sum: samples.get(`${name}_sum{${labels}}`),
    count: samples.get(`${name}_count{${labels}}`),
  };
}

export function expectHistogram(
  samples: Map<string, number>,
  metric: Metric,
  observations: readonly number[],
  labels = `model="${LABEL}"`,
): void {
  const name = metric.descriptor.name;
  const got = histogram(samples, name, labels);
  expect(got.buckets, name).toEqual(expectedBuckets(metric, observations));
  expect(got.count, name).toBe(observations.length);
  expect(got.sum, name).toBeCloseTo(
    observations.reduce((a, b) => a + b, 0),
    12,
  );
}

/** The in-flight, active, queued and stage gauges: all must read 0 once no request is running. */
export function raisedGauges(samples: Map<string, number>): [string, number][] {
  return [...samples].filter(
    ([k, v]) =>
      /^dynamo_frontend_(inflight_requests|active_requests|queued_requests|stage_requests)\{/.test(k) &&
      v !== 0,
  );
}

/** `requests_total` of one outcome (`errorType` "" is success), or undefined when never counted. */
export function requestsTotal(
  s: Map<string, number>,
  model: string,
  endpoint: string,
  type: 'unary' | 'stream',
  errorType: string,
): number | undefined {
  const status = errorType === '' ? 'success' : 'error';
  return s.get(
    `dynamo_frontend_requests_total{endpoint="${endpoint}",error_type="${errorType}",model="${model}",request_type="${type}",status="${status}"}`,
  );
}
