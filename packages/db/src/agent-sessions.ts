import type {
  AgentEvent,
  AgentFrame,
  AgentSession,
  AgentStatus,
  InboxItem,
  PermissionOption,
} from '@boocode/protocol';
import type { Queryable } from './sql.ts';

// JSON columns are read as text and parsed here: the client's camelCase transform would
// otherwise rename the snake_case keys inside an agent's tool input.

interface SessionRow {
  id: string;
  chatId: string;
  projectId: string;
  provider: string;
  mode: string | null;
  model: string | null;
  thinking: string | null;
  status: AgentStatus;
  error: string | null;
  worktreePath: string;
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
  mode: r.mode,
  model: r.model,
  thinking: r.thinking,
  status: r.status,
  error: r.error,
  worktreePath: r.worktreePath,
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
    mode: string | null;
    model: string | null;
    thinking: string | null;
    worktreePath: string;
  },
): Promise<AgentSession> {
  const [row] = await sql<SessionRow[]>`
    insert into agent_sessions (id, chat_id, project_id, provider, mode, model, thinking, worktree_path)
    values (coalesce(${s.id ?? null}::uuid, gen_random_uuid()), ${s.chatId}, ${s.projectId},
      ${s.provider}, ${s.mode}, ${s.model}, ${s.thinking}, ${s.worktreePath})
    returning *`;
  return toSession(row!);
}

export async function getAgentSession(sql: Queryable, id: string): Promise<AgentSession | null> {
  const [row] = await sql<SessionRow[]>`select * from agent_sessions where id = ${id}`;
  return row ? toSession(row) : null;
}

/** The sessions of a chat, newest first. */
export async function listAgentSessions(sql: Queryable, chatId: string): Promise<AgentSession[]> {
  const rows = await sql<SessionRow[]>`
    select * from agent_sessions where chat_id = ${chatId} order by created_at desc, id desc`;
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

export interface StoredPermission {
  id: string;
  sessionId: string;
  toolCallId: string | null;
  title: string;
  options: PermissionOption[];
  status: 'pending' | 'answered' | 'cancelled';
  optionId: string | null;
}

interface PermissionRow {
  id: string;
  sessionId: string;
  toolCallId: string | null;
  title: string;
  options: string;
  status: StoredPermission['status'];
  optionId: string | null;
}

const toPermission = (r: PermissionRow): StoredPermission => ({
  id: r.id,
  sessionId: r.sessionId,
  toolCallId: r.toolCallId,
  title: r.title,
  options: JSON.parse(r.options) as PermissionOption[],
  status: r.status,
  optionId: r.optionId,
});

const permissionColumns = (sql: Queryable) =>
  sql`id, session_id, tool_call_id, title, options::text as options, status, option_id`;

export async function insertAgentPermission(
  sql: Queryable,
  p: { sessionId: string; toolCallId: string | null; title: string; options: PermissionOption[] },
): Promise<StoredPermission> {
  const [row] = await sql<PermissionRow[]>`
    insert into agent_permissions (session_id, tool_call_id, title, options)
    values (${p.sessionId}, ${p.toolCallId}, ${p.title}, ${JSON.stringify(p.options)}::text::jsonb)
    returning ${permissionColumns(sql)}`;
  return toPermission(row!);
}

export async function getAgentPermission(
  sql: Queryable,
  id: string,
): Promise<StoredPermission | null> {
  const [row] = await sql<PermissionRow[]>`
    select ${permissionColumns(sql)} from agent_permissions where id = ${id}`;
  return row ? toPermission(row) : null;
}

/** Answers a pending permission; null when it was already answered or cancelled (or is gone). */
export async function answerAgentPermission(
  sql: Queryable,
  id: string,
  optionId: string,
): Promise<StoredPermission | null> {
  const [row] = await sql<PermissionRow[]>`
    update agent_permissions set status = 'answered', option_id = ${optionId}, answered_at = now()
    where id = ${id} and status = 'pending' returning ${permissionColumns(sql)}`;
  return row ? toPermission(row) : null;
}

/** Cancels a session's pending permissions; returns the ids it cancelled. */
export async function cancelAgentPermissions(sql: Queryable, sessionId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    update agent_permissions set status = 'cancelled', answered_at = now()
    where session_id = ${sessionId} and status = 'pending' returning id`;
  return rows.map((r) => r.id);
}

/** Every pending permission request, oldest first, with its session's chat and provider. */
export async function listInbox(sql: Queryable): Promise<InboxItem[]> {
  const rows = await sql<
    {
      id: string;
      sessionId: string;
      chatId: string;
      projectId: string;
      provider: string;
      title: string;
      options: string;
      createdAt: Date;
    }[]
  >`
    select p.id, p.session_id, s.chat_id, s.project_id, s.provider, p.title,
      p.options::text as options, p.created_at
    from agent_permissions p join agent_sessions s on s.id = p.session_id
    where p.status = 'pending' order by p.created_at, p.id`;
  return rows.map((r) => ({
    permissionId: r.id,
    sessionId: r.sessionId,
    chatId: r.chatId,
    projectId: r.projectId,
    provider: r.provider,
    title: r.title,
    options: JSON.parse(r.options) as PermissionOption[],
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * At start: sessions a previous process left starting or running become failed with `reason`,
 * idle ones closed. Returns the sessions it changed (their permissions are the caller's).
 */
export async function recoverAgentSessions(
  sql: Queryable,
  reason: string,
): Promise<AgentSession[]> {
  const rows = await sql<SessionRow[]>`
    update agent_sessions set
      status = case when status = 'idle' then 'closed' else 'failed' end,
      error = case when status = 'idle' then error else ${reason} end,
      updated_at = now()
    where status in ('starting', 'running', 'idle') returning *`;
  return rows.map(toSession);
}

export async function deleteAgentSession(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from agent_sessions where id = ${id} returning id`).length > 0;
}
