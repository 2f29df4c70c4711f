import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The index lives in a real PostgreSQL.
    globalSetup: ['../../packages/testkit/src/pg-global-setup.ts'],
    hookTimeout: 60_000,
  },
});
