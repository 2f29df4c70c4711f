import { execFileSync } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createChat, getAgentSession, listAgentEvents, upsertProject } from '@boocode/db';
import {
  AgentServerFrame,
  AppError,
  type AgentEvent,
  type AgentFrame,
  type AgentSession,
  type AgentStatus,
  type Project,
} from '@boocode/protocol';
import { freePort, makeGitRepo, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../../src/app.ts';
import type {
  AgentBackend,
  AgentSink,
  AgentStartOptions,
  PermissionAnswer,
} from '../../src/agents/backend.ts';
import type { AgentSessions } from '../../src/agents/sessions.ts';
import { loadConfig } from '../../src/config.ts';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

/** What one turn of the scripted agent does; resolves with its stop reason. */
export type Turn = (t: {
  text: string;
  cwd: string;
  sink: AgentSink;
  /** Resolves when the session cancels the turn. */
  cancelled: Promise<void>;
  ask(title: string, optionIds?: string[]): Promise<PermissionAnswer>;
}) => Promise<string>;

/**
 * An agent of our own AgentBackend interface, driven by the test's script: the collaborator of
 * the sessions under test (the real ACP agents are tested with the real CLIs elsewhere).
 */
export class ScriptedAgent implements AgentBackend {
  readonly started = { models: [], modes: [], currentModel: null, currentMode: null };
  closed = false;
  private cancel$: (() => void) | null = null;
  private killed$: ((err: Error) => void) | null = null;

  constructor(
    readonly opts: AgentStartOptions,
    private readonly turn: Turn,
    private readonly resumable?: string,
  ) {}

  /** What the script says the backend can be resumed by (none: it cannot). */
  resumeId(): string | null {
    return this.resumable ?? null;
  }

  prompt(text: string): Promise<{ stopReason: string }> {
    if (this.closed) return Promise.reject(new Error('the agent has exited'));
    const cancelled = new Promise<void>((r) => (this.cancel$ = r));
    const killed = new Promise<never>((_, reject) => (this.killed$ = reject));
    const sink = this.opts.sink;
    const run = this.turn({
      text,
      cwd: this.opts.cwd,
      sink,
      cancelled,
      ask: (title, optionIds = ['allow', 'reject']) =>
        sink.requestPermission({
          toolCallId: 'call-1',
          title,
          options: optionIds.map((id) => ({ id, name: id, kind: `${id}_once` })),
        }),
    });
    return Promise.race([run.then((stopReason) => ({ stopReason })), killed]);
  }

  cancel(): Promise<void> {
    this.cancel$?.();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    this.killed$?.(new Error('agent killed (SIGTERM)'));
    return Promise.resolve();
  }
}

export interface Harness {
  app: FastifyInstance;
  agents: AgentSessions;
  db: TestDatabase;
  home: string;
  base: string;
  /** The scripted agents started so far, newest last. */
  started: ScriptedAgent[];
  /** What the next turns do, and the id the next agents can be resumed by; set by a test. */
  script: { turn: Turn; resumeId?: string };
  api<T = unknown>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** A coder chat over a committed git repository holding `files`. */
  project(
    files: Record<string, string>,
  ): Promise<{ project: Project; root: string; chatId: string }>;
  socket(urlPath: string): Promise<SocketReader>;
  /** A new coder on the same database and home (the old one closed first). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(db?: TestDatabase): Promise<Harness> {
  const database = db ?? (await testDatabase());
  const home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-agents-')));
  const started: ScriptedAgent[] = [];
  const script: Harness['script'] = { turn: () => Promise.resolve('end_turn') };
  const build = async () => {
    const port = await freePort();
    const config = loadConfig({
      BOOCODE_HOME: home,
      CODER_PORT: String(port),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    });
    let agents: AgentSessions | null = null;
    const app = await buildApp({
      config,
      sql: database.sql,
      token: TOKEN,
      onAgentSessions: (a) => (agents = a),
      agents: {
        resolveLaunch: (providerId) =>
          providerId === 'qwen'
            ? Promise.resolve({ command: 'qwen', args: ['--acp'], env: {} })
            : Promise.reject(new AppError('conflict', `Provider ${providerId} is disabled.`)),
        startAgent: (opts) => {
          const agent = new ScriptedAgent(opts, (t) => script.turn(t), script.resumeId);
          started.push(agent);
          return Promise.resolve(agent);
        },
      },
    });
    await app.listen({ port, host: '127.0.0.1' });
    return { app, agents: agents!, base: `http://127.0.0.1:${port}` };
  };
  let current = await build();
  const sockets: WebSocket[] = [];
  const h: Harness = {
    ...current,
    db: database,
    home,
    started,
    script,
    async api<T>(method: string, url: string, body?: unknown) {
      const res = await h.app.inject({
        method: method as 'GET',
        url,
        headers: { origin: h.base, host: h.base.slice(7), authorization: `Bearer ${TOKEN}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
    },
    async project(files) {
      const root = await makeGitRepo(path.join(home, 'projects', String(Math.random())), files);
      execFileSync('git', ['add', '-A'], { cwd: root });
      const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
      execFileSync('git', [...id, 'commit', '-qm', 'first', '--allow-empty'], { cwd: root });
      const { project } = await upsertProject(database.sql, { name: 'repo', path: root });
      const chat = await createChat(database.sql, {
        title: 'coder',
        model: null,
        projectId: project.id,
        kind: 'coder',
      });
      return { project, root, chatId: chat.id };
    },
    async socket(urlPath) {
      const ws = new WebSocket(h.base.replace('http', 'ws') + urlPath, {
        headers: { authorization: `Bearer ${TOKEN}` },
        origin: h.base,
      });
      sockets.push(ws);
      const reader = new SocketReader(ws);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      return reader;
    },
    async restart() {
      await h.app.close();
      current = await build();
      Object.assign(h, current);
    },
    async close() {
      for (const ws of sockets) ws.close();
      await h.app.close();
      if (!db) await database.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return h;
}

/** Reads a socket's JSON messages in order; `next` waits for the first that matches. */
export class SocketReader {
  readonly messages: unknown[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Waits until a message (at or after index `from`) matches; returns its index. */
  async until(match: (m: unknown) => boolean, from = 0): Promise<number> {
    for (;;) {
      const i = this.messages.findIndex((m, k) => k >= from && match(m));
      if (i >= 0) return i;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** The session socket's frames so far, parsed. */
  frames(): AgentFrame[] {
    return this.messages
      .map((m) => AgentServerFrame.parse(m))
      .flatMap((m) => (m.type === 'frame' ? [m.frame] : []));
  }
}

/** Resolves once the session's status is `status` (checked after subscribing: nothing missed). */
export async function statusOf(
  h: Pick<Harness, 'agents' | 'db'>,
  sessionId: string,
  status: AgentStatus,
): Promise<AgentSession> {
  let off = () => {};
  const seen = new Promise<AgentSession>((resolve) => {
    off = h.agents.bus.subscribe(sessionId, (m) => {
      if (m.type === 'session' && m.session.status === status) resolve(m.session);
    });
  });
  const now = await getAgentSession(h.db.sql, sessionId);
  const got = now?.status === status ? now : await seen;
  off();
  return got;
}

/** Resolves with the first persisted event of `type` (after `afterSeq`). */
export async function eventOf<T extends AgentEvent['type']>(
  h: Harness,
  sessionId: string,
  type: T,
  afterSeq = 0,
): Promise<{ seq: number; event: Extract<AgentEvent, { type: T }> }> {
  const pick = (f: AgentFrame) =>
    f.seq > afterSeq && f.event.type === type
      ? { seq: f.seq, event: f.event as Extract<AgentEvent, { type: T }> }
      : null;
  let off = () => {};
  const seen = new Promise<ReturnType<typeof pick>>((resolve) => {
    off = h.agents.bus.subscribe(sessionId, (m) => {
      if (m.type === 'frame' && pick(m.frame)) resolve(pick(m.frame));
    });
  });
  const stored = (await listAgentEvents(h.db.sql, sessionId)).map(pick).find((x) => x !== null);
  const got = stored ?? (await seen);
  off();
  return got!;
}

/** The events of a session, in order, as stored. */
export async function eventsOf(h: Harness, sessionId: string): Promise<AgentEvent[]> {
  return (await listAgentEvents(h.db.sql, sessionId)).map((f) => f.event);
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}
