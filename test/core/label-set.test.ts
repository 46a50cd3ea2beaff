import { describe, expect, it } from 'vitest';
import { CounterVec, Registry } from '../../src/core/index.js';
import { fixedLabels } from '../../src/core/label-set.js';
import { mergeFamilies } from '../../src/core/merge.js';
import { parseExposition } from '../../src/expfmt/parser.js';

function endpointCounter(endpoint: string): CounterVec<readonly ['model']> {
  return new CounterVec({
    name: 'requests_total',
    help: 'Requests.',
    labelNames: ['model'] as const,
    constLabels: { dynamo_endpoint: endpoint, worker_id: 'a1' },
  });
}

describe('fixed labels of a family', () => {
  it('are the const labels of a registry metric, described once however often it is gathered', () => {
    const registry = new Registry();
    const counter = registry.register(endpointCounter('generate'));
    counter.labels('llama').inc();
    counter.labels('qwen').inc();
    const [first] = registry.gather();
    const [second] = registry.gather();
    expect(second).not.toBe(first);
    expect(fixedLabels(second)).toBe(fixedLabels(first));
    expect(fixedLabels(first)).toEqual({
      labels: [
        { name: 'dynamo_endpoint', value: 'generate' },
        { name: 'worker_id', value: 'a1' },
      ],
      names: 'dynamo_endpoint,worker_id',
      key: 'dynamo_endpoint=8:generateworker_id=2:a1',
    });
  });

  it('are the labels every series of parsed text shares', () => {
    const [family] = parseExposition(
      '# TYPE x gauge\nx{engine="0",model="m",z="1"} 1\nx{engine="1",model="m",z="1"} 2\nx{engine="2",model="m",z="2"} 3\n',
    );
    expect(fixedLabels(family).labels).toEqual([{ name: 'model', value: 'm' }]);
  });

  it('are none for a family without series', () => {
    expect(fixedLabels({ name: 'x', help: '', type: 'gauge', unit: '', series: [] }).labels).toEqual([]);
  });
});

describe('merging families by fixed labels', () => {
  it('keeps every series when the contributions differ in a fixed label', () => {
    const a = endpointCounter('generate');
    const b = endpointCounter('prefill');
    a.labels('llama').inc();
    b.labels('llama').inc(2);
    const drops: unknown[] = [];
    const [family] = mergeFamilies(
      [
        { families: [a.collect()!], origin: 'a' },
        { families: [b.collect()!], origin: 'b' },
      ],
      (d) => drops.push(d),
    );
    expect(family.series.map((s) => (s as { value: number }).value)).toEqual([1, 2]);
    expect(drops).toEqual([]);
  });

  it('finds a duplicate when two contributions share their fixed labels', () => {
    const a = endpointCounter('generate');
    const b = endpointCounter('generate');
    a.labels('llama').inc();
    b.labels('llama').inc(2);
    b.labels('qwen').inc(3);
    const drops: { kind: string; origin: string }[] = [];
    const [family] = mergeFamilies(
      [
        { families: [a.collect()!], origin: 'a' },
        { families: [b.collect()!], origin: 'b' },
      ],
      (d) => drops.push(d),
    );
    expect(family.series.map((s) => (s as { value: number }).value)).toEqual([1, 3]);
    expect(drops.map((d) => [d.kind, d.origin])).toEqual([['duplicate-series', 'b']]);
  });
});
