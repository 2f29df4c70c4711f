import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, upsertProject } from '@boocode/db';
import type { AgentSession, PendingChange } from '@boocode/protocol';
import {
  eventOf,
  eventsOf,
  git,
  startHarness,
  statusOf,
  type Harness,
  type Turn,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function run(chatId: string, turn: Turn): Promise<AgentSession> {
  h.script.turn = turn;
  const res = await h.api<{ session: AgentSession }>('POST', '/api/coder/sessions', {
    chatId,
    provider: 'qwen',
    prompt: 'go',
  });
  expect(res.status).toBe(201);
  await statusOf(h, res.body.session.id, 'idle');
  return res.body.session;
}

/** A follow-up prompt, answered while its turn runs; resolves when the turn has ended. */
async function followUp(sessionId: string, text: string): Promise<void> {
  const res = await h.api('POST', `/api/coder/sessions/${sessionId}/prompt`, { text });
  expect(res.status).toBe(200);
  await statusOf(h, sessionId, 'idle');
}

async function pending(chatId: string): Promise<PendingChange[]> {
  const res = await h.api<{ changes: PendingChange[] }>(
    'GET',
    `/api/coder/pending?chatId=${chatId}`,
  );
  expect(res.status).toBe(200);
  return res.body.changes;
}

describe('what a turn changes in its worktree', () => {
  it('is queued as pending changes of the chat with the right diff, and a changes event', async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'one\ntwo\n', 'gone.txt': 'bye\n' });
    const s = await run(chatId, async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'one\n2\n');
      await mkdir(path.join(cwd, 'src'));
      await writeFile(path.join(cwd, 'src/new.ts'), 'export {};\n');
      await rm(path.join(cwd, 'gone.txt'));
      return 'end_turn';
    });
    const changes = await pending(chatId);
    const byPath = new Map(changes.map((c) => [c.path, c]));
    expect([...byPath.keys()].sort()).toEqual(['a.txt', 'gone.txt', 'src/new.ts']);
    expect(byPath.get('a.txt')).toMatchObject({
      kind: 'edit',
      additions: 1,
      deletions: 1,
      hunks: [expect.objectContaining({ lines: [' one', '-two', '+2'] })],
    });
    expect(byPath.get('src/new.ts')).toMatchObject({ kind: 'create', additions: 1 });
    expect(byPath.get('gone.txt')).toMatchObject({ kind: 'delete', deletions: 1 });
    const { event } = await eventOf(h, s.id, 'changes');
    expect([...event.paths].sort()).toEqual(['a.txt', 'gone.txt', 'src/new.ts']);
    // Nothing reached the project until applied.
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(existsSync(path.join(root, 'gone.txt'))).toBe(true);
  });

  it('a rename is a delete and an add', async () => {
    const { chatId } = await h.project({ 'old.txt': 'same\n' });
    await run(chatId, async ({ cwd }) => {
      await rename(path.join(cwd, 'old.txt'), path.join(cwd, 'new.txt'));
      return 'end_turn';
    });
    const kinds = (await pending(chatId)).map((c) => `${c.kind} ${c.path}`).sort();
    expect(kinds).toEqual(['create new.txt', 'delete old.txt']);
  });

  it('a follow-up turn adds only its own increment', async () => {
    const { chatId } = await h.project({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const s = await run(chatId, async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'a1\n');
      return 'end_turn';
    });
    h.script.turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'a2\n');
      await writeFile(path.join(cwd, 'b.txt'), 'b1\n');
      return 'end_turn';
    };
    await followUp(s.id, 'more');
    const changes = await pending(chatId);
    expect(changes.map((c) => `${c.path} ${c.hunks.flatMap((x) => x.lines).join('|')}`)).toEqual([
      'a.txt -a|+a1',
      'a.txt -a1|+a2',
      'b.txt -b|+b1',
    ]);
    // A third turn that changes nothing queues nothing and says no changes.
    h.script.turn = async () => 'end_turn';
    await followUp(s.id, 'nothing');
    expect(await pending(chatId)).toHaveLength(3);
    expect((await eventsOf(h, s.id)).filter((e) => e.type === 'changes')).toHaveLength(2);
  });

  it('leaves binary files out of the queue', async () => {
    const { chatId } = await h.project({ 'a.txt': 'a\n' });
    await run(chatId, async ({ cwd }) => {
      await writeFile(path.join(cwd, 'logo.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
      await writeFile(path.join(cwd, 'a.txt'), 'b\n');
      return 'end_turn';
    });
    expect((await pending(chatId)).map((c) => c.path)).toEqual(['a.txt']);
  });

  it('says in its changes event what it left out of the queue, and why', async () => {
    const { chatId } = await h.project({ 'a.txt': 'a\n' });
    const s = await run(chatId, async ({ cwd }) => {
      await writeFile(path.join(cwd, 'logo.png'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
      await writeFile(path.join(cwd, 'a.txt'), 'b\n');
      return 'end_turn';
    });
    expect((await eventOf(h, s.id, 'changes')).event).toEqual({
      type: 'changes',
      paths: ['a.txt'],
      skipped: [{ path: 'logo.png', reason: 'binary or too large' }],
    });
  });

  it('says an edit is already pending when another chat queued the same content', async () => {
    const { chatId, project } = await h.project({ 'a.txt': 'a\n' });
    const edit: Turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'same\n');
      return 'end_turn';
    };
    await run(chatId, edit);
    const other = await createChat(h.db.sql, {
      title: 'other',
      model: null,
      projectId: project.id,
      kind: 'coder',
    });
    const s = await run(other.id, edit);
    expect((await eventOf(h, s.id, 'changes')).event).toEqual({
      type: 'changes',
      paths: [],
      skipped: [{ path: 'a.txt', reason: 'already pending with this content' }],
    });
    expect(await pending(other.id)).toEqual([]);
  });

  it("starts from the user's uncommitted state and never reverts edits it did not touch", async () => {
    const { chatId, root } = await h.project({ 'a.txt': 'a\n', 'mine.txt': 'committed\n' });
    await writeFile(path.join(root, 'mine.txt'), 'my uncommitted edit\n');
    await writeFile(path.join(root, 'notes.txt'), 'untracked\n');
    await writeFile(path.join(root, '.gitignore'), 'secret.env\n');
    await writeFile(path.join(root, 'secret.env'), 'TOKEN=1\n');
    let seen: Record<string, string | null> = {};
    const s = await run(chatId, async ({ cwd }) => {
      const read = (p: string) => readFile(path.join(cwd, p), 'utf8').catch(() => null);
      seen = {
        mine: await read('mine.txt'),
        notes: await read('notes.txt'),
        secret: await read('secret.env'),
      };
      await writeFile(path.join(cwd, 'a.txt'), 'agent\n');
      return 'end_turn';
    });
    expect(seen).toEqual({ mine: 'my uncommitted edit\n', notes: 'untracked\n', secret: null });
    expect((await pending(chatId)).map((c) => c.path)).toEqual(['a.txt']);
    expect(await readFile(path.join(root, 'mine.txt'), 'utf8')).toBe('my uncommitted edit\n');
    // The worktree's baseline commit holds the user's state; the project's HEAD did not move.
    expect(git(s.worktreePath, 'log', '--format=%s', '-1').trim()).toBe('baseline');
    expect(git(root, 'log', '--format=%s').trim()).toBe('first');
    // Applying the agent's change leaves the user's edit alone.
    const applied = await h.api('POST', '/api/coder/apply', { chatId });
    expect(applied.status).toBe(200);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('agent\n');
    expect(await readFile(path.join(root, 'mine.txt'), 'utf8')).toBe('my uncommitted edit\n');
  });

  it('keeps the changes the agent committed itself', async () => {
    const { chatId } = await h.project({ 'a.txt': 'a\n' });
    await run(chatId, async ({ cwd }) => {
      await writeFile(path.join(cwd, 'a.txt'), 'committed by agent\n');
      git(cwd, 'add', '-A');
      git(cwd, '-c', 'user.name=a', '-c', 'user.email=a@a', 'commit', '-qm', 'agent');
      return 'end_turn';
    });
    expect((await pending(chatId)).map((c) => c.path)).toEqual(['a.txt']);
  });

  it('in a project that is a subfolder of its repository, queues only that folder, relative to it', async () => {
    const { root } = await h.project({ 'app/a.txt': 'a\n', 'other/b.txt': 'b\n' });
    const { project } = await upsertProject(h.db.sql, {
      name: 'app',
      path: path.join(root, 'app'),
    });
    const chat = await createChat(h.db.sql, {
      title: 'app',
      model: null,
      projectId: project.id,
      kind: 'coder',
    });
    let cwdSeen = '';
    await run(chat.id, async ({ cwd }) => {
      cwdSeen = cwd;
      await writeFile(path.join(cwd, 'a.txt'), 'a2\n');
      await writeFile(path.join(cwd, '../other/b.txt'), 'b2\n');
      return 'end_turn';
    });
    expect(path.basename(cwdSeen)).toBe('app');
    expect((await pending(chat.id)).map((c) => c.path)).toEqual(['a.txt']);
  });
});
