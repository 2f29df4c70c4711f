import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  freePort,
  launchChromium,
  startModelServer,
  startServerProcess,
  type ModelServer,
  type ServerProcess,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';

const appDir = fileURLToPath(new URL('../../apps/server/', import.meta.url));

/**
 * Runs the real server as `pnpm start` does: its bundle (apps/server/dist/main.js, built by
 * the global setup), serving the built web app.
 */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess(appDir, env, 'bundle');
}

export interface World {
  db: TestDatabase;
  model: ModelServer;
  home: string;
  port: number;
  server: ServerProcess;
  browser: Browser;
  env: Record<string, string>;
  /** A fresh browser context, signed in through the printed URL. */
  open(): Promise<{ context: BrowserContext; page: Page }>;
  restart(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

/**
 * The default home of a world: the agent CLIs coder ships turned off. A world that tests no
 * agent starts none of them; their probes at coder's start would load the machine under the
 * test. A test of agents passes its own `prepareHome` (or none: `async () => {}`).
 */
async function quietAgents(home: string): Promise<void> {
  const off = { enabled: false };
  const providers = { claude: off, opencode: off, qwen: off, copilot: off };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify({ providers }));
}

export async function startWorld(
  extraEnv: Record<string, string> = {},
  /** Writes files into $BOOCODE_HOME before the server starts (coder-providers.json...). */
  prepareHome: (home: string) => Promise<void> = quietAgents,
): Promise<World> {
  const db = await testDatabase();
  const model = await startModelServer();
  const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-'));
  await prepareHome(home);
  const port = await freePort();
  // The server starts booterm (and coder) itself: their own free ports, a private tmux
  // socket, and a shell that starts at once (the user's rc files may be slow).
  const tmuxSocket = `e2e-${path.basename(home)}`;
  const env = {
    PORT: String(port),
    BOOCODE_HOME: home,
    DATABASE_URL: db.url,
    LLM_BASE_URL: model.url,
    BOOTERM_PORT: String(await freePort()),
    CODER_PORT: String(await freePort()),
    BOOTERM_TMUX_SOCKET: tmuxSocket,
    BOOTERM_SHELL: '/bin/bash --noprofile --norc',
    ...extraEnv,
  };
  const browser = await launchChromium();
  const world: World = {
    db,
    model,
    home,
    port,
    env,
    browser,
    server: await startServer(env),
    async open() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(world.server.url.href);
      return { context, page };
    },
    async restart(signal = 'SIGTERM') {
      await world.server.stop(signal);
      world.server = await startServer(env);
    },
    async close() {
      await browser.close();
      await world.server.stop();
      // Terminals outlive booterm by design: their tmux server goes with the world.
      await killTmuxServer(env.BOOTERM_TMUX_SOCKET);
      await model.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return world;
}

async function killTmuxServer(socket: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise((resolve) => execFile('tmux', ['-L', socket, 'kill-server'], resolve));
  await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, socket), {
    force: true,
  });
}

export interface TcpProxy {
  port: number;
  /** Cuts every connection through the proxy, as a network drop does; new ones still pass. */
  dropAll(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `targetPort`, to cut the browser's connections at will. */
export async function startTcpProxy(port: number, targetPort: number): Promise<TcpProxy> {
  const { createServer, connect } = await import('node:net');
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
