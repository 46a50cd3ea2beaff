import { describe, expect, it } from 'vitest';
import { Counter, CounterVec, IntCounter, IntCounterVec, InvalidValueError } from '../../src/core/index.js';
import { openMetrics, text } from '../helpers/expose.js';

describe('Counter', () => {
  it('starts at zero and is exposed before its first increment', () => {
    const c = new Counter({ name: 'jobs_total', help: 'Jobs done.' });
    expect(c.value).toBe(0);
    expect(text(c)).toBe('# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 0\n');
  });

  it('adds one by default and any finite non-negative amount', () => {
    const c = new Counter({ name: 'jobs_total', help: 'Jobs done.' });
    c.inc();
    c.inc(2.5);
    c.inc(0);
    expect(c.value).toBe(3.5);
    expect(text(c)).toBe('# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3.5\n');
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['1' as unknown as number, '"1"'],
  ])('rejects the increment %s with an error naming the metric and the value', (amount, shown) => {
    const c = new Counter({ name: 'jobs_total', help: 'Jobs done.' });
    c.inc(4);
    expect(() => c.inc(amount)).toThrow(InvalidValueError);
    expect(() => c.inc(amount)).toThrow(
      `metric "jobs_total": counter increments must be finite numbers >= 0, got ${shown}`,
    );
    expect(c.value).toBe(4);
  });

  it('is written in OpenMetrics as the family without _total, with float values', () => {
    const c = new Counter({ name: 'jobs_total', help: 'Jobs "done".' });
    c.inc(3);
    expect(openMetrics(c)).toBe('# HELP jobs Jobs \\"done\\".\n# TYPE jobs counter\njobs_total 3.0\n# EOF\n');
  });

  it('moves its created time on reset', () => {
    const c = new Counter({ name: 'jobs_total', help: 'Jobs done.' });
    const created = c.child.created;
    expect(created).toBeGreaterThan(Date.now() / 1000 - 60);
    c.inc(5);
    c.child.reset();
    expect(c.value).toBe(0);
    expect(c.child.created).toBeGreaterThanOrEqual(created);
  });
});

describe('IntCounter', () => {
  it('accepts only safe integers and prints them without exponent or fraction', () => {
    const c = new IntCounter({ name: 'bytes_total', help: 'Bytes.' });
    c.inc(1_234_567_890);
    expect(() => c.inc(1.5)).toThrow('integer counter increments must be safe integers >= 0, got 1.5');
    expect(() => c.inc(-1)).toThrow(InvalidValueError);
    expect(() => c.inc(2 ** 53)).toThrow(InvalidValueError);
    expect(text(c)).toBe('# HELP bytes_total Bytes.\n# TYPE bytes_total counter\nbytes_total 1234567890\n');
    expect(openMetrics(c)).toBe('# HELP bytes Bytes.\n# TYPE bytes counter\nbytes_total 1234567890\n# EOF\n');
  });

  it('saturates at 2^53 - 1 instead of losing precision or wrapping', () => {
    const c = new IntCounter({ name: 'bytes_total', help: 'Bytes.' });
    c.inc(Number.MAX_SAFE_INTEGER - 1);
    c.inc(5);
    expect(c.value).toBe(Number.MAX_SAFE_INTEGER);
    c.inc(1);
    expect(c.value).toBe(Number.MAX_SAFE_INTEGER);
    expect(text(c)).toContain('bytes_total 9007199254740991\n');
  });

  it('a float counter of the same value prints the Go way instead', () => {
    const c = new Counter({ name: 'bytes_total', help: 'Bytes.' });
    c.inc(1_234_567_890);
    expect(text(c)).toContain('bytes_total 1.23456789e+09\n');
  });
});

describe('CounterVec and IntCounterVec', () => {
  it('expose nothing until a label set is used, then one series per label set in label order', () => {
    const v = new CounterVec({
      name: 'http_requests_total',
      help: 'Requests.',
      labelNames: ['method', 'code'],
    });
    expect(text(v)).toBe('');
    v.labels('POST', '500').inc();
    v.labels({ method: 'GET', code: '200' }).inc(2);
    v.labels('GET', '200').inc();
    expect(text(v)).toBe(
      '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n' +
        'http_requests_total{code="200",method="GET"} 3\n' +
        'http_requests_total{code="500",method="POST"} 1\n',
    );
  });

  it('names the series in the error for a bad increment on a child', () => {
    const v = new IntCounterVec({ name: 'errs_total', help: 'Errors.', labelNames: ['error_type'] });
    expect(() => v.labels('generate').inc(0.5)).toThrow(
      'metric "errs_total{error_type=\\"generate\\"}": integer counter increments must be safe integers >= 0, got 0.5',
    );
  });
});
