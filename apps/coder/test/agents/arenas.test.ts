import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAgentSessions } from '@boocode/db';
import {
  Arena,
  ArenaDiff,
  ArenaList,
  PendingList,
  type AgentStatus,
  type StartArenaBody,
} from '@boocode/protocol';
import { RESTART_REASON } from '../../src/agents/sessions.ts';
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

/** Each entrant (a qwen of its own model) writes price.txt with its model's price. */
const writesPrice: Turn = async ({ cwd, sink }) => {
  const model = h.started.find((a) => a.opts.cwd === cwd)!.opts.model!;
  sink.emit({ type: 'message.delta', text: `I set it to ${model}.` });
  sink.emit({ type: 'usage', inputTokens: 10, outputTokens: Number(model), costMicros: 5 });
  await writeFile(path.join(cwd, 'price.txt'), `price: ${model}\n`);
  if (model === '13') await writeFile(path.join(cwd, 'extra.txt'), 'more\n');
  return 'end_turn';
};

async function startArena(chatId: string, models: string[]): Promise<Arena> {
  const body: StartArenaBody = {
    chatId,
    prompt: 'raise the price',
    entrants: models.map((model) => ({ provider: 'qwen', model })),
  };
  const res = await h.api<unknown>('POST', '/api/coder/arenas', body);
  expect(res.status).toBe(201);
  return Arena.parse((res.body as { arena: unknown }).arena);
}

async function settled(arena: Arena, status: AgentStatus = 'idle'): Promise<Arena> {
  for (const e of arena.entrants) await statusOf(h, e.session.id, status);
  const res = await h.api<{ arena: unknown }>('GET', `/api/coder/arenas/${arena.id}`);
  return Arena.parse(res.body.arena);
}

async function pending(chatId: string) {
  return PendingList.parse((await h.api('GET', `/api/coder/pending?chatId=${chatId}`)).body)
    .changes;
}

