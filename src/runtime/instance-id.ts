/**
 * Runtime instance ids: 64-bit, random unless configured, shown as lower-case hexadecimal without `0x` or
 * zero padding — the `worker_id` label of every metric the runtime creates (e.g. `694d9d78249cbd10`).
 */
import { randomBytes } from 'node:crypto';
import { InvalidMetricOptionsError, show } from '../core/errors.js';

const MAX = (1n << 64n) - 1n;

export function randomInstanceId(): bigint {
  return randomBytes(8).readBigUInt64BE();
}

/** Accepts a bigint, a safe non-negative integer, or a hex string (with or without `0x`). */
export function parseInstanceId(value: bigint | number | string): bigint {
  let id: bigint | undefined;
  if (typeof value === 'bigint') id = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) id = BigInt(value);
  else if (typeof value === 'string' && /^(0x)?[0-9a-fA-F]{1,16}$/.test(value))
    id = BigInt(value.startsWith('0x') ? value : `0x${value}`);
  if (id === undefined || id < 0n || id > MAX) {
    throw new InvalidMetricOptionsError(
      `instance id must be an unsigned 64-bit integer or hex string, got ${show(value)}`,
    );
  }
  return id;
}

export function formatWorkerId(id: bigint): string {
  return id.toString(16);
}
