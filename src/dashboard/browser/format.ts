/** Numbers as panels show them, by unit. No DOM: shared with the CLI and tested in Node. */
import type { Unit } from './panels.js';

const SI = ['', 'k', 'M', 'G', 'T', 'P'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Three significant digits, without trailing zeros: 1.5, 12.3, 123, 0.0123. */
function digits(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/** 1234 → `1.23k`. */
function si(v: number): string {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1000 && i < SI.length - 1) {
    x /= 1000;
    i++;
  }
  return `${digits(x)}${SI[i]}`;
}

function bytes(v: number): string {
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < BINARY.length - 1) {
    x /= 1024;
    i++;
  }
  return `${digits(x)} ${BINARY[i]}`;
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
      return `${si(v)}/s`;
    case 'bytesps':
      return `${bytes(v)}/s`;
    case 'count':
    case 'tokens':
      return si(v);
  }
}
