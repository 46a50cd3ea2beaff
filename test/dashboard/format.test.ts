import { describe, expect, it } from 'vitest';
import { formatValue } from '../../src/dashboard/browser/format.js';

describe('panel values', () => {
  it('are shown with three significant digits and their unit', () => {
    expect([
      formatValue(99.51, 'percent'),
      formatValue(0.2346, 'fraction'),
      formatValue(0.0247, 'seconds'),
      formatValue(12.34, 'seconds'),
      formatValue(24.7, 'ms'),
      formatValue(1234, 'reqps'),
      formatValue(0.5, 'reqps'),
      formatValue(3_500_000, 'bytesps'),
      formatValue(512, 'bytesps'),
      formatValue(20_345, 'tokens'),
      formatValue(114, 'count'),
      formatValue(0, 'count'),
    ]).toEqual([
      '99.5%',
      '23.5%',
      '24.7 ms',
      '12.3 s',
      '24.7 ms',
      '1.23k/s',
      '0.5/s',
      '3.34 MiB/s',
      '512 B/s',
      '20.3k',
      '114',
      '0',
    ]);
  });

  it('show a dash for no value', () => {
    expect([
      formatValue(Number.NaN, 'ms'),
      formatValue(null, 'count'),
      formatValue(undefined, 'count'),
    ]).toEqual(['-', '-', '-']);
  });
});
