import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, listAgentSessions } from '@boocode/db';
import type { AgentSession, InboxList } from '@boocode/protocol';
import { RESTART_REASON } from '../../src/agents/sessions.ts';
import { eventOf, eventsOf, git, startHarness, statusOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function start(chatId: string, prompt = 'do it'): Promise<AgentSession> {
  const res = await h.api<{ session: AgentSession }>('POST', '/api/coder/sessions', {
    chatId,
    provider: 'qwen',
    model: 'm1',
    prompt,
  });
  expect(res.status).toBe(201);
  return res.body.session;
}

describe('starting a session', () => {
  it('runs the first prompt in the worktree and ends idle with the events in order', async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'one\n' });
    h.script.turn = async ({ sink, cwd }) => {
      sink.emit({ type: 'message.delta', text: 'Hel' });
      sink.emit({ type: 'message.delta', text: 'lo' });
      sink.emit({
        type: 'tool.call',
        toolCallId: 't',
        title: 'Read',
        kind: 'read',
        status: 'completed',
      });
      sink.emit({ type: 'usage', inputTokens: 12, outputTokens: 3, costMicros: 40 });
      sink.emit({ type: 'done', stopReason: 'end_turn' });
      expect(cwd).not.toBe(root);
      return 'end_turn';
    };
    const s = await start(chatId, 'say hello');
    // The turn runs in the background: the reply has the prompt written, at whatever stage.
    expect(s.lastSeq).toBeGreaterThanOrEqual(1);
    expect(['starting', 'running', 'idle']).toContain(s.status);
    const idle = await statusOf(h, s.id, 'idle');
    expect([idle.inputTokens, idle.outputTokens, idle.costMicros]).toEqual([12, 3, 40]);
    expect(await eventsOf(h, s.id)).toEqual([
      { type: 'prompt', text: 'say hello' },
      { type: 'message.delta', text: 'Hello' },
      { type: 'tool.call', toolCallId: 't', title: 'Read', kind: 'read', status: 'completed' },
      { type: 'usage', inputTokens: 12, outputTokens: 3, costMicros: 40 },
      { type: 'done', stopReason: 'end_turn' },
    ]);
    expect(h.started.at(-1)!.opts).toMatchObject({
      model: 'm1',
      cwd: path.join(h.home, 'worktrees', s.id),
      launch: { command: 'qwen' },
    });
  });

  it("names the worktree's files relative to it in tool titles and permission questions", async () => {
    const { chatId } = await h.project({});
    h.script.turn = async ({ sink, cwd, ask }) => {
      const title = `Write ${path.join(cwd, 'src/a.ts')}`;
      sink.emit({ type: 'tool.call', toolCallId: 't', title, kind: 'edit', status: 'pending' });
      await ask(title);
      return 'end_turn';
    };
    const s = await start(chatId);
    const asked = await eventOf(h, s.id, 'permission.request');
    const events = await eventsOf(h, s.id);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'tool.call', title: 'Write src/a.ts' }),
    );
    expect(asked.event).toMatchObject({ title: 'Write src/a.ts' });
    await h.api('POST', `/api/coder/sessions/${s.id}/cancel`);
  });

  it('writes a token stream as one event, not one per token', async () => {
    const { chatId } = await h.project({});
    h.script.turn = async ({ sink }) => {
      for (let i = 0; i < 200; i++) sink.emit({ type: 'message.delta', text: 'x' });
      return 'end_turn';
    };
    const s = await start(chatId);
    await statusOf(h, s.id, 'idle');
    const deltas = (await eventsOf(h, s.id)).filter((e) => e.type === 'message.delta');
    expect(deltas).toEqual([{ type: 'message.delta', text: 'x'.repeat(200) }]);
  });

  it('writes a delta on its own after a moment, with no other event to push it out', async () => {
    const { chatId } = await h.project({});
    h.script.turn = async ({ sink, cwd }) => {
      sink.emit({ type: 'reasoning.delta', text: 'thinking' });
      // Only the flush timer can write it: the turn goes on once it is in the database.
      const { event } = await eventOf(h, path.basename(cwd), 'reasoning.delta');
      expect(event.text).toBe('thinking');
      return 'end_turn';
    };
    const s = await start(chatId);
    await statusOf(h, s.id, 'idle');
  });

  it('refuses a plain chat, a chat without project and an unknown one, creating nothing', async () => {
    const plain = await createChat(h.db.sql, { title: 'c', model: null });
    const noProject = await createChat(h.db.sql, { title: 'c', model: null, kind: 'coder' });
    for (const [chatId, status] of [
      [plain.id, 409],
      [noProject.id, 409],
      ['00000000-0000-4000-8000-000000000000', 404],
    ] as const) {
      const res = await h.api('POST', '/api/coder/sessions', {
        chatId,
        provider: 'qwen',
        prompt: 'x',
      });
      expect(res.status, chatId).toBe(status);
      expect(await listAgentSessions(h.db.sql, chatId)).toEqual([]);
    }
  });

  it('refuses a project that is not a git repository with 409, and makes no worktree', async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'x' });
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    const before = existsSync(path.join(h.home, 'worktrees'))
      ? await readdir(path.join(h.home, 'worktrees'))
      : [];
    const res = await h.api<{ code: string; message: string }>('POST', '/api/coder/sessions', {
      chatId,
      provider: 'qwen',
      prompt: 'x',
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/not in a git repository/);
    expect(await listAgentSessions(h.db.sql, chatId)).toEqual([]);
    const after = existsSync(path.join(h.home, 'worktrees'))
      ? await readdir(path.join(h.home, 'worktrees'))
      : [];
    expect(after).toEqual(before);
  });

  it("gives the registry's error for a disabled provider, creating nothing", async () => {
    const { chatId } = await h.project({});
    const res = await h.api<{ message: string }>('POST', '/api/coder/sessions', {
      chatId,
      provider: 'goose',
      prompt: 'x',
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/disabled/);
    expect(await listAgentSessions(h.db.sql, chatId)).toEqual([]);
  });
});

