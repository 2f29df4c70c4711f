import type { Queryable } from './sql.ts';

export interface SessionRow {
  id: string;
  userAgent: string;
  createdAt: Date;
  lastSeenAt: Date;
}

export async function createSession(
  sql: Queryable,
  s: { secretHash: string; userAgent: string },
): Promise<SessionRow> {
  const [row] = await sql<SessionRow[]>`
    insert into sessions (secret_hash, user_agent) values (${s.secretHash}, ${s.userAgent})
    returning id, user_agent, created_at, last_seen_at`;
  return row!;
}

/** The session whose secret hashes to `secretHash`; its last use is noted (once a minute). */
export async function findSession(sql: Queryable, secretHash: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    with found as (select id from sessions where secret_hash = ${secretHash}),
    touched as (
      update sessions set last_seen_at = now()
      where id in (select id from found) and last_seen_at < now() - interval '1 minute'
    )
    select id from found`;
  return row?.id ?? null;
}

export async function listSessions(sql: Queryable): Promise<SessionRow[]> {
  return sql<SessionRow[]>`
    select id, user_agent, created_at, last_seen_at from sessions order by last_seen_at desc`;
}

/** Ends a session; false when there was none. */
export async function deleteSession(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`delete from sessions where id = ${id} returning id`;
  return rows.length > 0;
}

/** Ends every session but `keep` (null: all of them); answers how many ended. */
export async function deleteOtherSessions(sql: Queryable, keep: string | null): Promise<number> {
  const rows = keep
    ? await sql`delete from sessions where id <> ${keep} returning id`
    : await sql`delete from sessions returning id`;
  return rows.length;
}
