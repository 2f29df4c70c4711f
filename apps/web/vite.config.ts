import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

// The dev server fronts the API server so the page, REST and WS share one origin, as in
// production (the cookie is SameSite=Strict). Host is rewritten to the API server's so its Host
// check passes; the browser's Origin stays the Vite one, which the server must allow in dev.
const apiTarget = `http://127.0.0.1:${process.env.PORT ?? 9500}`;

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: true },
    },
  },
  // The highlighter worker loads its grammars as chunks of its own.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships /*#__PURE__*/ comments in places Rollup cannot use; harmless noise.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
      output: {
        manualChunks(id) {
          if (/node_modules\/(\.pnpm\/)?(react|react-dom|scheduler)[@/]/.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
});
