import { defineConfig } from 'vitest/config';

/**
 * `npm run soak`: the reliability scenarios of test/reliability at soak size (`SOAK=1`), one file at a
 * time so no scenario's figures are disturbed by another's load, then the figures summary
 * (test/reliability/soak-report.ts), also saved as bench/results/reliability-latest.json.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/reliability/soak-report.ts'],
    env: { SOAK: '1' },
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 10 * 60_000,
    reporters: ['default'],
  },
});
