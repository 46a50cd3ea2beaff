import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFloat, formatInteger, formatOpenMetricsFloat } from '../../src/expfmt/number.js';

/**
 * An independent rendering of Go's `strconv.FormatFloat(v, 'g', -1, 64)` plus the special cases of
 * prometheus/common's writer, written from the reference text (§1.5): take the shortest round-trip digits
 * (JavaScript's, read back out of `String(x)` whatever notation it chose), let E be the decimal exponent
 * of the first digit, use `d[.ddd]e±XX` when E < −4 or E ≥ 6 and plain positional notation otherwise.
 */
function goShortest(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  if (x === 0) return '0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponentText] = String(Math.abs(x)).split('e');
  const [intPart, fracPart = ''] = mantissa.split('.');
  // The value is 0.<digits> × 10^point.
  let digits = intPart + fracPart;
  let point = intPart.length + (exponentText === undefined ? 0 : Number(exponentText));
  const leadingZeros = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  point -= leadingZeros;
  const e = point - 1;
  if (e < -4 || e >= 6) {
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${rest}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${'0'.repeat(e + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** Every kind of double, with the boundaries of the two notations well represented. */
const anyDouble = fc.oneof(
  fc.double(),
  fc.double({ min: 1e-6, max: 1e-3 }),
  fc.double({ min: 1e5, max: 1e7 }),
  fc.integer({ min: -2_000_000, max: 2_000_000 }),
  fc.constantFrom(1e-4, 1e-5, 1e6, 1e21, 999999.9999999999, 0.00009999999999999999, 5e-324, Number.MAX_VALUE),
  fc.integer({ min: -330, max: 310 }).map((e) => Number(`1e${e}`)),
  fc.integer({ min: -330, max: 310 }).map((e) => -Number(`1.5e${e}`)),
);

describe('formatFloat (text format 0.0.4)', () => {
  it.each([
    [1, '1'],
    [0, '0'],
    [-0, '0'],
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('writes the special case %s as %s', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it.each([
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1234567.5, '1.2345675e+06'],
    [9.976e-6, '9.976e-06'],
    [1e-5, '1e-05'],
    [1.79564403766e9, '1.79564403766e+09'],
    [9007199254740992, '9.007199254740992e+15'],
    [5e-324, '5e-324'],
    [1.8686216e7, '1.8686216e+07'],
    [1e-7, '1e-07'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [-1e6, '-1e+06'],
    [-2.5e-5, '-2.5e-05'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
  ])('writes %s in exponent form as %s (E < −4 or E ≥ 6, two exponent digits at least)', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it.each([
    [100000, '100000'],
    [123456, '123456'],
    [999999.5, '999999.5'],
    [999999.9999999999, '999999.9999999999'],
    [0.0001, '0.0001'],
    [0.000146951, '0.000146951'],
    [12.47, '12.47'],
    [0.30000000000000004, '0.30000000000000004'],
    [50000, '50000'],
    [123.456789, '123.456789'],
    [7.5, '7.5'],
    [2.5, '2.5'],
    [-123456, '-123456'],
    [-0.0001, '-0.0001'],
  ])('writes %s in fixed notation as %s, without trailing zeros', (value, text) => {
    expect(formatFloat(value)).toBe(text);
  });

  it('switches to exponent form just below 1e-4 and at 1e6', () => {
    expect(formatFloat(0.00009999999999999999)).toBe('9.999999999999999e-05');
    expect(formatFloat(999999.9999999999)).toBe('999999.9999999999');
    expect(formatFloat(1000000)).toBe('1e+06');
  });

  it('writes histogram bounds the way le labels need them', () => {
    expect([0.005, 1, 10, 0.99].map(formatFloat)).toEqual(['0.005', '1', '10', '0.99']);
  });

  it('agrees with an independent implementation of Go’s shortest %g for every double', () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        expect(formatFloat(x)).toBe(goShortest(x));
      }),
      { numRuns: 20000 },
    );
  });

  it('round-trips every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const back = Number(formatFloat(x));
        expect(back === x || (back === 0 && x === 0)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('formatOpenMetricsFloat', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [-0, '0.0'],
    [-1, '-1.0'],
    [100000, '100000.0'],
    [1e6, '1e+06'],
    [17, '17.0'],
    [2.5, '2.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('writes %s as %s', (value, text) => {
    expect(formatOpenMetricsFloat(value)).toBe(text);
  });

  it('reproduces the OpenMetrics canonical numbers', () => {
    const canonical = [
      '0.0',
      '0.001',
      '0.002',
      '0.01',
      '0.1',
      '0.9',
      '0.95',
      '0.99',
      '0.999',
      '1.0',
      '1.7',
      '10.0',
      '1e-10',
      '1e-09',
      '1e-05',
      '0.0001',
      '100000.0',
      '1e+06',
      '1e+10',
      '+Inf',
    ];
    for (const text of canonical) {
      expect(formatOpenMetricsFloat(Number(text.replace('Inf', 'Infinity')))).toBe(text);
    }
  });

  it('is the 0.0.4 text plus ".0" whenever that has neither a point nor an exponent', () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        const text = goShortest(x);
        const finite = Number.isFinite(x);
        expect(formatOpenMetricsFloat(x)).toBe(finite && !/[.e]/.test(text) ? `${text}.0` : text);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('formatInteger', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [17, '17'],
    [-5, '-5'],
    [1234567, '1234567'],
    [2 ** 53, '9007199254740992'],
    [2 ** 64, '18446744073709551616'],
    [1e21, '1000000000000000000000'],
  ])('writes %s as plain digits %s', (value, text) => {
    expect(formatInteger(value)).toBe(text);
  });

  it('falls back to the float form for values that are not integers', () => {
    expect(formatInteger(1.5)).toBe('1.5');
    expect(formatInteger(Number.NaN)).toBe('NaN');
    expect(formatInteger(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatInteger(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });

  it('never writes an exponent or a point for an integral value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const n = Math.trunc(x);
        const text = formatInteger(n);
        expect(text).toMatch(/^-?\d+$/);
        expect(BigInt(text)).toBe(BigInt(n));
      }),
    );
  });
});
