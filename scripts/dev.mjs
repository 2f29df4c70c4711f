// `pnpm dev`: the server with reload (tsx watch) and the Vite dev server, which
// proxies /api and its WebSockets to it. Open the URL the server prints, with
// the Vite port (5173) in place of the server's.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['pnpm'];
// The Vite origin talks to the server through its proxy: allow it.
const vite = 'http://localhost:5173,http://127.0.0.1:5173';
const serverEnv = {
  ...process.env,
  ALLOWED_ORIGINS: [process.env.ALLOWED_ORIGINS, vite].filter(Boolean).join(','),
};
const children = [
  spawn(pnpm[0], [...pnpm.slice(1), '--filter', '@boocode/server', 'dev'], {
    cwd: root,
    stdio: 'inherit',
    env: serverEnv,
  }),
  spawn(pnpm[0], [...pnpm.slice(1), '--filter', '@boocode/web', 'dev'], {
    cwd: root,
    stdio: 'inherit',
  }),
];
const stop = (sig) => children.forEach((c) => c.kill(sig));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const c of children)
  c.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 1;
  });
