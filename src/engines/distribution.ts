/**
 * Integer distributions for the mock engine's output lengths (and anything else it draws): fixed, uniform,
 * or normal (rounded and clamped), all sampled from a seeded {@link Prng} so runs repeat exactly.
 */

import { EngineConfigError } from './errors.js';
import type { Prng } from './prng.js';

export type IntDistribution =
  /** Always `value`. */
  | { readonly kind: 'fixed'; readonly value: number }
  /** Uniform over the integers of [min, max]. */
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  /** Normal, rounded to the nearest integer and clamped to [min, max] (min 1, max unbounded by default). */
  | {
      readonly kind: 'normal';
      readonly mean: number;
      readonly stddev: number;
      readonly min?: number;
      readonly max?: number;
    };

/** Throws {@link EngineConfigError} unless the distribution yields non-negative integers. */
export function checkDistribution(what: string, d: IntDistribution): void {
  const nonNegInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  switch (d.kind) {
    case 'fixed':
      if (!nonNegInt(d.value)) throw new EngineConfigError(what, d, 'needs a non-negative integer');
      return;
    case 'uniform':
      if (!nonNegInt(d.min) || !nonNegInt(d.max) || d.min > d.max)
        throw new EngineConfigError(what, d, 'needs integers 0 <= min <= max');
      return;
    case 'normal':
      if (!Number.isFinite(d.mean) || !(d.stddev >= 0) || !Number.isFinite(d.stddev))
        throw new EngineConfigError(what, d, 'needs a finite mean and stddev >= 0');
      if ((d.min !== undefined && !nonNegInt(d.min)) || (d.max !== undefined && !nonNegInt(d.max)))
        throw new EngineConfigError(what, d, 'needs non-negative integer bounds');
      if ((d.min ?? 1) > (d.max ?? Number.POSITIVE_INFINITY))
        throw new EngineConfigError(what, d, 'has min > max');
      return;
    default:
      throw new EngineConfigError(what, d, 'has an unknown kind');
  }
}

/** Draws one value. Uniform takes one draw from `rng`, normal two, fixed none. */
export function sample(d: IntDistribution, rng: Prng): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return rng.int(d.min, d.max);
    case 'normal': {
      const v = Math.round(d.mean + d.stddev * rng.normal());
      return Math.min(d.max ?? Number.POSITIVE_INFINITY, Math.max(d.min ?? 1, v));
    }
  }
}
