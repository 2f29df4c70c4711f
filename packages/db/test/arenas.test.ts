import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import {
  arenaWinner,
  createChat,
  deleteChat,
  getArena,
  insertAgentSession,
  insertArena,
  listArenaSessions,
  listArenas,
  pickArena,
  upsertProject,
  type Sql,
} from '../src/index.ts';

let db: TestDatabase;
let sql: Sql;
let projectId: string;
beforeAll(async () => {
  db = await testDatabase();
  sql = db.sql;
  projectId = (await upsertProject(sql, { name: 'p', path: '/tmp/arenas-p' })).project.id;
});
afterAll(async () => {
  await db.drop();
});

async function arenaWithEntrants(n: number) {
  const chat = await createChat(sql, { title: 'c', model: null, projectId, kind: 'coder' });
  const arena = await insertArena(sql, { chatId: chat.id, projectId, prompt: 'go' });
  const sessions = [];
  for (let i = 0; i < n; i++) {
    sessions.push(
      await insertAgentSession(sql, {
        chatId: chat.id,
        projectId,
        provider: 'qwen',
        mode: null,
        model: `m${i}`,
        thinking: null,
        worktreePath: `/tmp/wt-${i}`,
        arenaId: arena.id,
      }),
    );
  }
  return { chatId: chat.id, arena, sessions };
}

describe('arenas', () => {
  it('lists its entrants in the order they were entered, each marked with the arena', async () => {
    const { arena, sessions } = await arenaWithEntrants(3);
    const listed = await listArenaSessions(sql, [arena.id]);
    expect(listed.map((s) => [s.id, s.arenaId])).toEqual(sessions.map((s) => [s.id, arena.id]));
  });

  it('records its winner and every entrant’s files once; a second pick changes nothing', async () => {
    const { arena, sessions } = await arenaWithEntrants(2);
    const [a, b] = sessions;
    const file = {
      path: 'p.txt',
      kind: 'edit' as const,
      additions: 1,
      deletions: 1,
      binary: false,
    };
    const files = { [a!.id]: [file], [b!.id]: [] };
    const picked = await pickArena(sql, arena.id, a!.id, files);
    expect(picked).toMatchObject({ winnerSessionId: a!.id, files });
    expect(picked!.pickedAt).not.toBeNull();
    expect(await pickArena(sql, arena.id, b!.id, {})).toBeNull();
    expect(await getArena(sql, arena.id)).toMatchObject({ winnerSessionId: a!.id, files });
    expect(await arenaWinner(sql, arena.id)).toBe(a!.id);
  });

  it("are listed newest first, and go with their chat (and their entrants' rows)", async () => {
    const { chatId, arena: first } = await arenaWithEntrants(2);
    const second = await insertArena(sql, { chatId, projectId, prompt: 'again' });
    expect((await listArenas(sql, chatId)).map((a) => a.id)).toEqual([second.id, first.id]);
    await deleteChat(sql, chatId);
    expect(await listArenas(sql, chatId)).toEqual([]);
    expect(await listArenaSessions(sql, [first.id])).toEqual([]);
  });
});
