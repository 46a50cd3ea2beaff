import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleBuffer, STALE_WORDS } from '../../src/query/storage/sample-buffer.js';
import { isStaleNaN } from '../../src/query/storage/stale.js';
import { decodeChunk, XorChunkEncoder } from '../../src/query/storage/xor-chunk.js';

function words(v: number): [number, number] {
  const w = new Uint32Array(new Float64Array([v]).buffer);
  return [w[1], w[0]];
}

function roundTrip(samples: readonly (readonly [number, number | 'stale'])[]): SampleBuffer {
  const enc = new XorChunkEncoder();
  for (const [t, v] of samples) {
    const [hi, lo] = v === 'stale' ? [STALE_WORDS.hi, STALE_WORDS.lo] : words(v);
    enc.append(t, hi, lo);
  }
  const out = new SampleBuffer(4);
  decodeChunk(enc.seal(), Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, out);
  return out;
}

describe('XOR chunks', () => {
  it('round-trip any increasing timestamps and any values bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.double()), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
        (steps, start) => {
          let t = start;
          const samples = steps.map(([dt, v]) => {
            t += dt;
            return [t, v] as const;
          });
          const out = roundTrip(samples);
          expect(out.length).toBe(samples.length);
          for (let i = 0; i < samples.length; i++) {
            expect(out.t[i]).toBe(samples[i][0]);
            const v = samples[i][1];
            expect(Object.is(out.v[i], v) || (Number.isNaN(out.v[i]) && Number.isNaN(v))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep the staleness marker bit pattern', () => {
    const out = roundTrip([
      [1000, 1],
      [2000, 'stale'],
      [3000, Number.NaN],
    ]);
    expect(out.isStale(1)).toBe(true);
    expect(out.isStale(2)).toBe(false);
    expect(isStaleNaN(out.v[1])).toBe(true);
  });

  it('take about 1.4 bytes per sample for a regular counter', () => {
    const enc = new XorChunkEncoder();
    for (let i = 0; i < 120; i++) {
      const [hi, lo] = words(i * 10);
      enc.append(1_700_000_000_000 + i * 5000, hi, lo);
    }
    expect(enc.byteLength / 120).toBeLessThan(2);
  });
});
