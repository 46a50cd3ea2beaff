/** Numbers as panels show them, by unit. No DOM: shared with the CLI and tested in Node. */
import type { Unit } from './panels.js';

const SI = ['', 'k', 'M', 'G', 'T', 'P'];
const BINARY = [' B', ' KiB', ' MiB', ' GiB', ' TiB'];

/** Three significant digits, without trailing zeros: 1.5, 12.3, 123, 0.0123. */
function digits(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/** `v` in the largest unit of `units` (each `base` times the one before) that keeps it below `base`. */
function scaled(v: number, base: number, units: readonly string[]): string {
  let i = 0;
  // Rounded to what is shown before the unit is chosen, so 999.7 is "1k", not "1000".
  let x = Number(v.toPrecision(3));
  while (Math.abs(x) >= base && i < units.length - 1) {
    x = Number((x / base).toPrecision(3));
    i++;
  }
  return `${digits(x)}${units[i]}`;
}

/** A value with its unit; `-` when it is not a finite number. */
export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  switch (unit) {
    case 'percent':
      return `${digits(v)}%`;
    case 'fraction':
      return `${digits(v * 100)}%`;
    case 'seconds':
      return Math.abs(v) < 1 && v !== 0 ? `${digits(v * 1000)} ms` : `${digits(v)} s`;
    case 'ms':
      return `${digits(v)} ms`;
    case 'reqps':
      return `${scaled(v, 1000, SI)}/s`;
    case 'bytesps':
      return `${scaled(v, 1024, BINARY)}/s`;
    case 'count':
    case 'tokens':
      return scaled(v, 1000, SI);
  }
}

/**
 * The one number of a stat panel. Counts and tokens are whole: `increase` extrapolates to the ends of its
 * window, and "48.7 requests" reads as a bug rather than an estimate. (Chart axes keep fractions: a gauge
 * axis has ticks at 0.5.)
 */
export function formatStat(v: number | null | undefined, unit: Unit): string {
  const whole = (unit === 'count' || unit === 'tokens') && typeof v === 'number' && Number.isFinite(v);
  return formatValue(whole ? Math.round(v) || 0 : v, unit);
}
