// Starts the parser thread from its TypeScript source (tests, `pnpm dev`): a worker does not
// inherit the `--import tsx` of its process, so it registers tsx itself. The server's bundle
// starts dist/parse-worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