describe('an arena', () => {
  it('runs every entrant on the prompt in its own worktree and queues nothing before the pick', async () => {
    const { chatId, root } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    const arena = await settled(await startArena(chatId, ['12', '13']));

    const [a, b] = arena.entrants;
    expect(arena.winnerSessionId).toBeNull();
    expect(new Set(arena.entrants.map((e) => e.session.worktreePath)).size).toBe(2);
    expect(a).toMatchObject({
      text: 'I set it to 12.',
      session: { arenaId: arena.id, model: '12', status: 'idle', outputTokens: 12 },
      files: [{ path: 'price.txt', kind: 'edit', additions: 1, deletions: 1, binary: false }],
    });
    expect(a!.durationMs).toBeGreaterThanOrEqual(0);
    expect(b!.files).toEqual([
      { path: 'extra.txt', kind: 'create', additions: 1, deletions: 0, binary: false },
      { path: 'price.txt', kind: 'edit', additions: 1, deletions: 1, binary: false },
    ]);
    expect(await pending(chatId)).toEqual([]);
    expect((await eventsOf(h, a!.session.id)).map((e) => e.type)).not.toContain('changes');
    expect(git(root, 'status', '--porcelain')).toBe('');

    const diff = await h.api('GET', `/api/coder/arenas/${arena.id}/diff/${a!.session.id}`);
    expect(ArenaDiff.parse(diff.body).files[0]!.hunks.flatMap((x) => x.lines)).toEqual([
      '-price: 10',
      '+price: 12',
    ]);
  });

  it("picking queues exactly the winner's diff, closes the others and removes their worktrees; a second pick is a 409", async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    const arena = await settled(await startArena(chatId, ['12', '13', '14']));
    const [loserA, winner, loserB] = arena.entrants.map((e) => e.session);

    const picked = await h.api<{ arena: unknown }>('POST', `/api/coder/arenas/${arena.id}/pick`, {
      sessionId: winner!.id,
    });
    expect(picked.status).toBe(200);
    const after = Arena.parse(picked.body.arena);
    expect(after.winnerSessionId).toBe(winner!.id);
    expect(after.entrants.map((e) => e.session.status)).toEqual(['closed', 'idle', 'closed']);
    // What each changed is kept with the arena, though the losers' worktrees are gone.
    expect(after.entrants[0]!.files).toEqual([expect.objectContaining({ path: 'price.txt' })]);

    const changes = await pending(chatId);
    expect(changes.map((c) => [c.path, c.kind])).toEqual([
      ['extra.txt', 'create'],
      ['price.txt', 'edit'],
    ]);
    expect(changes[1]!.hunks.flatMap((x) => x.lines)).toEqual(['-price: 10', '+price: 13']);
    expect(await eventsOf(h, winner!.id)).toContainEqual({
      type: 'changes',
      paths: ['extra.txt', 'price.txt'],
    });
    expect(existsSync(loserA!.worktreePath)).toBe(false);
    expect(existsSync(loserB!.worktreePath)).toBe(false);
    expect(existsSync(winner!.worktreePath)).toBe(true);

    const again = await h.api<{ code: string }>('POST', `/api/coder/arenas/${arena.id}/pick`, {
      sessionId: winner!.id,
    });
    expect(again.status).toBe(409);
    expect(await pending(chatId)).toHaveLength(2);
  });

  it('the winner, once picked, queues its next turns like any session', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    const arena = await settled(await startArena(chatId, ['12', '15']));
    const winner = arena.entrants[0]!.session;
    await h.api('POST', `/api/coder/arenas/${arena.id}/pick`, { sessionId: winner.id });
    h.script.turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'notes.txt'), 'noted\n');
      return 'end_turn';
    };
    const prompted = await h.api<{ session: { lastSeq: number } }>(
      'POST',
      `/api/coder/sessions/${winner.id}/prompt`,
      { text: 'note it' },
    );
    await eventOf(h, winner.id, 'done', prompted.body.session.lastSeq);
    expect((await pending(chatId)).map((c) => c.path)).toEqual(['price.txt', 'notes.txt']);
  });

  it('an entrant that failed cannot win, and the arena can still be won by another', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = async (t) => {
      const model = h.started.find((a) => a.opts.cwd === t.cwd)!.opts.model;
      if (model === '99') throw new Error('the model is overloaded');
      return writesPrice(t);
    };
    const arena = await startArena(chatId, ['99', '12']);
    const [failed, ok] = arena.entrants.map((e) => e.session);
    await statusOf(h, failed!.id, 'failed');
    await statusOf(h, ok!.id, 'idle');

    const res = await h.api<{ code: string; message: string }>(
      'POST',
      `/api/coder/arenas/${arena.id}/pick`,
      { sessionId: failed!.id },
    );
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/failed/);
    expect(await pending(chatId)).toEqual([]);
    const shown = await h.api<{ arena: unknown }>('GET', `/api/coder/arenas/${arena.id}`);
    expect(Arena.parse(shown.body.arena)).toMatchObject({
      winnerSessionId: null,
      entrants: [
        { session: { status: 'failed', error: expect.stringMatching(/overloaded/) } },
        { session: { status: 'idle' } },
      ],
    });
    const won = await h.api('POST', `/api/coder/arenas/${arena.id}/pick`, { sessionId: ok!.id });
    expect(won.status).toBe(200);
  });

  it("is listed with the chat's others, newest first, with its winner", async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    const first = await settled(await startArena(chatId, ['12', '13']));
    await h.api('POST', `/api/coder/arenas/${first.id}/pick`, {
      sessionId: first.entrants[1]!.session.id,
    });
    const second = await settled(await startArena(chatId, ['14', '15']));

    const list = ArenaList.parse((await h.api('GET', `/api/coder/arenas?chatId=${chatId}`)).body);
    expect(list.arenas.map((a) => [a.id, a.winnerSessionId])).toEqual([
      [second.id, null],
      [first.id, first.entrants[1]!.session.id],
    ]);
    expect(list.arenas[1]!.entrants.map((e) => e.text)).toEqual([
      'I set it to 12.',
      'I set it to 13.',
    ]);
  });

  it('refuses an entrant it cannot start, and starts none', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    const before = await readdir(path.join(h.home, 'worktrees')).catch(() => []);
    const res = await h.api<{ code: string; message: string }>('POST', '/api/coder/arenas', {
      chatId,
      prompt: 'go',
      entrants: [{ provider: 'qwen' }, { provider: 'goose' }],
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/goose is disabled/);
    const one = await h.api('POST', '/api/coder/arenas', {
      chatId,
      prompt: 'go',
      entrants: [{ provider: 'qwen' }],
    });
    expect(one.status).toBe(400);
    expect(await listAgentSessions(h.db.sql, chatId)).toEqual([]);
    expect(
      ArenaList.parse((await h.api('GET', `/api/coder/arenas?chatId=${chatId}`)).body),
    ).toEqual({ arenas: [] });
    expect(await readdir(path.join(h.home, 'worktrees')).catch(() => [])).toEqual(before);
  });

  it('a resumable entrant picked after a restart queues its changes, and its next turns too', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    h.script.resumeId = 'backend-session';
    const arena = await settled(await startArena(chatId, ['12', '13']));
    await h.restart(); // idle and resumable, they stay idle with no live run
    h.script.resumeId = undefined;
    const [winner, loser] = arena.entrants.map((e) => e.session);

    const picked = await h.api('POST', `/api/coder/arenas/${arena.id}/pick`, {
      sessionId: winner!.id,
    });
    expect(picked.status).toBe(200);
    expect((await pending(chatId)).map((c) => c.hunks.flatMap((x) => x.lines))).toEqual([
      ['-price: 10', '+price: 12'],
    ]);
    expect(existsSync(loser!.worktreePath)).toBe(false);

    h.script.turn = async ({ cwd }) => {
      await writeFile(path.join(cwd, 'notes.txt'), 'noted\n');
      return 'end_turn';
    };
    const prompted = await h.api<{ session: { lastSeq: number } }>(
      'POST',
      `/api/coder/sessions/${winner!.id}/prompt`,
      { text: 'note it' },
    );
    await eventOf(h, winner!.id, 'done', prompted.body.session.lastSeq);
    expect((await pending(chatId)).map((c) => c.path)).toEqual(['price.txt', 'notes.txt']);
  });

  it('an entrant a restart closed (not resumable, done before it) can still win with its worktree', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = writesPrice;
    const arena = await settled(await startArena(chatId, ['12', '13']));
    await h.restart();
    const [winner, loser] = arena.entrants.map((e) => e.session);
    await statusOf(h, winner!.id, 'closed');

    const picked = await h.api('POST', `/api/coder/arenas/${arena.id}/pick`, {
      sessionId: winner!.id,
    });
    expect(picked.status).toBe(200);
    expect((await pending(chatId)).map((c) => c.hunks.flatMap((x) => x.lines))).toEqual([
      ['-price: 10', '+price: 12'],
    ]);
    expect(existsSync(loser!.worktreePath)).toBe(false);
  });

  it('after a restart its running entrants are failed and it stays listed', async () => {
    const { chatId } = await h.project({ 'price.txt': 'price: 10\n' });
    h.script.turn = ({ cancelled }) => cancelled.then(() => 'cancelled');
    const arena = await startArena(chatId, ['12', '13']);
    for (const e of arena.entrants) await statusOf(h, e.session.id, 'running');

    await h.restart();

    const list = ArenaList.parse((await h.api('GET', `/api/coder/arenas?chatId=${chatId}`)).body);
    expect(list.arenas.map((a) => a.id)).toEqual([arena.id]);
    expect(list.arenas[0]!.entrants.map((e) => [e.session.status, e.session.error])).toEqual([
      ['failed', RESTART_REASON],
      ['failed', RESTART_REASON],
    ]);
  });
});
