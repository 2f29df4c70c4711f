import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChat,
  deleteChat,
  insertAgentSession,
  setAgentStatus,
  upsertProject,
} from '@boocode/db';
import type { AgentStatus, PtyLaunchFile, Terminal, TerminalList } from '@boocode/protocol';
import { openTerminal, startBooterm, type Booterm } from './helpers.ts';

let b: Booterm;
let projectId: string;
let chatId: string;
beforeAll(async () => {
  b = await startBooterm();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'booterm-project-'));
  ({
    project: { id: projectId },
  } = await upsertProject(b.db.sql, { name: 'repo', path: dir }));
  ({ id: chatId } = await createChat(b.db.sql, {
    title: 'coder',
    model: null,
    projectId,
    kind: 'coder',
  }));
});
afterAll(async () => {
  await b.close();
});

/**
 * An agent session as coder leaves it for a pty provider: a row, a worktree folder and the
 * launch file (what coder writes is tested in apps/coder).
 */
async function agentSession(
  status: AgentStatus,
  launch: Partial<PtyLaunchFile> | null = {},
  chat = chatId,
): Promise<{ id: string; worktree: string }> {
  const worktree = await realpath(await mkdtemp(path.join(os.tmpdir(), 'booterm-worktree-')));
  const s = await insertAgentSession(b.db.sql, {
    chatId: chat,
    projectId,
    provider: 'shell',
    mode: null,
    model: null,
    thinking: null,
    worktreePath: worktree,
  });
  await setAgentStatus(b.db.sql, s.id, status);
  if (launch) await writeLaunch(s.id, { cwd: worktree, ...launch });
  return { id: s.id, worktree };
}

/** The launch coder writes (0600), with `launch`'s fields over a shell's. */
async function writeLaunch(id: string, launch: Partial<PtyLaunchFile>): Promise<void> {
  const file = path.join(b.home, 'agents', 'pty', `${id}.json`);
  await mkdir(path.dirname(file), { recursive: true });
  const doc: PtyLaunchFile = {
    sessionId: id,
    label: 'Shell',
    command: '/bin/bash',
    args: ['--noprofile', '--norc'],
    env: { AGENT_MARK: 'mark-7', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: '/nowhere',
    baseline: '0'.repeat(40),
    ...launch,
  };
  await writeFile(file, JSON.stringify(doc), { mode: 0o600 });
}

function tmux(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tmux', ['-L', b.socket, ...args], (err, out, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(out),
    ),
  );
}

async function terminalCount(): Promise<number> {
  return (await b.api<TerminalList>('GET', '/api/term/terminals')).body.terminals.length;
}

describe('a terminal of an agent session', () => {
  it("runs the launch's command in the worktree with its env, in the session's project", async () => {
    const s = await agentSession('running');
    const t = await b.create({ agentSessionId: s.id });
    expect(t).toMatchObject({ title: 'Shell', cwd: s.worktree, projectId, alive: true });
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    c.type('echo "got:$AGENT_MARK:$PWD"');
    await c.waitForText(`got:mark-7:${s.worktree}`);
    await c.close();
  });

  it('never puts the env on a command line (readable by any user), and leaves no env file', async () => {
    const s = await agentSession('running', {
      env: { AGENT_KEY: 'sk-secret-9', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const t = await b.create({ agentSessionId: s.id });
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    c.type('echo "key:$AGENT_KEY"');
    await c.waitForText('key:sk-secret-9');
    // Given to tmux (`new-session -e`), the env would be on tmux's argv and in the session's
    // environment, which tmux shows to anyone on its socket.
    expect(await tmux('show-environment', '-t', t.id)).not.toContain('sk-secret-9');
    const started = await tmux('list-panes', '-t', t.id, '-F', '#{pane_start_command}');
    expect(started).not.toContain('sk-secret-9');
    expect(await readdir(path.join(b.home, 'run'))).not.toContainEqual(
      expect.stringMatching(/^agent-env-/),
    );
    await c.close();
  });

  it('keeps the terminal its own TERM, whatever the launch says', async () => {
    const s = await agentSession('idle', {
      env: { TERM: 'dumb', PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    const t = await b.create({ agentSessionId: s.id });
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    c.type('echo "term:$TERM"');
    await c.waitForText('term:tmux-256color'); // tmux.conf's default-terminal
    await c.close();
  });

  it('a value ending in ";" reaches the program as written (tmux would end its command)', async () => {
    const s = await agentSession('running', {
      env: { AGENT_MARK: 'semi;', PATH: '/usr/bin:/bin' },
    });
    const t = await b.create({ agentSessionId: s.id });
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    c.type('echo "got:$AGENT_MARK"');
    await c.waitForText('got:semi;');
    await c.close();
  });

  it('ends with its session: the chat deleted, its terminal and tmux session are gone', async () => {
    const { id: otherChat } = await createChat(b.db.sql, {
      title: 'doomed',
      model: null,
      projectId,
      kind: 'coder',
    });
    const s = await agentSession('running', {}, otherChat);
    const t = await b.create({ agentSessionId: s.id });
    expect(await tmux('has-session', '-t', `=${t.id}`)).toBe('');
    await deleteChat(b.db.sql, otherChat);
    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.map((x) => x.id)).not.toContain(t.id);
    await expect(tmux('has-session', '-t', `=${t.id}`)).rejects.toThrow(/can't find session/);
  });

  it("starts in the launch's directory inside the worktree (a project in a subfolder)", async () => {
    const s = await agentSession('running');
    await mkdir(path.join(s.worktree, 'app'));
    await writeLaunch(s.id, { cwd: path.join(s.worktree, 'app') });
    const t = await b.create({ agentSessionId: s.id });
    expect(t.cwd).toBe(path.join(s.worktree, 'app'));
  });

  const refusals: [string, () => Promise<string>, number, RegExp][] = [
    ['an unknown session', () => Promise.resolve(crypto.randomUUID()), 404, /agent session/],
    ['a closed session', async () => (await agentSession('closed')).id, 409, /closed/],
    ['a failed session', async () => (await agentSession('failed')).id, 409, /failed/],
    [
      'a session with no launch',
      async () => (await agentSession('running', null)).id,
      409,
      /no terminal launch/,
    ],
    [
      'a launch written for another session',
      async () => (await agentSession('running', { sessionId: crypto.randomUUID() })).id,
      409,
      /no terminal launch/,
    ],
    [
      'a session whose worktree is gone',
      async () => {
        const s = await agentSession('running');
        await rm(s.worktree, { recursive: true });
        return s.id;
      },
      409,
      /worktree/,
    ],
    [
      'a launch whose directory is outside the worktree',
      async () => (await agentSession('running', { cwd: os.tmpdir() })).id,
      409,
      /not in its session's worktree/,
    ],
  ];
  for (const [name, make, status, message] of refusals) {
    it(`refuses ${name} with a clear error and creates nothing`, async () => {
      const id = await make();
      const before = await terminalCount();
      const res = await b.api<{ message: string }>('POST', '/api/term/terminals', {
        agentSessionId: id,
      });
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(await terminalCount()).toBe(before);
    });
  }

  it('refuses an agent session and a project together (400)', async () => {
    const s = await agentSession('running');
    const res = await b.api<Terminal>('POST', '/api/term/terminals', {
      agentSessionId: s.id,
      projectId,
    });
    expect(res.status).toBe(400);
  });
});
