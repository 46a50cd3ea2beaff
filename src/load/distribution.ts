/**
 * Length distributions for generated load, written as `fixed:200`, `uniform:100:500` or
 * `normal:300:50` (mean, standard deviation; never below 1), sampled from a seeded PRNG so a run can be
 * repeated exactly.
 */
import { DynametricsError } from '../core/errors.js';

export class DistributionError extends DynametricsError {
  override name = 'DistributionError';
}

export type Distribution =
  | { readonly kind: 'fixed'; readonly value: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly stddev: number };

export function parseDistribution(text: string): Distribution {
  const parts = text.split(':');
  const nums = parts.slice(1).map(Number);
  const ok = nums.every((n) => Number.isFinite(n) && n >= 0);
  if (ok && parts[0] === 'fixed' && nums.length === 1 && nums[0] >= 1)
    return { kind: 'fixed', value: Math.round(nums[0]) };
  if (ok && parts[0] === 'uniform' && nums.length === 2 && nums[0] >= 1 && nums[1] >= nums[0])
    return { kind: 'uniform', min: nums[0], max: nums[1] };
  if (ok && parts[0] === 'normal' && nums.length === 2 && nums[0] >= 1)
    return { kind: 'normal', mean: nums[0], stddev: nums[1] };
  if (ok && parts.length === 1 && /^\d+$/.test(text) && Number(text) >= 1)
    return { kind: 'fixed', value: Number(text) };
  throw new DistributionError(
    `invalid length distribution ${JSON.stringify(text)}: use fixed:N, uniform:MIN:MAX or normal:MEAN:STDDEV`,
  );
}

/** mulberry32: small, fast, and good enough for load shapes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sample(d: Distribution, random: () => number): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'uniform':
      return Math.round(d.min + (d.max - d.min) * random());
    case 'normal': {
      // Box-Muller with a guard against log(0).
      const u = Math.max(random(), Number.EPSILON);
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
      return Math.max(1, Math.round(d.mean + d.stddev * z));
    }
  }
}
