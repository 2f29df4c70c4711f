import type { ChangeScope, Checkpoint, CheckpointChange, PriorFile } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

export interface StoredCheckpoint extends Checkpoint {
  position: number;
  files: PriorFile[];
  createdDirs: string[];
}

interface Row extends Omit<StoredCheckpoint, 'position' | 'createdAt' | 'rewoundAt'> {
  position: string;
  createdAt: Date;
  rewoundAt: Date | null;
}

const toCheckpoint = (r: Row): StoredCheckpoint => ({
  ...r,
  position: Number(r.position),
  createdAt: r.createdAt.toISOString(),
  rewoundAt: r.rewoundAt?.toISOString() ?? null,
});

/** The public view: without the stored contents. */
export function publicCheckpoint({
  files: _f,
  createdDirs: _d,
  position: _p,
  ...c
}: StoredCheckpoint): Checkpoint {
  return c;
}

export async function insertCheckpoint(
  sql: Queryable,
  input: {
    projectId: string;
    chatId: string | null;
    summary: string;
    files: PriorFile[];
    changes: CheckpointChange[];
    createdDirs: string[];
  },
): Promise<StoredCheckpoint> {
  const [row] = await sql<Row[]>`
    insert into checkpoints (project_id, chat_id, summary, files, changes, created_dirs)
    values (${input.projectId}, ${input.chatId}, ${input.summary},
      ${sql.json(input.files)}, ${sql.json(input.changes)},
      ${sql.json(input.createdDirs)})
    returning *`;
  return toCheckpoint(row!);
}

export async function getCheckpoint(sql: Queryable, id: string): Promise<StoredCheckpoint | null> {
  const [row] = await sql<Row[]>`select * from checkpoints where id = ${id}`;
  return row ? toCheckpoint(row) : null;
}

/** Newest first: a chat's checkpoints, or a project's. */
export async function listCheckpoints(
  sql: Queryable,
  scope: ChangeScope,
): Promise<StoredCheckpoint[]> {
  const rows = await sql<Row[]>`
    select * from checkpoints
    where true
      ${scope.chatId === undefined ? sql`` : sql`and chat_id = ${scope.chatId}`}
      ${scope.projectId === undefined ? sql`` : sql`and project_id = ${scope.projectId}`}
    order by position desc
    limit 500`;
  return rows.map(toCheckpoint);
}

/** The checkpoints of a project from `position` on that still stand, newest first. */
export async function standingSince(
  sql: Queryable,
  projectId: string,
  position: number,
): Promise<StoredCheckpoint[]> {
  const rows = await sql<Row[]>`
    select * from checkpoints
    where project_id = ${projectId} and position >= ${position} and rewound_at is null
    order by position desc`;
  return rows.map(toCheckpoint);
}

export async function markRewound(sql: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update checkpoints set rewound_at = now() where id = any(${ids}::uuid[])`;
}
