import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChat,
  getAgentSession,
  getProject,
  listAgentEvents,
  upsertProject,
} from '@boocode/db';
import {
  PtyLaunchFile,
  type AgentSession,
  type PendingList,
  type SyncSessionReply,
} from '@boocode/protocol';
import { freePort, makeGitRepo, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../../src/app.ts';
import { AgentBus } from '../../src/agents/agent-bus.ts';
import { PtyRun, ptyLaunchPath, ptyWorktree } from '../../src/agents/pty-run.ts';
import { loadConfig } from '../../src/config.ts';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
let db: TestDatabase;
let home: string;
let app: FastifyInstance;
let host: string;
let build: () => Promise<FastifyInstance>;

beforeAll(async () => {
  db = await testDatabase();
  home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-pty-')));
  // A provider the user added: a shell, as any CLI without a protocol.
  const providers = {
    shell: {
      driver: 'pty',
      label: 'Shell',
      command: '/bin/bash',
      args: ['--noprofile', '--norc'],
      env: { SHELL_SECRET: 'key-123' },
      ownConfig: true,
    },
  };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify({ providers }));
  const port = String(await freePort());
  host = `127.0.0.1:${port}`;
  const config = loadConfig({ BOOCODE_HOME: home, CODER_PORT: port, LOG_LEVEL: 'silent' });
  build = () => buildApp({ config, sql: db.sql, token: TOKEN });
  app = await build();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

async function api<T>(method: string, url: string, body?: unknown) {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: { origin: `http://${host}`, host, authorization: `Bearer ${TOKEN}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
}

async function coderChat(): Promise<string> {
  const root = await makeGitRepo(path.join(home, 'projects', String(Math.random())), {
    'a.txt': 'one\n',
  });
  execFileSync('git', ['add', '-A'], { cwd: root });
  const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...id, 'commit', '-qm', 'first'], { cwd: root });
  const { project } = await upsertProject(db.sql, { name: 'repo', path: root });
  const chat = await createChat(db.sql, {
    title: 'coder',
    model: null,
    projectId: project.id,
    kind: 'coder',
  });
  return chat.id;
}

async function startShell(chatId: string): Promise<AgentSession> {
  const res = await api<{ session: AgentSession }>('POST', '/api/coder/sessions', {
    chatId,
    provider: 'shell',
  });
  expect(res.status).toBe(201);
  return res.body.session;
}

describe('a pty session', () => {
  it('starts running without a prompt and writes its launch 0600, outside the database', async () => {
    const s = await startShell(await coderChat());
    expect(s.status).toBe('running');
    expect(existsSync(s.worktreePath)).toBe(true);
    const file = ptyLaunchPath(home, s.id);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const launch = PtyLaunchFile.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(launch).toMatchObject({
      sessionId: s.id,
      label: 'Shell',
      command: '/bin/bash',
      args: ['--noprofile', '--norc'],
      cwd: s.worktreePath,
    });
    expect(launch.baseline).toMatch(/^[0-9a-f]{40}$/);
    expect(launch.env.SHELL_SECRET).toBe('key-123');
    const events = await listAgentEvents(db.sql, s.id, 0);
    expect(JSON.stringify(events)).not.toContain('key-123');
  });

  it('refuses a prompt: its CLI is typed to in the terminal', async () => {
    const s = await startShell(await coderChat());
    const res = await api<{ code: string }>('POST', `/api/coder/sessions/${s.id}/prompt`, {
      text: 'hello',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
  });

  it('sync queues what changed in the worktree and emits a changes event', async () => {
    const chatId = await coderChat();
    const s = await startShell(chatId);
    await writeFile(path.join(s.worktreePath, 'answer.txt'), '42\n');
    const res = await api<SyncSessionReply>('POST', `/api/coder/sessions/${s.id}/sync`, {});
    expect(res.status).toBe(200);
    expect(res.body.paths).toEqual(['answer.txt']);
    expect(res.body.session.status).toBe('running');
    const pending = await api<PendingList>('GET', `/api/coder/pending?chatId=${chatId}`);
    expect(pending.body.changes.map((c) => [c.path, c.kind])).toEqual([['answer.txt', 'create']]);
    const events = (await listAgentEvents(db.sql, s.id, 0)).map((f) => f.event);
    expect(events).toEqual([{ type: 'changes', paths: ['answer.txt'] }]);
  });

  it('a second sync with nothing new queues nothing; ended leaves the session idle', async () => {
    const s = await startShell(await coderChat());
    await writeFile(path.join(s.worktreePath, 'b.txt'), 'b\n');
    await api('POST', `/api/coder/sessions/${s.id}/sync`, {});
    const res = await api<SyncSessionReply>('POST', `/api/coder/sessions/${s.id}/sync`, {
      ended: true,
    });
    expect(res.body.paths).toEqual([]);
    expect(res.body.session.status).toBe('idle');
  });

  it('delete closes it, removes its worktree and its launch; sync is refused after', async () => {
    const s = await startShell(await coderChat());
    const del = await api<{ session: AgentSession }>('DELETE', `/api/coder/sessions/${s.id}`);
    expect(del.body.session.status).toBe('closed');
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(existsSync(ptyLaunchPath(home, s.id))).toBe(false);
    const res = await api<{ code: string }>('POST', `/api/coder/sessions/${s.id}/sync`, {});
    expect(res.status).toBe(409);
  });

  it('a sync asked once closing began is refused: the session ends closed, not idle', async () => {
    const s = await startShell(await coderChat());
    await writeFile(path.join(s.worktreePath, 'c.txt'), 'c\n');
    const project = (await getProject(db.sql, s.projectId))!;
    const worktree = (await ptyWorktree(home, s))!;
    const run = new PtyRun(
      { sql: db.sql, bus: new AgentBus(), log: app.log, home },
      s,
      project,
      worktree,
    );
    const closed = run.close();
    await expect(run.sync(true)).rejects.toThrow(/being closed/);
    await closed;
    expect((await getAgentSession(db.sql, s.id))?.status).toBe('closed');
  });

  it('is taken up again by a restarted coder: still running, its changes still collected', async () => {
    const chatId = await coderChat();
    const s = await startShell(chatId);
    await writeFile(path.join(s.worktreePath, 'one.txt'), '1\n');
    await api('POST', `/api/coder/sessions/${s.id}/sync`, {});
    await writeFile(path.join(s.worktreePath, 'two.txt'), '2\n');
    await app.close();
    app = await build();
    const list = await api<{ sessions: AgentSession[] }>(
      'GET',
      `/api/coder/sessions?chatId=${chatId}`,
    );
    expect(list.body.sessions.map((x) => [x.id, x.status, x.error])).toEqual([
      [s.id, 'running', null],
    ]);
    const res = await api<SyncSessionReply>('POST', `/api/coder/sessions/${s.id}/sync`, {});
    expect(res.body.paths).toEqual(['two.txt']);
    const pending = await api<PendingList>('GET', `/api/coder/pending?chatId=${chatId}`);
    expect(pending.body.changes.map((c) => c.path).sort()).toEqual(['one.txt', 'two.txt']);
  });

  it('an ACP provider still needs a prompt: 400, and no session is made', async () => {
    const chatId = await coderChat();
    const res = await api<{ code: string }>('POST', '/api/coder/sessions', {
      chatId,
      provider: 'qwen',
    });
    expect(res.status).toBe(400);
    const list = await api<{ sessions: unknown[] }>('GET', `/api/coder/sessions?chatId=${chatId}`);
    expect(list.body.sessions).toEqual([]);
  });
});
