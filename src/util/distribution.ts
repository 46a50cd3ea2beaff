/**
 * Integer distributions (output lengths of the mock engine, prompt and output lengths of generated load):
 * fixed, uniform, or normal (rounded and clamped), all sampled from a seeded {@link Prng} so runs repeat
 * exactly. One text form serves every command line: `N`, `MIN-MAX`, `fixed:N`, `uniform:MIN:MAX`,
 * `normal:MEAN:STDDEV` (or `normal:MEAN,STDDEV`).
 */
import { DynametricsError, show } from '../core/errors.js';
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

/** A distribution that cannot be used; the message says which and why. */
export class DistributionError extends DynametricsError {
  override name = 'DistributionError';
}

/** What is wrong with a distribution, or undefined when it yields non-negative integers. */
export function distributionProblem(d: IntDistribution): string | undefined {
  const nonNegInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  switch (d?.kind) {
    case 'fixed':
      return nonNegInt(d.value) ? undefined : 'needs a non-negative integer';
    case 'uniform':
      return nonNegInt(d.min) && nonNegInt(d.max) && d.min <= d.max
        ? undefined
        : 'needs integers 0 <= min <= max';
    case 'normal':
      if (!Number.isFinite(d.mean) || !(d.stddev >= 0) || !Number.isFinite(d.stddev))
        return 'needs a finite mean and stddev >= 0';
      if ((d.min !== undefined && !nonNegInt(d.min)) || (d.max !== undefined && !nonNegInt(d.max))) {
        return 'needs non-negative integer bounds';
      }
      return (d.min ?? 1) > (d.max ?? Number.POSITIVE_INFINITY) ? 'has min > max' : undefined;
    default:
      return 'has an unknown kind';
  }
}

/** Parses the text form; throws {@link DistributionError} naming what it got. */
export function parseDistribution(text: string): IntDistribution {
  const t = text.trim();
  const fixed = /^(?:fixed:)?(\d+)$/.exec(t);
  const uniform = /^(?:uniform:(\d+):(\d+)|(\d+)-(\d+))$/.exec(t);
  const normal = /^normal:(\d+(?:\.\d+)?)[:,](\d+(?:\.\d+)?)$/.exec(t);
  let d: IntDistribution | undefined;
  if (fixed) d = { kind: 'fixed', value: Number(fixed[1]) };
  else if (uniform)
    d = { kind: 'uniform', min: Number(uniform[1] ?? uniform[3]), max: Number(uniform[2] ?? uniform[4]) };
  else if (normal) d = { kind: 'normal', mean: Number(normal[1]), stddev: Number(normal[2]) };
  const problem =
    d === undefined
      ? 'is not N, MIN-MAX, fixed:N, uniform:MIN:MAX or normal:MEAN:STDDEV'
      : distributionProblem(d);
  if (problem !== undefined || d === undefined)
    throw new DistributionError(`length distribution ${show(text)} ${problem}`);
  return d;
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
