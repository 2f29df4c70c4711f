import { execFileSync } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createChat, upsertProject } from '@boocode/db';
import { AgentServerFrame, type AgentEvent, type AgentFrame } from '@boocode/protocol';
import { freePort, makeGitRepo, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../../src/app.ts';
import type { AgentSessions } from '../../src/agents/sessions.ts';
import { loadConfig } from '../../src/config.ts';
import { SocketReader, TOKEN } from './harness.ts';

/**
 * Coder as it runs (its default wiring: the provider registry, every backend) on a test
 * database and a fresh `$BOOCODE_HOME`, listening on loopback: the world of the tests that drive
 * real agents through the routes. `env` adds the model endpoints and flags.
 */
export interface RoutesWorld {
  db: TestDatabase;
  home: string;
  app: FastifyInstance;
  agents: AgentSessions;
  api<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<Answer<T>>;
  sessionSocket(sessionId: string): Promise<SocketReader>;
  /** A coder chat over a new committed repository holding `files`. */
  project(files: Record<string, string>): Promise<{ root: string; chatId: string }>;
  /** Coder stopped and started again on the same database and home. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface Answer<T> {
  status: number;
  body: T;
}

export async function startRoutesWorld(env: Record<string, string>): Promise<RoutesWorld> {
  const db = await testDatabase();
  const home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-routes-')));
  const sockets: WebSocket[] = [];
  let base = '';
  const start = async () => {
    const port = await freePort();
    const config = loadConfig({
      BOOCODE_HOME: home,
      CODER_PORT: String(port),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...env,
    });
    let agents: AgentSessions | null = null;
    const app = await buildApp({
      config,
      sql: db.sql,
      token: TOKEN,
      onAgentSessions: (a) => (agents = a),
    });
    await app.listen({ port, host: '127.0.0.1' });
    base = `http://127.0.0.1:${port}`;
    return { app, agents: agents! };
  };
  const w: RoutesWorld = {
    db,
    home,
    ...(await start()),
    async api<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
      const res = await w.app.inject({
        method,
        url,
        headers: { origin: base, host: base.slice(7), authorization: `Bearer ${TOKEN}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
    },
    async sessionSocket(sessionId) {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/coder/sessions/${sessionId}/ws`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        origin: base,
      });
      sockets.push(ws);
      const reader = new SocketReader(ws);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      return reader;
    },
    async project(files) {
      const root = await makeGitRepo(path.join(home, 'projects', String(Math.random())), files);
      execFileSync('git', ['add', '-A'], { cwd: root });
      const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
      execFileSync('git', [...id, 'commit', '-qm', 'first'], { cwd: root });
      const { project } = await upsertProject(db.sql, { name: 'shop', path: root });
      const chat = await createChat(db.sql, {
        title: 'coder',
        model: null,
        projectId: project.id,
        kind: 'coder',
      });
      return { root, chatId: chat.id };
    },
    async restart() {
      await w.app.close();
      Object.assign(w, await start());
    },
    async close() {
      for (const ws of sockets) ws.close();
      await w.app.close();
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return w;
}

export const frameOf = (m: unknown): AgentFrame | null => {
  const f = AgentServerFrame.parse(m);
  return f.type === 'frame' ? f.frame : null;
};
export const isEvent = (type: AgentEvent['type']) => (m: unknown) =>
  frameOf(m)?.event.type === type;
export const isStatus = (status: string) => (m: unknown) => {
  const f = AgentServerFrame.parse(m);
  return f.type === 'session' && f.session.status === status;
};
export const textOf = (frames: AgentFrame[]) =>
  frames.map((f) => (f.event.type === 'message.delta' ? f.event.text : '')).join('');

/** The absolute worktree folder the agent was started in, as it tells the model. */
export function worktreeIn(body: unknown): string {
  const found = /\/[^"\s\\]*\/worktrees\/[0-9a-f-]{36}/.exec(JSON.stringify(body));
  if (!found) throw new Error('no worktree path in the model request');
  return found[0];
}
