import type { Sql } from './sql.ts';

// Transcripts of Claude Agent SDK sessions (the SDK's SessionStore contract). JSON is read as
// text and parsed here: the client's camelCase transform would otherwise rename the keys of the
// entries, which must come back deep-equal to what was appended.

/** One transcript: a session's main one (no subpath) or a subagent's (`subagents/agent-x`). */
export interface ClaudeSessionKey {
  projectKey: string;
  sessionId: string;
  subpath?: string;
}

/** One JSONL transcript line, opaque but for its `uuid`. */
export type ClaudeSessionEntry = { type: string; uuid?: string; [key: string]: unknown };

/** A session's summary as the SDK folds it (`data` is opaque), stamped with the store's clock. */
export interface ClaudeSessionSummary {
  sessionId: string;
  mtime: number;
  data: Record<string, unknown>;
}

/** Folds the entries an append added into the session's previous summary (or none). */
export type FoldSummary = (
  prev: ClaudeSessionSummary | undefined,
  appended: ClaudeSessionEntry[],
  mtime: number,
) => ClaudeSessionSummary;

const subpathOf = (key: ClaudeSessionKey) => key.subpath ?? '';

/**
 * Appends entries to a transcript in order, in one transaction. An entry whose `uuid` the
 * transcript already holds is skipped (a retry or a replay); the others take the next
 * positions. The key row is locked first, so concurrent appends to one transcript queue up and
 * the summary's read-fold-write never races. `fold` keeps the main transcript's summary.
 */
export async function appendClaudeSessionEntries(
  sql: Sql,
  key: ClaudeSessionKey,
  entries: ClaudeSessionEntry[],
  fold?: FoldSummary,
): Promise<void> {
  const subpath = subpathOf(key);
  await sql.begin(async (tx) => {
    const [row] = await tx<{ mtime: string; nextPosition: string; summary: string | null }[]>`
      insert into claude_session_keys (project_key, session_id, subpath, mtime)
      values (${key.projectKey}, ${key.sessionId}, ${subpath}, 0)
      on conflict (project_key, session_id, subpath) do update set mtime = claude_session_keys.mtime
      returning mtime, next_position, summary::text as summary`;
    if (!row) throw new Error('the transcript row was not written');
    const prevMtime = Number(row.mtime);
    const base = Number(row.nextPosition);
    const added = await tx<{ ord: string }[]>`
      insert into claude_session_entries (project_key, session_id, subpath, position, uuid, entry)
      select ${key.projectKey}, ${key.sessionId}, ${subpath}, ${base} + e.ord, e.entry ->> 'uuid', e.entry
      from jsonb_array_elements(${JSON.stringify(entries)}::text::jsonb) with ordinality as e (entry, ord)
      on conflict do nothing
      returning position - ${base} as ord`;
    const appended = added
      .map((r) => Number(r.ord))
      .sort((a, b) => a - b)
      .map((ord) => entries[ord - 1] as ClaudeSessionEntry);
    // The store's own clock, rising on every append even within one millisecond.
    const mtime = Math.max(Date.now(), prevMtime + 1);
    const prev: ClaudeSessionSummary | undefined = row.summary
      ? { sessionId: key.sessionId, mtime: prevMtime, data: JSON.parse(row.summary) as never }
      : undefined;
    const summary = fold && subpath === '' ? fold(prev, appended, mtime).data : null;
    await tx`
      update claude_session_keys set mtime = ${mtime}, next_position = ${base + entries.length},
        summary = ${summary === null ? null : JSON.stringify(summary)}::text::jsonb
      where project_key = ${key.projectKey} and session_id = ${key.sessionId}
        and subpath = ${subpath}`;
  });
}

/** A transcript's entries in append order; null when it was never written. */
export async function loadClaudeSessionEntries(
  sql: Sql,
  key: ClaudeSessionKey,
): Promise<ClaudeSessionEntry[] | null> {
  const subpath = subpathOf(key);
  const rows = await sql<{ entry: string | null }[]>`
    select e.entry::text as entry from claude_session_keys k
    left join claude_session_entries e using (project_key, session_id, subpath)
    where k.project_key = ${key.projectKey} and k.session_id = ${key.sessionId}
      and k.subpath = ${subpath}
    order by e.position`;
  if (rows.length === 0) return null;
  return rows.flatMap((r) => (r.entry === null ? [] : [JSON.parse(r.entry) as ClaudeSessionEntry]));
}

/** The sessions of a project that have a main transcript, with their mtime. */
export async function listClaudeSessions(
  sql: Sql,
  projectKey: string,
): Promise<{ sessionId: string; mtime: number }[]> {
  const rows = await sql<{ sessionId: string; mtime: string }[]>`
    select session_id, mtime from claude_session_keys
    where project_key = ${projectKey} and subpath = ''`;
  return rows.map((r) => ({ sessionId: r.sessionId, mtime: Number(r.mtime) }));
}

/** The summaries of a project's sessions, as the appends folded them. */
export async function listClaudeSessionSummaries(
  sql: Sql,
  projectKey: string,
): Promise<ClaudeSessionSummary[]> {
  const rows = await sql<{ sessionId: string; mtime: string; summary: string }[]>`
    select session_id, mtime, summary::text as summary from claude_session_keys
    where project_key = ${projectKey} and subpath = '' and summary is not null`;
  return rows.map((r) => ({
    sessionId: r.sessionId,
    mtime: Number(r.mtime),
    data: JSON.parse(r.summary) as Record<string, unknown>,
  }));
}

/** The subpaths (subagent transcripts) of a session. */
export async function listClaudeSessionSubkeys(
  sql: Sql,
  key: { projectKey: string; sessionId: string },
): Promise<string[]> {
  const rows = await sql<{ subpath: string }[]>`
    select subpath from claude_session_keys
    where project_key = ${key.projectKey} and session_id = ${key.sessionId} and subpath <> ''
    order by subpath`;
  return rows.map((r) => r.subpath);
}

/** Deletes a transcript; the main one takes its subagents' along. */
export async function deleteClaudeSession(sql: Sql, key: ClaudeSessionKey): Promise<void> {
  if (key.subpath === undefined) {
    await sql`delete from claude_session_keys
      where project_key = ${key.projectKey} and session_id = ${key.sessionId}`;
    return;
  }
  await sql`delete from claude_session_keys
    where project_key = ${key.projectKey} and session_id = ${key.sessionId}
      and subpath = ${key.subpath}`;
}