describe('listing', () => {
  it("lists a chat's sessions newest first, and a session's events after a seq", async () => {
    const { chatId } = await h.project({});
    h.script.turn = () => Promise.resolve('end_turn');
    const older = await start(chatId, 'one');
    await statusOf(h, older.id, 'idle');
    const newer = await start(chatId, 'two');
    await statusOf(h, newer.id, 'idle');
    const list = await h.api<{ sessions: AgentSession[] }>(
      'GET',
      `/api/coder/sessions?chatId=${chatId}`,
    );
    expect(list.body.sessions.map((s) => s.id)).toEqual([newer.id, older.id]);
    const events = await h.api<{ frames: { seq: number }[] }>(
      'GET',
      `/api/coder/sessions/${newer.id}/events?afterSeq=1`,
    );
    expect(events.status).toBe(200);
    expect(events.body.frames.map((f) => f.seq)).toEqual([2]); // the prompt is 1, done is 2
    const missing = await h.api(
      'GET',
      '/api/coder/sessions/00000000-0000-4000-8000-000000000000/events',
    );
    expect(missing.status).toBe(404);
    const bad = await h.api('GET', '/api/coder/sessions?chatId=nope');
    expect(bad.status).toBe(400);
  });
});

describe('turns', () => {
  it('takes a follow-up prompt after the turn, and refuses one while it runs', async () => {
    const { chatId } = await h.project({});
    let release = () => {};
    h.script.turn = ({ text }) =>
      text === 'first'
        ? new Promise((r) => (release = () => r('end_turn')))
        : Promise.resolve('end_turn');
    const s = await start(chatId, 'first');
    await statusOf(h, s.id, 'running');
    const busy = await h.api('POST', `/api/coder/sessions/${s.id}/prompt`, { text: 'again' });
    expect(busy.status).toBe(409);
    release();
    await statusOf(h, s.id, 'idle');
    const ok = await h.api<{ session: AgentSession }>(
      'POST',
      `/api/coder/sessions/${s.id}/prompt`,
      { text: 'second' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.session.status).not.toBe('idle');
    await statusOf(h, s.id, 'idle');
    const prompts = (await eventsOf(h, s.id)).filter((e) => e.type === 'prompt');
    expect(prompts.map((p) => p.type === 'prompt' && p.text)).toEqual(['first', 'second']);
  });

  it('cancel ends the running turn as cancelled and cancels its permission request', async () => {
    const { chatId } = await h.project({});
    h.script.turn = async ({ ask, cancelled }) => {
      const answer = await ask('Run rm -rf build');
      expect(answer).toEqual({ cancelled: true });
      await cancelled;
      return 'cancelled';
    };
    const s = await start(chatId);
    const asked = await eventOf(h, s.id, 'permission.request');
    const res = await h.api<{ session: AgentSession }>(
      'POST',
      `/api/coder/sessions/${s.id}/cancel`,
    );
    expect(res.status).toBe(200);
    await statusOf(h, s.id, 'idle');
    const events = await eventsOf(h, s.id);
    expect(events).toContainEqual({
      type: 'permission.resolved',
      permissionId: asked.event.permissionId,
      optionId: null,
    });
    expect(events.at(-1)).toEqual({ type: 'done', stopReason: 'cancelled' });
  });

  it('marks the session failed when the agent dies, with the reason, and closes it', async () => {
    const { chatId } = await h.project({});
    h.script.turn = () => Promise.reject(new Error('qwen exited with code 3: out of memory'));
    const s = await start(chatId);
    const failed = await statusOf(h, s.id, 'failed');
    expect(failed.error).toMatch(/exited with code 3/);
    expect((await eventsOf(h, s.id)).at(-1)).toEqual({
      type: 'error',
      message: 'qwen exited with code 3: out of memory',
    });
    expect(h.started.at(-1)!.closed).toBe(true);
    const again = await h.api('POST', `/api/coder/sessions/${s.id}/prompt`, { text: 'more' });
    expect(again.status).toBe(409);
  });
});

describe('closing', () => {
  it('DELETE kills the agent, removes the worktree and marks the session closed', async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'x' });
    h.script.turn = ({ cancelled }) => cancelled.then(() => 'cancelled');
    const s = await start(chatId);
    await statusOf(h, s.id, 'running');
    expect(existsSync(s.worktreePath)).toBe(true);
    const res = await h.api<{ session: AgentSession }>('DELETE', `/api/coder/sessions/${s.id}`);
    expect(res.status).toBe(200);
    expect(res.body.session.status).toBe('closed');
    expect(h.started.at(-1)!.closed).toBe(true);
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(git(root, 'worktree', 'list')).not.toContain(s.id);
  });

  it('kills the agent and removes the worktree of a session whose chat was deleted', async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'x' });
    h.script.turn = ({ cancelled }) => cancelled.then(() => 'cancelled');
    const s = await start(chatId);
    await statusOf(h, s.id, 'running');
    await h.db.sql`delete from chats where id = ${chatId}`;
    expect(await h.agents.sweep()).toBe(1);
    expect(h.started.at(-1)!.closed).toBe(true);
    expect(existsSync(s.worktreePath)).toBe(false);
    expect(git(root, 'worktree', 'list')).not.toContain(s.id);
  });

  it('after a restart, running sessions are failed, idle ones closed, permissions cancelled', async () => {
    const { chatId } = await h.project({});
    h.script.turn = async ({ ask }) => {
      await ask('Write a.txt');
      return 'end_turn';
    };
    const asking = await start(chatId);
    await eventOf(h, asking.id, 'permission.request');
    h.script.turn = () => Promise.resolve('end_turn');
    const idle = await start(chatId);
    await statusOf(h, idle.id, 'idle');

    await h.restart();

    const sessions = new Map((await listAgentSessions(h.db.sql, chatId)).map((s) => [s.id, s]));
    expect(sessions.get(asking.id)).toMatchObject({ status: 'failed', error: RESTART_REASON });
    expect(sessions.get(idle.id)).toMatchObject({ status: 'closed' });
    const inbox = await h.api<InboxList>('GET', '/api/coder/inbox');
    expect(
      inbox.body.items.filter((i) => i.kind === 'permission' && i.sessionId === asking.id),
    ).toEqual([]);
    expect((await eventsOf(h, asking.id)).slice(-2)).toEqual([
      expect.objectContaining({ type: 'permission.resolved', optionId: null }),
      { type: 'error', message: RESTART_REASON },
    ]);
    // The worktree stays until the session is deleted.
    expect(existsSync(asking.worktreePath)).toBe(true);
    const del = await h.api<{ session: AgentSession }>(
      'DELETE',
      `/api/coder/sessions/${asking.id}`,
    );
    expect(del.body.session.status).toBe('closed');
    expect(existsSync(asking.worktreePath)).toBe(false);
  });

  it("after a restart, a resumable session stays idle and its next prompt takes up the backend's own session", async () => {
    const { chatId } = await h.project({ 'a.txt': 'one\n' });
    h.script.resumeId = 'backend-session-1';
    h.script.turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'two\n');
      return 'end_turn';
    };
    const s = await start(chatId);
    await statusOf(h, s.id, 'idle');

    await h.restart();
    expect(await h.agents.get(s.id)).toMatchObject({ status: 'idle', resumable: true });
    h.script.turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'b.txt'), 'new\n');
      return 'end_turn';
    };
    const r = await h.api('POST', `/api/coder/sessions/${s.id}/prompt`, { text: 'go on' });
    expect(r.status).toBe(200);
    await statusOf(h, s.id, 'idle');
    expect(h.started.at(-1)!.opts).toMatchObject({ resume: 'backend-session-1', sessionId: s.id });
    // The worktree was taken up where it stood: only the new turn's file is queued.
    const changes = (await eventsOf(h, s.id)).filter((e) => e.type === 'changes');
    expect(changes).toEqual([
      { type: 'changes', paths: ['a.txt'] },
      { type: 'changes', paths: ['b.txt'] },
    ]);
    h.script.resumeId = undefined;
  });

  it('after a restart, the turn a resumable session was in is marked interrupted, its question cancelled', async () => {
    const { chatId } = await h.project({});
    h.script.resumeId = 'backend-session-2';
    h.script.turn = async ({ ask }) => {
      await ask('Write a.txt');
      return 'end_turn';
    };
    const s = await start(chatId);
    await eventOf(h, s.id, 'permission.request');

    await h.restart();
    h.script.resumeId = undefined;
    expect(await h.agents.get(s.id)).toMatchObject({ status: 'idle', error: null });
    expect((await eventsOf(h, s.id)).slice(-2)).toEqual([
      expect.objectContaining({ type: 'permission.resolved', optionId: null }),
      { type: 'done', stopReason: 'interrupted' },
    ]);
  });

  it('refuses a follow-up to a session that cannot be taken up after a restart', async () => {
    const { chatId } = await h.project({});
    h.script.turn = () => Promise.resolve('end_turn');
    const s = await start(chatId);
    await statusOf(h, s.id, 'idle');
    await h.restart();
    const r = await h.api<{ message: string }>('POST', `/api/coder/sessions/${s.id}/prompt`, {
      text: 'go on',
    });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('This session is closed; start a new one.');
  });
});
