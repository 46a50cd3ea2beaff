import { describe, expect, it } from 'vitest';
import { EngineOptionsError, resolveEngineOptions } from '../../src/engine/index.js';

const AUTO = {
  dynamo_namespace: 'dynamo',
  dynamo_component: 'backend',
  dynamo_endpoint: 'generate',
  worker_id: 'abc',
};

describe('engine options', () => {
  it('injects auto labels over model labels over custom labels, sorted', () => {
    const r = resolveEngineOptions(
      { modelName: 'Llama-3', customLabels: { team: 'a', model: 'custom-model', dynamo_endpoint: 'custom' } },
      AUTO,
    );
    expect(r.inject).toEqual([
      { name: 'dynamo_component', value: 'backend' },
      { name: 'dynamo_endpoint', value: 'generate' },
      { name: 'dynamo_namespace', value: 'dynamo' },
      { name: 'model', value: 'Llama-3' },
      { name: 'model_name', value: 'Llama-3' },
      { name: 'team', value: 'a' },
      { name: 'worker_id', value: 'abc' },
    ]);
  });

  it('leaves the auto labels out when asked to', () => {
    expect(resolveEngineOptions({ injectAutoLabels: false }, AUTO).inject).toEqual([]);
  });

  it.each([
    [
      { customLabels: { le: '1' } },
      'custom label name "le" cannot be injected: it belongs to histogram buckets and summary quantiles',
    ],
    [{ customLabels: { quantile: '0.5' } }, 'custom label name "quantile" cannot be injected'],
    [{ customLabels: { __meta: 'x' } }, 'custom label name "__meta" is reserved'],
    [
      { customLabels: { 'bad-name': 'x' } },
      'custom label name "bad-name" is not a valid Prometheus label name',
    ],
    [{ customLabels: { ok: 3 } }, 'custom label "ok" needs a string value, got 3'],
    [{ customLabels: { ok: '\ud800' } }, 'custom label "ok" needs a string value'],
    [{ modelName: 42 }, 'model label "model" needs a string value, got 42'],
    [
      { metricPrefixFilters: 'vllm:' },
      'metricPrefixFilters must be a list of non-empty strings, got "vllm:"',
    ],
    [{ excludePrefixes: [''] }, 'excludePrefixes must be a list of non-empty strings'],
    [{ addPrefix: '1abc' }, 'addPrefix "1abc" is not a valid start of a metric name'],
    [{ timeoutMs: 0 }, 'timeoutMs and maxBytes must be positive'],
  ])('refuses %j at registration', (options, message) => {
    expect(() => resolveEngineOptions(options as never, AUTO)).toThrow(EngineOptionsError);
    expect(() => resolveEngineOptions(options as never, AUTO)).toThrow(message);
  });
});
