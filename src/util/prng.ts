/**
 * A small seeded pseudo-random generator (mulberry32) and a way to derive independent streams from one
 * seed. `Math.random` cannot be seeded; the mock engine needs the same numbers on every run, on every
 * platform, so it uses only 32-bit integer arithmetic whose results JavaScript defines exactly.
 */

/** Seeded uniform random numbers; every method advances the stream by one draw. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = toUint32(seed);
  }

  /** A 32-bit unsigned integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with probability `p` (always draws, so the stream stays aligned whatever `p` is). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A standard normal deviate (Box-Muller; two draws). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/**
 * Mixes numbers into one 32-bit seed (a splitmix-style finalizer per part), so that `deriveSeed(s, 1)` and
 * `deriveSeed(s, 2)` give unrelated streams.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ toUint32(part), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Any number to a 32-bit unsigned integer: fractions truncated, high bits folded in, non-finite to 0. */
function toUint32(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const t = Math.trunc(value);
  return ((t % 4294967296) ^ Math.floor(t / 4294967296)) >>> 0;
}
