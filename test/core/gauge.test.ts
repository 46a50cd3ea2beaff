import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gauge, GaugeVec, IntGauge, IntGaugeVec, InvalidValueError } from '../../src/core/index.js';
import { openMetrics, text } from '../helpers/expose.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Gauge', () => {
  it('sets, increments and decrements', () => {
    const g = new Gauge({ name: 'temperature_celsius', help: 'Temperature.' });
    g.set(21.5);
    g.inc();
    g.dec(0.25);
    g.inc(-2);
    expect(g.value).toBe(20.25);
    expect(text(g)).toBe(
      '# HELP temperature_celsius Temperature.\n# TYPE temperature_celsius gauge\ntemperature_celsius 20.25\n',
    );
    expect(openMetrics(g)).toBe(
      '# HELP temperature_celsius Temperature.\n# TYPE temperature_celsius gauge\ntemperature_celsius 20.25\n# EOF\n',
    );
  });

  it('accepts NaN and infinities through set, and writes them the Prometheus way', () => {
    const g = new Gauge({ name: 'ratio', help: 'Ratio.' });
    g.set(Number.NaN);
    expect(text(g)).toContain('ratio NaN\n');
    g.set(Number.NEGATIVE_INFINITY);
    expect(text(g)).toContain('ratio -Inf\n');
    g.set(Number.POSITIVE_INFINITY);
    expect(openMetrics(g)).toContain('ratio +Inf\n');
  });

  it('rejects non-finite increments so one bad delta cannot poison the value', () => {
    const g = new Gauge({ name: 'queue_depth', help: 'Depth.' });
    g.set(3);
    expect(() => g.inc(Number.NaN)).toThrow(InvalidValueError);
    expect(() => g.dec(Number.POSITIVE_INFINITY)).toThrow(
      'gauge increments must be finite numbers, got -Infinity',
    );
    expect(() => g.set('4' as unknown as number)).toThrow('gauge values must be numbers, got "4"');
    expect(g.value).toBe(3);
  });

  it('sets itself to the current Unix time', () => {
    vi.useFakeTimers({ now: 1_764_100_000_500 });
    const g = new Gauge({ name: 'last_seen_timestamp_seconds', help: 'When.' });
    g.setToCurrentTime();
    expect(g.value).toBe(1_764_100_000.5);
  });

  it('times a section and sets itself to the elapsed seconds', async () => {
    const g = new Gauge({ name: 'last_run_seconds', help: 'Run time.' });
    const end = g.startTimer();
    await new Promise((r) => setTimeout(r, 20));
    const seconds = end();
    expect(seconds).toBeGreaterThanOrEqual(0.015);
    expect(seconds).toBeLessThan(5);
    expect(g.value).toBe(seconds);
  });
});

describe('IntGauge', () => {
  it('accepts only safe integers and clamps to +-(2^53 - 1)', () => {
    const g = new IntGauge({ name: 'blocks', help: 'Blocks.' });
    g.set(-42);
    expect(() => g.set(0.5)).toThrow('integer gauge values must be safe integers, got 0.5');
    expect(() => g.inc(2 ** 60)).toThrow(InvalidValueError);
    expect(g.value).toBe(-42);
    g.set(Number.MAX_SAFE_INTEGER);
    g.inc(10);
    expect(g.value).toBe(Number.MAX_SAFE_INTEGER);
    g.set(-Number.MAX_SAFE_INTEGER);
    g.dec(10);
    expect(g.value).toBe(-Number.MAX_SAFE_INTEGER);
    expect(text(g)).toContain('blocks -9007199254740991\n');
  });

  it('prints large values as plain integers in both formats', () => {
    const g = new IntGauge({ name: 'blocks', help: 'Blocks.' });
    g.set(123_456_789_012);
    expect(text(g)).toContain('blocks 123456789012\n');
    expect(openMetrics(g)).toContain('blocks 123456789012\n');
  });

  it('uses whole seconds for the current time and for timers', () => {
    vi.useFakeTimers({ now: 1_764_100_000_900 });
    const g = new IntGauge({ name: 'start_time_seconds', help: 'Start.' });
    g.setToCurrentTime();
    expect(g.value).toBe(1_764_100_000);
  });
});

describe('GaugeVec and IntGaugeVec', () => {
  it('keep one value per label set', () => {
    const v = new GaugeVec({ name: 'kv_usage_ratio', help: 'Usage.', labelNames: ['worker'] });
    v.labels('b').set(0.5);
    v.labels('a').set(0.25);
    const iv = new IntGaugeVec({ name: 'inflight_requests', help: 'In flight.', labelNames: ['model'] });
    iv.labels('m').inc();
    iv.labels('m').inc();
    iv.labels('m').dec();
    expect(text(v)).toBe(
      '# HELP kv_usage_ratio Usage.\n# TYPE kv_usage_ratio gauge\nkv_usage_ratio{worker="a"} 0.25\nkv_usage_ratio{worker="b"} 0.5\n',
    );
    expect(text(iv)).toBe(
      '# HELP inflight_requests In flight.\n# TYPE inflight_requests gauge\ninflight_requests{model="m"} 1\n',
    );
  });
});
