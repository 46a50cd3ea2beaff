import { describe, expect, it } from 'vitest';
import { formatStat, formatValue } from '../../src/dashboard/browser/format.js';

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
      formatValue(0.5, 'count'),
      formatValue(999.7, 'count'),
      formatValue(1023.7, 'bytesps'),
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
      '0.5',
      '1k',
      '1020 B/s',
    ]);
  });

  it('are whole in a stat panel when they count (increase extrapolates)', () => {
    expect([
      formatStat(48.7, 'count'),
      formatStat(2480.4, 'tokens'),
      formatStat(435.4, 'tokens'),
      formatStat(-0.2, 'count'),
      formatStat(0.0247, 'seconds'),
      formatStat(Number.NaN, 'count'),
    ]).toEqual(['49', '2.48k', '435', '0', '24.7 ms', '-']);
  });

  it('show a dash for no value', () => {
    expect([
      formatValue(Number.NaN, 'ms'),
      formatValue(null, 'count'),
      formatValue(undefined, 'count'),
    ]).toEqual(['-', '-', '-']);
  });
});
