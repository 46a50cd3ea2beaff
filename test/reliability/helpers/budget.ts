/**
 * How large the reliability scenarios run. `npm test` runs each one at a bounded size so the whole suite
 * stays short on a shared 2-core machine; `npm run soak` (vitest.soak.config.ts sets `SOAK=1`) runs the
 * same scenarios at the sizes the README's figures come from.
 */
export const SOAK = process.env.SOAK === '1';

/** `normal` in the default suite, `soak` under `npm run soak`. */
export function scaled<T>(normal: T, soak: T): T {
  return SOAK ? soak : normal;
}

/** Test timeout for a scenario: generous in the soak, whose runs take minutes. */
export function timeoutMs(normal: number): number {
  return SOAK ? 60 * 60_000 : normal;
}
