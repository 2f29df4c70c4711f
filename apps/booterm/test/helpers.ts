import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Terminal } from '@boocode/protocol';
import { freePort, TermClient, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
/** A shell that starts at once: the user's rc files may be slow and print anything. */
export const TEST_SHELL = '/bin/bash --noprofile --norc';

export interface Booterm extends App {
  db: TestDatabase;
  home: string;
  socket: string;
  base: string;
  origin: string;
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  create(body?: Record<string, unknown>): Promise<Terminal>;
  /** Stops booterm (sessions stay in tmux) and starts it again on the same tmux socket. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** booterm in-process on a private tmux socket, listening on a free port. */
export async function startBooterm(env: Record<string, string> = {}): Promise<Booterm> {
  const db = await testDatabase();
  const home = await mkdtemp(path.join(os.tmpdir(), 'booterm-test-'));
  const socket = `booterm-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const start = async () => {
    const port = await freePort();
    const config = loadConfig({
      BOOTERM_PORT: String(port),
      BOOCODE_HOME: home,
      BOOTERM_TMUX_SOCKET: socket,
      BOOTERM_SHELL: TEST_SHELL,
      LOG_LEVEL: 'silent',
      HOME: os.homedir(),
      ...env,
    });
    const built = await buildApp({ config, sql: db.sql, token: TOKEN });
    await built.app.listen({ port, host: '127.0.0.1' });
    return { built, base: `http://127.0.0.1:${port}` };
  };
  let current = await start();
  const b: Booterm = {
    ...current.built,
    db,
    home,
    socket,
    base: current.base,
    origin: current.base,
    async api<T>(method: string, p: string, body?: unknown) {
      const res = await fetch(b.base + p, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          origin: b.origin,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async create(body = {}) {
      const res = await b.api<Terminal>('POST', '/api/term/terminals', body);
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async restart() {
      await current.built.app.close();
      current = await start();
      Object.assign(b, current.built, { base: current.base, origin: current.base });
    },
    async close() {
      await current.built.app.close();
      await current.built.tmux.killServer();
      // tmux leaves its socket file behind.
      await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, socket), {
        force: true,
      });
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return b;
}

export interface OpenOptions {
  cols?: number;
  rows?: number;
  /** Acknowledge each output frame as it arrives, as xterm.js does once written (default). */
  ack?: boolean;
  headers?: Record<string, string>;
}

/** A socket to terminal `id` of `b`, as the browser holds it (testkit's TermClient). */
export function openTerminal(b: Booterm, id: string, opts: OpenOptions = {}): Promise<TermClient> {
  const q = `cols=${opts.cols ?? 80}&rows=${opts.rows ?? 24}`;
  return TermClient.open(`${b.base.replace('http', 'ws')}/api/term/terminals/${id}/ws?${q}`, {
    headers: { authorization: `Bearer ${TOKEN}`, origin: b.origin, ...opts.headers },
    ack: opts.ack,
  });
}
