import type { ChangeKind, ChangeScope, ChangeStatus } from '@boocode/protocol';
import type { Queryable, Sql } from './sql.ts';

/** A queued change as stored: the contents it goes from and to, and the hash it was queued on. */
export interface StoredChange {
  id: string;
  position: number;
  chatId: string | null;
  projectId: string;
  path: string;
  kind: ChangeKind;
  oldString: string | null;
  newString: string | null;
  beforeContent: string | null;
  afterContent: string | null;
  baseHash: string | null;
  status: ChangeStatus;
  checkpointId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

interface Row extends Omit<StoredChange, 'position' | 'createdAt' | 'decidedAt'> {
  position: string;
  createdAt: Date;
  decidedAt: Date | null;
}

const toChange = (r: Row): StoredChange => ({
  ...r,
  position: Number(r.position),
  createdAt: r.createdAt.toISOString(),
  decidedAt: r.decidedAt?.toISOString() ?? null,
});

/**
 * Runs `fn` in a transaction holding the project's coder lock, so that queueing, applying and
 * rewinding in one project (from any process) happen one at a time.
 */
export function withProjectLock<T>(
  sql: Sql,
  projectId: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`boocode.coder:${projectId}`}))`;
    return fn(tx);
  }) as Promise<T>;
}

export async function insertPendingChange(
  sql: Queryable,
  input: Pick<
    StoredChange,
    | 'chatId'
    | 'projectId'
    | 'path'
    | 'kind'
    | 'oldString'
    | 'newString'
    | 'beforeContent'
    | 'afterContent'
    | 'baseHash'
  >,
): Promise<StoredChange> {
  const [row] = await sql<Row[]>`
    insert into pending_changes (chat_id, project_id, path, kind, old_string, new_string,
      before_content, after_content, base_hash)
    values (${input.chatId}, ${input.projectId}, ${input.path}, ${input.kind}, ${input.oldString},
      ${input.newString}, ${input.beforeContent}, ${input.afterContent}, ${input.baseHash})
    returning *`;
  return toChange(row!);
}

/** The newest pending change to a file of a project: the state later changes build on. */
export async function latestPendingFor(
  sql: Queryable,
  projectId: string,
  path: string,
): Promise<StoredChange | null> {
  const [row] = await sql<Row[]>`
    select * from pending_changes
    where project_id = ${projectId} and path = ${path} and status = 'pending'
    order by position desc limit 1`;
  return row ? toChange(row) : null;
}

/** Changes in queue order; `ids` narrows to those (the others of the scope are left out). */
export async function listChanges(
  sql: Queryable,
  scope: ChangeScope,
  opts: { status?: ChangeStatus; ids?: string[] } = {},
): Promise<StoredChange[]> {
  const rows = await sql<Row[]>`
    select * from pending_changes
    where true
      ${scope.chatId === undefined ? sql`` : sql`and chat_id = ${scope.chatId}`}
      ${scope.projectId === undefined ? sql`` : sql`and project_id = ${scope.projectId}`}
      ${opts.status === undefined ? sql`` : sql`and status = ${opts.status}`}
      ${opts.ids === undefined ? sql`` : sql`and id = any(${opts.ids}::uuid[])`}
    order by position
    limit 5000`;
  return rows.map(toChange);
}

/** Pending changes to the same files queued after `position`: they were built on it. */
export async function pendingAfter(
  sql: Queryable,
  projectId: string,
  paths: string[],
  position: number,
): Promise<StoredChange[]> {
  const rows = await sql<Row[]>`
    select * from pending_changes
    where project_id = ${projectId} and status = 'pending' and path = any(${paths}::text[])
      and position > ${position}
    order by position`;
  return rows.map(toChange);
}

/** Marks pending changes applied (with their checkpoint) or rejected. */
export async function decideChanges(
  sql: Queryable,
  ids: string[],
  status: 'applied' | 'rejected',
  checkpointId: string | null = null,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: string }[]>`
    update pending_changes set status = ${status}, checkpoint_id = ${checkpointId},
      decided_at = now()
    where id = any(${ids}::uuid[]) and status = 'pending'
    returning id`;
  return rows.map((r) => r.id);
}
