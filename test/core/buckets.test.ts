import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BUCKETS,
  exponentialBuckets,
  generateLogBuckets,
  isValidLogBucketConfig,
  linearBuckets,
  MAX_LOG_BUCKETS,
  roundToSignificantFigures,
  validateBuckets,
} from '../../src/core/buckets.js';
import { InvalidMetricOptionsError } from '../../src/core/errors.js';

/** Runs `fn` and returns what it threw, failing the test when it did not throw. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** Strictly increasing finite bounds, non-empty. */
const increasingBounds = fc
  .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
    minLength: 1,
    maxLength: 20,
    comparator: (a, b) => a === b,
  })
  .map((values) => values.sort((a, b) => a - b));

describe('DEFAULT_BUCKETS', () => {
  it('are the Prometheus defaults from 5 ms to 10 s', () => {
    expect(DEFAULT_BUCKETS).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);
    expect(Object.isFrozen(DEFAULT_BUCKETS)).toBe(true);
  });
});

describe('validateBuckets', () => {
  it('returns a frozen copy of a valid list and leaves the input alone', () => {
    const input = [0.1, 1, 10];
    const out = validateBuckets('latency_seconds', input);
    expect(out).toEqual([0.1, 1, 10]);
    expect(out).not.toBe(input);
    expect(Object.isFrozen(out)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('accepts a trailing +Inf and drops it, since the +Inf bucket is always implicit', () => {
    const input = [1, 2, Number.POSITIVE_INFINITY];
    expect(validateBuckets('latency_seconds', input)).toEqual([1, 2]);
    expect(input).toHaveLength(3);
  });

  it('accepts negative bounds and zero', () => {
    expect(validateBuckets('delta', [-10, -1, 0, 1])).toEqual([-10, -1, 0, 1]);
  });

  it.each([
    [[Number.NaN], 'bucket bound NaN at index 0 is not a finite number'],
    [[1, Number.NaN, 3], 'bucket bound NaN at index 1 is not a finite number'],
    [[Number.NEGATIVE_INFINITY, 1], 'bucket bound -Infinity at index 0 is not a finite number'],
    [[1, Number.POSITIVE_INFINITY, 2], 'bucket bound Infinity at index 1 is not a finite number'],
    [[1, Number.NEGATIVE_INFINITY], 'bucket bound -Infinity at index 1 is not a finite number'],
    [[1, 2, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 'bucket bound Infinity at index 2'],
  ])('rejects the non-finite bound in %j, naming the metric, the value and its index', (buckets, message) => {
    const error = thrown(() => validateBuckets('latency_seconds', buckets));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toContain('histogram "latency_seconds"');
    expect(error.message).toContain(message);
  });

  it('rejects a bound that is not a number, showing it quoted', () => {
    const error = thrown(() => validateBuckets('latency_seconds', [1, '2' as unknown as number]));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(
      'histogram "latency_seconds": bucket bound "2" at index 1 is not a finite number',
    );
  });

  it('rejects unsorted bounds, naming the metric and both values', () => {
    const error = thrown(() => validateBuckets('latency_seconds', [0.1, 1, 0.5]));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(
      'histogram "latency_seconds": buckets must be strictly increasing, but 0.5 at index 2 follows 1',
    );
  });

  it('rejects duplicate bounds, naming the metric and the value', () => {
    const error = thrown(() => validateBuckets('latency_seconds', [1, 2, 2, 3]));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(
      'histogram "latency_seconds": buckets must be strictly increasing, but 2 at index 2 follows 2',
    );
  });

  it('treats -0 and 0 as the same bound', () => {
    expect(thrown(() => validateBuckets('x', [-0, 0])).message).toContain('0 at index 1 follows -0');
  });

  it('rejects an empty list, naming the metric', () => {
    const error = thrown(() => validateBuckets('latency_seconds', []));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(
      'histogram "latency_seconds": buckets must hold at least one finite bound (+Inf is implicit)',
    );
  });

  it('rejects a list holding only +Inf, which has no finite bound either', () => {
    expect(() => validateBuckets('latency_seconds', [Number.POSITIVE_INFINITY])).toThrow(
      'buckets must hold at least one finite bound',
    );
  });

  it('rejects something that is not an array', () => {
    const error = thrown(() => validateBuckets('latency_seconds', 5 as unknown as number[]));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe('histogram "latency_seconds": buckets must be an array, got 5');
  });

  it('accepts every strictly increasing finite list, with or without a trailing +Inf', () => {
    fc.assert(
      fc.property(increasingBounds, fc.boolean(), (bounds, withInf) => {
        const input = withInf ? [...bounds, Number.POSITIVE_INFINITY] : bounds;
        expect(validateBuckets('m', input)).toEqual(bounds);
      }),
    );
  });

  it('rejects every list in which two neighbours are out of order', () => {
    fc.assert(
      fc.property(increasingBounds, fc.nat(), (bounds, at) => {
        fc.pre(bounds.length >= 2);
        const i = 1 + (at % (bounds.length - 1));
        const swapped = [...bounds];
        [swapped[i - 1], swapped[i]] = [swapped[i], swapped[i - 1]];
        expect(() => validateBuckets('m', swapped)).toThrow(InvalidMetricOptionsError);
      }),
    );
  });
});

describe('linearBuckets', () => {
  it('spaces count bounds width apart from start', () => {
    expect(linearBuckets(0.5, 0.5, 4)).toEqual([0.5, 1, 1.5, 2]);
    expect(linearBuckets(-1, 1, 3)).toEqual([-1, 0, 1]);
    expect(linearBuckets(10, 5, 1)).toEqual([10]);
  });

  it('computes each bound as start + width × i, like rust-prometheus, not by repeated addition', () => {
    // Repeated addition would give 0.7999999999999999 for the eighth bound.
    expect(linearBuckets(0.1, 0.1, 10)).toEqual([
      0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7000000000000001, 0.8, 0.9, 1,
    ]);
  });

  it.each([
    [0, 1, 0],
    [0, 1, -1],
    [0, 1, 1.5],
    [0, 1, Number.NaN],
  ])('rejects start=%s width=%s count=%s, naming the count', (start, width, count) => {
    const error = thrown(() => linearBuckets(start, width, count));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(`linearBuckets: count must be a positive integer, got ${String(count)}`);
  });

  it.each([
    [0, 0],
    [0, -1],
    [Number.NaN, 1],
    [Number.POSITIVE_INFINITY, 1],
    [0, Number.POSITIVE_INFINITY],
  ])('rejects start=%s width=%s, naming both', (start, width) => {
    const error = thrown(() => linearBuckets(start, width, 3));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toContain(`start=${String(start)} width=${String(width)}`);
  });

  it('always produces lists that validateBuckets accepts, for moderate arguments', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        (start, width, count) => {
          const buckets = linearBuckets(start, width, count);
          expect(buckets).toHaveLength(count);
          expect(validateBuckets('m', buckets)).toEqual(buckets);
        },
      ),
    );
  });
});

describe('exponentialBuckets', () => {
  it('multiplies each bound by factor', () => {
    expect(exponentialBuckets(1, 2, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(exponentialBuckets(3, 10, 1)).toEqual([3]);
  });

  it('reproduces the router hashing-phase buckets of PR #8087: 0.001 ms doubling, 15 bounds', () => {
    expect(exponentialBuckets(0.001, 2, 15)).toEqual([
      0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192,
      16.384,
    ]);
  });

  it('reproduces the router async-phase buckets of PR #8087: 0.01 ms tripling, 17 bounds, about 7.2 min', () => {
    const buckets = exponentialBuckets(0.01, 3, 17);
    expect(buckets).toHaveLength(17);
    expect(buckets[0]).toBe(0.01);
    expect(buckets[16]).toBeCloseTo(430467.21, 6);
    expect(validateBuckets('overhead_total_ms', buckets)).toEqual(buckets);
  });

  it.each([
    [0, 2],
    [-1, 2],
    [1, 1],
    [1, 0.5],
    [Number.NaN, 2],
    [Number.POSITIVE_INFINITY, 2],
    [1, Number.POSITIVE_INFINITY],
  ])('rejects start=%s factor=%s, naming both', (start, factor) => {
    const error = thrown(() => exponentialBuckets(start, factor, 3));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toContain(`start=${String(start)} factor=${String(factor)}`);
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => exponentialBuckets(1, 2, 0)).toThrow(
      'exponentialBuckets: count must be a positive integer, got 0',
    );
    expect(() => exponentialBuckets(1, 2, 2.5)).toThrow(InvalidMetricOptionsError);
  });
});

describe('roundToSignificantFigures', () => {
  it.each([
    [0.2356, 0.24],
    [1234, 1200],
    [0.999, 1],
    [99.9, 100],
    [0.0022, 0.0022],
    [127999.99, 130000],
    [-0.2356, -0.24],
    [-1234, -1200],
  ])('rounds %j to %j with two figures (spec §9.2)', (value, expected) => {
    expect(roundToSignificantFigures(value, 2)).toBe(expected);
  });

  it('rounds halves away from zero in both directions', () => {
    expect(roundToSignificantFigures(0.125, 2)).toBe(0.13);
    expect(roundToSignificantFigures(-0.125, 2)).toBe(-0.13);
    expect(roundToSignificantFigures(2.5, 1)).toBe(3);
    expect(roundToSignificantFigures(-2.5, 1)).toBe(-3);
  });

  it('works on the floating-point product like the reference, so 4.35 (really 4.3499…) becomes 4.4', () => {
    // 4.35 × 10 rounds to exactly 43.5 in binary, which then rounds up; decimal rounding would say 4.3.
    expect(roundToSignificantFigures(4.35, 2)).toBe(4.4);
  });

  it('keeps the reference division by an inexact power of ten, even where it is not the nearest double', () => {
    // 76 / 1e-5 in binary: the reference (Rust, powf) produces exactly this value as well.
    expect(roundToSignificantFigures(7577139.558017096, 2)).toBe(7599999.999999999);
  });

  it('uses correctly rounded powers of ten far from 1, like the reference powf', () => {
    expect(roundToSignificantFigures(2.5749335265504408e65, 2)).toBe(2.6e65);
    expect(roundToSignificantFigures(1.0579982390119055e-234, 2)).toBe(1.1e-234);
  });

  it('returns 0, NaN and the infinities unchanged', () => {
    expect(roundToSignificantFigures(0, 2)).toBe(0);
    expect(roundToSignificantFigures(Number.NaN, 2)).toBeNaN();
    expect(roundToSignificantFigures(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(roundToSignificantFigures(Number.NEGATIVE_INFINITY, 2)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('agrees with the spec formula: round half away from zero of v × 10^(f−1−floor(log10 |v|)), divided back', () => {
    const reference = (v: number, f: number) => {
      const exponent = f - 1 - Math.floor(Math.log10(Math.abs(v)));
      const scale = Number.parseFloat(`1e${exponent}`);
      const scaled = v * scale;
      return (Math.sign(scaled) * Math.floor(Math.abs(scaled) + 0.5)) / scale;
    };
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        (magnitude, negative, figures) => {
          const v = negative ? -magnitude : magnitude;
          expect(roundToSignificantFigures(v, figures)).toBe(reference(v, figures));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('generateLogBuckets', () => {
  it.each([
    ['request duration', 1, 512, 10, [0, 2, 4, 8, 16, 32, 64, 130, 260, 510]],
    [
      'input sequence',
      50,
      128000,
      12,
      [0, 100, 210, 430, 870, 1800, 3600, 7400, 15000, 31000, 63000, 130000],
    ],
    ['output sequence', 50, 32000, 10, [0, 100, 210, 430, 880, 1800, 3700, 7600, 16000, 32000]],
    [
      'TTFT',
      0.001,
      480,
      18,
      [0, 0.0022, 0.0047, 0.01, 0.022, 0.047, 0.1, 0.22, 0.47, 1, 2.2, 4.7, 10, 22, 48, 100, 220, 480],
    ],
    ['ITL', 0.001, 2, 13, [0, 0.0019, 0.0035, 0.0067, 0.013, 0.024, 0.045, 0.084, 0.16, 0.3, 0.56, 1.1, 2]],
    [
      'ITL after PR #14839',
      0.001,
      80,
      20,
      [
        0, 0.0018, 0.0033, 0.0059, 0.011, 0.02, 0.035, 0.064, 0.12, 0.21, 0.38, 0.69, 1.2, 2.3, 4.1, 7.4, 13,
        24, 44, 80,
      ],
    ],
    // Not listed by the reference; derived with 50-digit arithmetic from the same formula (no value lies
    // near a rounding boundary, so floating point cannot change it).
    [
      'embedding latency',
      0.001,
      10,
      14,
      [0, 0.002, 0.0041, 0.0084, 0.017, 0.035, 0.07, 0.14, 0.29, 0.59, 1.2, 2.4, 4.9, 10],
    ],
  ] as const)('reproduces the %s default buckets exactly (spec §6.3)', (_name, min, max, count, expected) => {
    const { buckets, duplicatesRemoved } = generateLogBuckets(min, max, count);
    expect(buckets).toEqual(expected);
    expect(duplicatesRemoved).toBe(0);
  });

  it('gives [] for count 0 and [0] for count 1', () => {
    expect(generateLogBuckets(1, 100, 0)).toEqual({ buckets: [], duplicatesRemoved: 0 });
    expect(generateLogBuckets(1, 100, 1)).toEqual({ buckets: [0], duplicatesRemoved: 0 });
  });

  it('gives [0, max] for count 2, so min itself never becomes a bucket', () => {
    expect(generateLogBuckets(1, 100, 2).buckets).toEqual([0, 100]);
  });

  it('gives count buckets ending at max when rounding creates no duplicates: (1, 100, 5)', () => {
    const { buckets, duplicatesRemoved } = generateLogBuckets(1, 100, 5);
    expect(buckets).toEqual([0, 3.2, 10, 32, 100]);
    expect(buckets).toHaveLength(5);
    expect(buckets.at(-1)).toBe(100);
    expect(duplicatesRemoved).toBe(0);
  });

  it('deduplicates 1000 requested buckets over 4 decades to fewer than 500 (spec §9.2)', () => {
    const { buckets, duplicatesRemoved } = generateLogBuckets(1, 10000, 1000);
    expect(buckets.length).toBeLessThan(500);
    expect(buckets.length + duplicatesRemoved).toBe(1000);
    expect(new Set(buckets).size).toBe(buckets.length);
    expect(buckets.at(-1)).toBe(10000);
  });

  it('stays strictly increasing where rounding lands an ulp under 1e6, dropping the stray value as a duplicate', () => {
    // Values just over 1e6 round to 10 / 1e-5 = 999999.9999999999, after 1000000 from values just under it.
    const { buckets } = generateLogBuckets(1e4, 1e8, 1000);
    const at = buckets.indexOf(1000000);
    expect(buckets.slice(at - 2, at + 3)).toEqual([980000, 990000, 1000000, 1100000, 1200000]);
    expect(buckets).not.toContain(999999.9999999999);
  });

  it('always starts with 0, is strictly increasing, has two significant figures and accounts for every duplicate', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 1.0001, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (min, ratio, count) => {
          const { buckets, duplicatesRemoved } = generateLogBuckets(min, min * ratio, count);
          expect(buckets[0]).toBe(0);
          for (let i = 1; i < buckets.length; i++) {
            expect(buckets[i]).toBeGreaterThan(buckets[i - 1]);
            // Two figures up to the last bit: dividing by an inexact power of ten may be an ulp off.
            const twoFigures = Number(buckets[i].toPrecision(2));
            expect(Math.abs(twoFigures - buckets[i])).toBeLessThanOrEqual(buckets[i] * Number.EPSILON);
          }
          expect(buckets.length + duplicatesRemoved).toBe(count);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches the spec formula exp(ln min + (ln max − ln min) × i / (count − 1)) rounded to 2 figures, keeping only increasing values', () => {
    const reference = (min: number, max: number, count: number) => {
      const out = [0];
      for (let i = 1; i < count; i++) {
        const value = Math.exp(Math.log(min) + ((Math.log(max) - Math.log(min)) * i) / (count - 1));
        const exponent = 1 - Math.floor(Math.log10(value));
        const scale = Number.parseFloat(`1e${exponent}`);
        const rounded = Math.floor(value * scale + 0.5) / scale;
        if (rounded > out[out.length - 1]) out.push(rounded);
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1e9, noNaN: true }),
        fc.double({ min: 1.001, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: MAX_LOG_BUCKETS }),
        (min, ratio, count) => {
          expect(generateLogBuckets(min, min * ratio, count).buckets).toEqual(
            reference(min, min * ratio, count),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    [0, 10, 5],
    [-1, 10, 5],
    [10, 10, 5],
    [10, 1, 5],
    [Number.NaN, 10, 5],
    [1, Number.POSITIVE_INFINITY, 5],
    [0, 10, 1],
  ] as const)('rejects min=%s max=%s (count %s), naming both', (min, max, count) => {
    const error = thrown(() => generateLogBuckets(min, max, count));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(
      `log buckets need finite 0 < min < max, got min=${String(min)} max=${String(max)}`,
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects count=%s, naming it', (count) => {
    const error = thrown(() => generateLogBuckets(1, 10, count));
    expect(error).toBeInstanceOf(InvalidMetricOptionsError);
    expect(error.message).toBe(`log buckets need a non-negative integer count, got count=${String(count)}`);
  });
});

describe('isValidLogBucketConfig', () => {
  it('accepts every default of the reference table', () => {
    expect(isValidLogBucketConfig(1, 512, 10)).toBe(true);
    expect(isValidLogBucketConfig(0.001, 80, 20)).toBe(true);
    expect(isValidLogBucketConfig(1, 2, MAX_LOG_BUCKETS)).toBe(true);
  });

  it.each([
    ['min 0', 0, 10, 5],
    ['a negative min', -1, 10, 5],
    ['min equal to max', 10, 10, 5],
    ['min above max', 10, 1, 5],
    ['a NaN min', Number.NaN, 10, 5],
    ['an infinite max', 1, Number.POSITIVE_INFINITY, 5],
    ['count 0', 1, 10, 0],
    ['a negative count', 1, 10, -1],
    ['a fractional count', 1, 10, 2.5],
    ['count 513', 1, 10, 513],
  ])('rejects %s', (_why, min, max, count) => {
    expect(isValidLogBucketConfig(min, max, count)).toBe(false);
  });

  it('caps configuration at 512 buckets', () => {
    expect(MAX_LOG_BUCKETS).toBe(512);
  });
});
