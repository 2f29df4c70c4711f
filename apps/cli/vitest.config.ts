import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['../../packages/testkit/src/pg-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One running server per file; the machine has two cores.
    fileParallelism: false,
  },
});
