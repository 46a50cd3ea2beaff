import { describe, expect, it } from 'vitest';
import {
  comparisonsAsBool,
  cookbookExpressions,
  labelValuesQuery,
  shippedExpressions,
  substitute,
} from './helpers/expressions.js';

const values = { model: 'llama', rateInterval: '4s', range: '1m' };

describe('finding the shipped expressions', () => {
  it('finds every dashboard target, variable, rule and cookbook query', () => {
    const kinds = new Map<string, number>();
    for (const e of shippedExpressions()) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ variable: 2, panel: 78, record: 21, alert: 5, cookbook: 7 });
  });

  it('reads the cookbook from the README section only', () => {
    const readme = [
      '## Other',
      '```promql\nup\n```',
      '## Running with Prometheus and Grafana',
      'text',
      '```promql\nsum(a)\n```',
      '```ts\nnot(promql)\n```',
      '```promql\nrate(b[5m])\n```',
      '## Next',
      '```promql\nc\n```',
    ].join('\n');
    expect(cookbookExpressions(readme).map((e) => e.expr)).toEqual(['sum(a)', 'rate(b[5m])']);
  });

  it('splits a label_values() variable query', () => {
    expect(labelValuesQuery('label_values(vllm:num_requests_running, model)')).toEqual({
      expr: 'vllm:num_requests_running',
      label: 'model',
    });
    expect(() => labelValuesQuery('query_result(up)')).toThrow('not a label_values() query');
  });
});

describe('filling in Grafana variables', () => {
  it('replaces the model, rate interval and range', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's `${model}` form of the variable.
    const braced = 'b{m="${model}"}';
    expect(
      substitute(`sum(increase(a{model="$model"}[$__range])) / rate(${braced}[$__rate_interval])`, values),
    ).toBe('sum(increase(a{model="llama"}[1m])) / rate(b{m="llama"}[4s])');
  });

  it('refuses a variable it does not know', () => {
    expect(() => substitute('rate(a[$__interval])', values)).toThrow('unknown template variable');
  });
});

describe('comparisons as bool', () => {
  it.each([
    ['up{job="x"} == 0', 'up{job="x"} == bool 0'],
    ['a > 2', 'a > bool 2'],
    ['sum by (i) (a) > 0 and sum by (i) (b) == 0', 'sum by (i) (a) > bool 0 and sum by (i) (b) == bool 0'],
    ['(a >= on(i) b) > 1', '(a >= bool on(i) b) > bool 1'],
    ['a > bool 1', 'a > bool 1'],
    ['sum(a) / sum(b)', 'sum(a) / sum(b)'],
  ])('turns %s into %s', (expr, expected) => {
    expect(comparisonsAsBool(expr)).toBe(expected);
  });
});
