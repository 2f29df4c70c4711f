// `pnpm start`: prepares the checkout, then runs the server (which starts the
// embedded PostgreSQL unless DATABASE_URL is set) and prints the URL to open.
import { spawn, execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  execFileSync(process.execPath, [path.join(root, 'scripts/prepare.mjs'), '--system=run'], {
    stdio: 'inherit',
  });
} catch {
  process.exit(1);
}
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: path.join(root, 'apps/server'),
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
