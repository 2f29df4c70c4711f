// `pnpm start`: prepares the checkout, builds the services if their sources changed, then
// runs the server (which starts the embedded PostgreSQL unless DATABASE_URL is set, and
// booterm and coder) and prints the URL to open. The server runs in this very process,
// from its bundle: no second node waits above it.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Exits the process with a message when something is missing.
await import('./prepare.mjs');
// esbuild is a dependency: it exists only once prepare has installed them.
const { bundleOf, ensureBuilt } = await import('./build-services.mjs');
try {
  await ensureBuilt();
} catch (err) {
  // esbuild has printed where; this says what failed.
  process.stderr.write(`boocode: could not build the services: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
}

process.setSourceMapsEnabled(true);
process.chdir(path.join(root, 'apps/server'));
await import(pathToFileURL(bundleOf('server')).href);
