import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      '../packages/testkit/src/pg-global-setup.ts',
      // The server runs from its bundle, as `pnpm start` runs it.
      '../packages/testkit/src/build-global-setup.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser and server per file, files one after another: 2 cores.
    fileParallelism: false,
  },
});
