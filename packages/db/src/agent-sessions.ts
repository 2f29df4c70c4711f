import type {
  AgentBackendKind,
  AgentEvent,
  AgentFrame,
  AgentSession,
  AgentStatus,
} from '@boocode/protocol';
import type { Queryable } from './sql.ts';

// JSON columns are read as text and parsed here: the client's camelCase transform would
// otherwise rename the snake_case keys inside an agent's tool input.

interface SessionRow {
  id: string;
  chatId: string;
  projectId: string;
  provider: string;
  backend: AgentBackendKind;
  resumeId: string | null;
  mode: string | null;
  model: string | null;
  thinking: string | null;
  status: AgentStatus;
  error: string | null;
  worktreePath: string;
  arenaId: string | null;
  inputTokens: string;
  outputTokens: string;
  costMicros: string;
  lastSeq: string;
  createdAt: Date;
  updatedAt: Date;
}

const toSession = (r: SessionRow): AgentSession => ({
  id: r.id,
  chatId: r.chatId,
  projectId: r.projectId,
  provider: r.provider,
  backend: r.backend,
  resumable: r.resumeId !== null,
  mode: r.mode,
  model: r.model,
  thinking: r.thinking,
  status: r.status,
  error: r.error,
  worktreePath: r.worktreePath,
  arenaId: r.arenaId,
  inputTokens: Number(r.inputTokens),
  outputTokens: Number(r.outputTokens),
  costMicros: Number(r.costMicros),
  lastSeq: Number(r.lastSeq),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

interface FrameRow {
  sessionId: string;
  seq: string;
  event: string;
  createdAt: Date;
}

const toFrame = (r: FrameRow): AgentFrame => ({
  sessionId: r.sessionId,
  seq: Number(r.seq),
  at: r.createdAt.toISOString(),
  event: JSON.parse(r.event) as AgentEvent,
});

/** A new session row, status `starting`. */
export async function insertAgentSession(
  sql: Queryable,
  s: {
    id?: string;
    chatId: string;
    projectId: string;
    provider: string;
    backend?: AgentBackendKind;
    mode: string | null;
    model: string | null;
    thinking: string | null;
    worktreePath: string;
    /** The arena the session is an entrant of. */
    arenaId?: string | null;
  },
): Promise<AgentSession> {
  const [row] = await sql<SessionRow[]>`
    insert into agent_sessions
      (id, chat_id, project_id, provider, backend, mode, model, thinking, worktree_path, arena_id)
    values (coalesce(${s.id ?? null}::uuid, gen_random_uuid()), ${s.chatId}, ${s.projectId},
      ${s.provider}, ${s.backend ?? 'acp'}, ${s.mode}, ${s.model}, ${s.thinking}, ${s.worktreePath},
      ${s.arenaId ?? null})
    returning *`;
  return toSession(row!);
}

/** Where a resumable session stands: the backend's own session id, the tree last queued. */
export interface AgentResume {
  resumeId: string | null;
  syncedTree: string | null;
}

export async function getAgentResume(sql: Queryable, id: string): Promise<AgentResume | null> {
  const [row] = await sql<AgentResume[]>`
    select resume_id, synced_tree from agent_sessions where id = ${id}`;
  return row ?? null;
}

/** Saves what a session needs to be taken up again after a restart. */
export async function setAgentResume(sql: Queryable, id: string, r: AgentResume): Promise<void> {
  await sql`
    update agent_sessions set resume_id = ${r.resumeId}, synced_tree = ${r.syncedTree}
    where id = ${id}`;
}

export async function getAgentSession(sql: Queryable, id: string): Promise<AgentSession | null> {
  const [row] = await sql<SessionRow[]>`select * from agent_sessions where id = ${id}`;
  return row ? toSession(row) : null;
}

/** The newest sessions of every chat, newest first (the CLI's `agents status`). */
export async function listRecentAgentSessions(
  sql: Queryable,
  limit = 200,
): Promise<AgentSession[]> {
  const rows = await sql<SessionRow[]>`
    select * from agent_sessions order by created_at desc, id desc limit ${limit}`;
  return rows.map(toSession);
}

/** The sessions of a chat, newest first. */
export async function listAgentSessions(sql: Queryable, chatId: string): Promise<AgentSession[]> {
  const rows = await sql<SessionRow[]>`
    select * from agent_sessions where chat_id = ${chatId} order by created_at desc, id desc`;
  return rows.map(toSession);
}

/** The entrants of arenas, in the order they were entered. */
export async function listArenaSessions(
  sql: Queryable,
  arenaIds: string[],
): Promise<AgentSession[]> {
  if (arenaIds.length === 0) return [];
  const rows = await sql<SessionRow[]>`
    select * from agent_sessions where arena_id = any(${arenaIds}::uuid[])
    order by created_at, id`;
  return rows.map(toSession);
}

/** Sets a session's status (and its error: null clears it); null when there is no such session. */
export async function setAgentStatus(
  sql: Queryable,
  id: string,
  status: AgentStatus,
  error: string | null = null,
): Promise<AgentSession | null> {
  const [row] = await sql<SessionRow[]>`
    update agent_sessions set status = ${status}, error = ${error}, updated_at = now()
    where id = ${id} returning *`;
  return row ? toSession(row) : null;
}

/**
 * Appends events to a session in order, each with the next seq, in one statement: the update
 * of `last_seq` locks the row, so two writers never take the same seq. `usage` events add to
 * the session's totals in the same statement.
 */
export async function appendAgentEvents(
  sql: Queryable,
  sessionId: string,
  events: AgentEvent[],
): Promise<AgentFrame[]> {
  if (events.length === 0) return [];
  let input = 0;
  let output = 0;
  let cost = 0;
  for (const e of events) {
    if (e.type !== 'usage') continue;
    input += e.inputTokens;
    output += e.outputTokens;
    cost += e.costMicros ?? 0;
  }
  const n = events.length;
  const rows = await sql<FrameRow[]>`
    with s as (
      update agent_sessions set last_seq = last_seq + ${n},
        input_tokens = input_tokens + ${input}, output_tokens = output_tokens + ${output},
        cost_micros = cost_micros + ${cost}, updated_at = now()
      where id = ${sessionId} returning last_seq
    )
    insert into agent_events (session_id, seq, event)
    select ${sessionId}, s.last_seq - ${n} + e.ord, e.event
    from s, jsonb_array_elements(${JSON.stringify(events)}::text::jsonb) with ordinality as e (event, ord)
    returning session_id, seq, event::text as event, created_at`;
  return rows.map(toFrame).sort((a, b) => a.seq - b.seq);
}

/** A session's events after `afterSeq`, in order. */
export async function listAgentEvents(
  sql: Queryable,
  sessionId: string,
  afterSeq = 0,
): Promise<AgentFrame[]> {
  const rows = await sql<FrameRow[]>`
    select session_id, seq, event::text as event, created_at from agent_events
    where session_id = ${sessionId} and seq > ${afterSeq} order by seq`;
  return rows.map(toFrame);
}

/**
 * At start: sessions a previous process left starting or running become failed with `reason`,
 * idle ones closed; a resumable one (its backend keeps its conversation) stays idle. Returns the
 * sessions it changed, each with the status it had (their permissions are the caller's).
 */
export async function recoverAgentSessions(
  sql: Queryable,
  reason: string,
): Promise<(AgentSession & { was: AgentStatus })[]> {
  const rows = await sql<(SessionRow & { was: AgentStatus })[]>`
    with old as (
      select id, status from agent_sessions
      where status in ('starting', 'running', 'idle') for update
    )
    update agent_sessions a set
      status = case when a.resume_id is not null then 'idle'
        when a.status = 'idle' then 'closed' else 'failed' end,
      error = case when a.status = 'idle' or a.resume_id is not null then a.error
        else ${reason} end,
      updated_at = now()
    from old where a.id = old.id
    returning a.*, old.status as was`;
  return rows.map((r) => ({ ...toSession(r), was: r.was }));
}

export async function deleteAgentSession(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from agent_sessions where id = ${id} returning id`).length > 0;
}
