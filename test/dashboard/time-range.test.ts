import { describe, expect, it } from 'vitest';
import { MIN_SPAN_MS, rateIntervalMs, shownSpanMs, stepMs } from '../../src/dashboard/browser/time-range.js';

const MINUTE = 60_000;
const NOW = 1_800_000_000_000;

describe('the span the charts show', () => {
  it('is the chosen range when the data is older, or when when it starts is unknown', () => {
    expect(shownSpanMs(15 * MINUTE, NOW, NOW - 60 * MINUTE)).toBe(15 * MINUTE);
    expect(shownSpanMs(15 * MINUTE, NOW, undefined)).toBe(15 * MINUTE);
    expect(shownSpanMs(15 * MINUTE, NOW, Number.NaN)).toBe(15 * MINUTE);
  });

  it('starts where the data starts, so a fresh deployment fills the charts', () => {
    expect(shownSpanMs(15 * MINUTE, NOW, NOW - 4 * MINUTE)).toBe(4 * MINUTE);
    expect(shownSpanMs(24 * 60 * MINUTE, NOW, NOW - 90 * MINUTE)).toBe(90 * MINUTE);
  });

  it('is never shorter than a minute', () => {
    expect(MIN_SPAN_MS).toBe(MINUTE);
    expect(shownSpanMs(15 * MINUTE, NOW, NOW - 10_000)).toBe(MINUTE);
    expect(shownSpanMs(15 * MINUTE, NOW, NOW + 5_000)).toBe(MINUTE);
  });

  it('gets the step and rate window of the span shown: a 24 h range over 90 minutes of data is drawn at 23 s steps, not 6 min', () => {
    const scrape = 5_000;
    expect([stepMs(24 * 60 * MINUTE, scrape), stepMs(90 * MINUTE, scrape)]).toEqual([360_000, 23_000]);
    expect(rateIntervalMs(stepMs(90 * MINUTE, scrape), scrape)).toBe(28_000);
  });
});
