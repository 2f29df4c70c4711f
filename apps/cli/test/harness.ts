import { spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  makeGitRepo,
  startModelServer,
  startServerProcess,
  type ModelServer,
  type ServerProcess,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';

const serverDir = fileURLToPath(new URL('../../server/', import.meta.url));
/** The installed bin, as `pnpm exec boocode` runs it. */
export const BIN = fileURLToPath(new URL('../bin/boocode.mjs', import.meta.url));

export interface World {
  db: TestDatabase;
  model: ModelServer;
  home: string;
  /** A git repository registered as the project `shop`. */
  project: string;
  server: ServerProcess;
  /** A request to the server's API with the token. */
  api(method: string, pathname: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Agents off unless a test turns one on: their probes at coder's start load the machine. */
export async function providersFile(home: string, on: Record<string, object> = {}) {
  const off = { enabled: false };
  const providers = { claude: off, opencode: off, qwen: off, copilot: off, ...on };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify({ providers }));
}

/** The real server (with booterm and coder) on a test database, its home in a temp folder. */
export async function startWorld(
  prepareHome: (home: string) => Promise<void> = (h) => providersFile(h),
): Promise<World> {
  const db = await testDatabase();
  const model = await startModelServer();
  const home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-cli-')));
  await prepareHome(home);
  const project = await makeGitRepo(path.join(home, 'projects', 'shop'), {
    'price.txt': 'price: 10\n',
    'src/app.ts': 'export const answer = 42;\n',
  });
  const server = await startServerProcess(serverDir, {
    PORT: String(await freePort()),
    BOOCODE_HOME: home,
    DATABASE_URL: db.url,
    LLM_BASE_URL: model.url,
    BOOTERM_PORT: String(await freePort()),
    CODER_PORT: String(await freePort()),
    BOOTERM_TMUX_SOCKET: `cli-${path.basename(home)}`,
    BOOTERM_SHELL: '/bin/bash --noprofile --norc',
    BOOCODE_PROJECTS: project,
  });
  const base = server.url.origin;
  return {
    db,
    model,
    home,
    project,
    server,
    async api(method, pathname, body) {
      const res = await fetch(`${base}${pathname}`, {
        method,
        headers: {
          authorization: `Bearer ${server.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : null;
    },
    async close() {
      await server.stop();
      await new Promise((resolve) =>
        spawn('tmux', ['-L', `cli-${path.basename(home)}`, 'kill-server']).once('exit', resolve),
      );
      await model.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `boocode <args>` as a subprocess, as a user's shell would, and waits for it to exit. */
export function boocode(args: string[], env: Record<string, string>, input?: string): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
