/**
 * Go math as Prometheus 2.42 (Debian, x86-64 with FMA) computes it; expected values were read from a real
 * 2.42 server (`b ^ p`, `exp(vector(x))`, `ln(vector(x))`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fma } from '../../src/query/engine/fma.js';
import { goExp, goLog } from '../../src/query/engine/go-exp-log.js';
import { frexp, goMax, goMin, goPow, ldexp } from '../../src/query/engine/gomath.js';

describe('Go math reproduced bit for bit', () => {
  it('pow with integer and fractional exponents', () => {
    const cases: [number, number, number][] = [
      [9.5, 0.3, 1.9647942639933809],
      [0.7, 13.37, 0.00849103820537491],
      [3, -2.5, 0.06415002990995843],
      [10, 1.75, 56.23413251903491],
      [1.0001, 12345.678, 3.4366806414318827],
      [2.5, 3, 15.625],
      [7, 0.5, 2.6457513110645907],
      [8, 1 / 3, 1.9999999999999998],
      [1e-300, 0.9, 9.999999999999834e-271],
    ];
    for (const [b, p, expected] of cases) expect(goPow(b, p)).toBe(expected);
  });

  it('exp and log of the x86-64 assembly, overflow and underflow included', () => {
    const exps: [number, number][] = [
      [0.5, 1.6487212707001282],
      [-3.25, 0.03877420783172201],
      [100.1, 2.9708288895158073e43],
      [1e-10, 1.0000000001],
      [709.7, Number.POSITIVE_INFINITY],
      [-745.2, 0],
    ];
    for (const [x, expected] of exps) expect(goExp(x)).toBe(expected);
    const logs: [number, number][] = [
      [0.5, -Math.LN2],
      [3.25, 1.1786549963416462],
      [1e100, 230.25850929940458],
      [1e-310, -709.0850815488945],
      [Math.SQRT1_2, -0.3465735902799726],
    ];
    for (const [x, expected] of logs) expect(goLog(x)).toBe(expected);
  });

  it('max and min let an infinity win over NaN, as Go does', () => {
    expect(goMax(Number.POSITIVE_INFINITY, Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(goMax(1, Number.NaN)).toBeNaN();
    expect(goMin(Number.NaN, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(goMax(-0, 0), 0)).toBe(true);
    expect(Object.is(goMin(-0, 0), -0)).toBe(true);
  });

  it('frexp and ldexp invert each other, subnormals included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const [f, e] = frexp(x);
        expect(ldexp(f, e)).toBe(x);
      }),
    );
  });

  it('fused multiply-add rounds once', () => {
    // (1 + 2^-52)(1 − 2^-52) − 1 is −2^-104 exactly; unfused it rounds to 0.
    expect(fma(1 + 2 ** -52, 1 - 2 ** -52, -1)).toBe(-(2 ** -104));
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17);
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 26), max: 2 ** 26 }),
        fc.integer({ min: -(2 ** 26), max: 2 ** 26 }),
        fc.integer(),
        (a, b, c) => {
          expect(fma(a, b, c)).toBe(a * b + c); // exact in doubles, so fused and unfused agree
        },
      ),
    );
  });
});
