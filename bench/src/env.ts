import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbedded, type EmbeddedCluster } from '@boocode/db';
import {
  buildServicesIfStale,
  createTestDatabase,
  freePort,
  startServerProcess,
  type ServerProcess,
  type TestDatabase,
} from '@boocode/testkit';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchEnv {
  cluster: EmbeddedCluster;
  newDatabase(): Promise<TestDatabase>;
  close(): Promise<void>;
}

/** One embedded PostgreSQL for the whole bench run, in a temp dir. */
export async function startBenchEnv(): Promise<BenchEnv> {
  buildServicesIfStale();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-bench-'));
  const cluster = await startEmbedded({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  return {
    cluster,
    newDatabase: () => createTestDatabase(cluster.url),
    close: async () => {
      await cluster.stop();
      await rm(cluster.clusterDir, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real server process, from its bundle as `pnpm start` runs it (built by `startBenchEnv`),
 * with a home of its own (`home`).
 */
export async function startServer(
  env: Record<string, string>,
): Promise<ServerProcess & { home: string }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-bench-home-'));
  // The services the server starts get ports and a tmux socket of their own.
  const tmuxSocket = `bench-${path.basename(home)}`;
  const server = await startServerProcess(
    path.join(root, 'apps/server'),
    {
      BOOCODE_HOME: home,
      PORT: String(await freePort()),
      BOOTERM_PORT: String(await freePort()),
      CODER_PORT: String(await freePort()),
      BOOTERM_TMUX_SOCKET: tmuxSocket,
      BOOTERM_SHELL: '/bin/bash --noprofile --norc',
      ...env,
    },
    'bundle',
  );
  return {
    ...server,
    home,
    stop: async () => {
      await server.stop();
      spawnSync('tmux', ['-L', env.BOOTERM_TMUX_SOCKET ?? tmuxSocket, 'kill-server'], {
        stdio: 'ignore',
      });
      await rm(home, { recursive: true, force: true });
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The scripted model server in a child process, every reply `tokens` long, `delayMs` apart. */
export async function startModelServerProcess(
  tokens: number,
  delayMs = 0,
): Promise<{ url: string; stop(): Promise<void> }> {
  const cli = path.join(root, 'packages/testkit/src/model-server-cli.ts');
  const args = ['--import', 'tsx', cli, `--tokens=${tokens}`, `--delay-ms=${delayMs}`];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  reap(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening (\S+)/);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`model server exited (${code})`)));
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A bench that fails half-way must not leave its servers behind. */
function reap(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}
