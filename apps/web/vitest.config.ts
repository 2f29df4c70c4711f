import { defineConfig } from 'vitest/config';

// Unit tests of the pure modules: no DOM, so the node environment; the browser suite is e2e/.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], environment: 'node' } });
