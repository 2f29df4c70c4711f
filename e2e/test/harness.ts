import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, startModelServer, type ModelServer, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ServerProcess {
  child: ChildProcess;
  /** The URL the server printed, with its token. */
  url: URL;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the real server (apps/server/src/main.ts) serving the built web app. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(root, 'apps/server'),
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/open (http:\/\/\S+)/);
      if (m) resolve(new URL(m[1]!));
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return {
    child,
    url,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
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

export async function startWorld(extraEnv: Record<string, string> = {}): Promise<World> {
  const db = await testDatabase();
  const model = await startModelServer();
  const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-'));
  const port = await freePort();
  const env = {
    PORT: String(port),
    BOOCODE_HOME: home,
    DATABASE_URL: db.url,
    LLM_BASE_URL: model.url,
    ...extraEnv,
  };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
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
      await model.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return world;
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
  const sockets = new Set<import('node:net').Socket>();
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
