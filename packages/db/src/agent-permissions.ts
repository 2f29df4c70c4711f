import type { InboxItem, InboxPermission, PermissionOption } from '@boocode/protocol';
import { listPendingQuestions } from './questions.ts';
import type { Queryable } from './sql.ts';

// Agents' permission requests: asked inline and in the inbox, answered once. The options are
// read as text and parsed here, as agent-sessions.ts does with its JSON.

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

/**
 * The Inbox: every pending permission request (with its session's chat and provider) and every
 * pending question, oldest first.
 */
export async function listInbox(sql: Queryable): Promise<InboxItem[]> {
  const [asked, questions] = await Promise.all([
    listPermissionRequests(sql),
    listPendingQuestions(sql),
  ]);
  const items: InboxItem[] = [
    ...asked,
    ...questions.map((q) => ({
      kind: 'question' as const,
      questionId: q.id,
      asker: q.asker,
      projectId: q.projectId,
      question: q.question,
      createdAt: q.createdAt,
    })),
  ];
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function listPermissionRequests(sql: Queryable): Promise<InboxPermission[]> {
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
    kind: 'permission' as const,
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
