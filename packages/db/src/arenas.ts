import type { ArenaFile } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

/** An arena as stored; its entrants are the agent sessions whose arena_id is its id. */
export interface ArenaRecord {
  id: string;
  chatId: string;
  projectId: string;
  prompt: string;
  winnerSessionId: string | null;
  /** What each entrant changed, by session id, kept at the pick; null before it. */
  files: Record<string, ArenaFile[]> | null;
  pickedAt: string | null;
  createdAt: string;
}

interface ArenaRow {
  id: string;
  chatId: string;
  projectId: string;
  prompt: string;
  winnerSessionId: string | null;
  files: string | null;
  pickedAt: Date | null;
  createdAt: Date;
}

// files is read as text and parsed here: the client's camelCase transform would rename its
// session-id keys otherwise.
const COLUMNS =
  'id, chat_id, project_id, prompt, winner_session_id, files::text as files, picked_at, created_at';

const toArena = (r: ArenaRow): ArenaRecord => ({
  id: r.id,
  chatId: r.chatId,
  projectId: r.projectId,
  prompt: r.prompt,
  winnerSessionId: r.winnerSessionId,
  files: r.files === null ? null : (JSON.parse(r.files) as Record<string, ArenaFile[]>),
  pickedAt: r.pickedAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

export async function insertArena(
  sql: Queryable,
  a: { chatId: string; projectId: string; prompt: string },
): Promise<ArenaRecord> {
  const [row] = await sql<ArenaRow[]>`
    insert into arenas (chat_id, project_id, prompt)
    values (${a.chatId}, ${a.projectId}, ${a.prompt})
    returning ${sql.unsafe(COLUMNS)}`;
  return toArena(row!);
}

export async function getArena(sql: Queryable, id: string): Promise<ArenaRecord | null> {
  const [row] = await sql<ArenaRow[]>`
    select ${sql.unsafe(COLUMNS)} from arenas where id = ${id}`;
  return row ? toArena(row) : null;
}

/** The arenas of a chat, newest first. */
export async function listArenas(sql: Queryable, chatId: string): Promise<ArenaRecord[]> {
  const rows = await sql<ArenaRow[]>`
    select ${sql.unsafe(COLUMNS)} from arenas where chat_id = ${chatId}
    order by created_at desc, id desc`;
  return rows.map(toArena);
}

/**
 * Records the winner and what every entrant changed, once: null when the arena was already
 * picked (or is gone).
 */
export async function pickArena(
  sql: Queryable,
  id: string,
  winnerSessionId: string,
  files: Record<string, ArenaFile[]>,
): Promise<ArenaRecord | null> {
  const [row] = await sql<ArenaRow[]>`
    update arenas set winner_session_id = ${winnerSessionId},
      files = ${JSON.stringify(files)}::text::jsonb, picked_at = now()
    where id = ${id} and picked_at is null
    returning ${sql.unsafe(COLUMNS)}`;
  return row ? toArena(row) : null;
}

/** The session an arena's pick made its winner; null before the pick. */
export async function arenaWinner(sql: Queryable, id: string): Promise<string | null> {
  const [row] = await sql<{ winnerSessionId: string | null }[]>`
    select winner_session_id from arenas where id = ${id}`;
  return row?.winnerSessionId ?? null;
}

export async function deleteArena(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from arenas where id = ${id} returning id`).length > 0;
}
