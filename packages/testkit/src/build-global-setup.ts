import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../scripts/build-services.mjs', import.meta.url));

/**
 * Builds the server, booterm and coder bundles (`apps/<app>/dist/main.js`) when their sources
 * changed, as `pnpm start` does: what runs them with `run: 'bundle'` tests what users run.
 */
export function buildServicesIfStale(): void {
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
}

/** vitest globalSetup: the bundles fresh before any test file starts a server from them. */
export default function setup(): void {
  buildServicesIfStale();
}
