import { Workspace } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface WorkspaceRow {
  layout: unknown;
  updatedAt: Date;
}

export const DEFAULT_WORKSPACE = 'default';

/**
 * The stored workspace, or null when none is stored or what is stored no longer parses (a pane
 * kind that was removed, say): the caller then shows the default rather than failing.
 */
export async function getWorkspace(
  sql: Queryable,
  name = DEFAULT_WORKSPACE,
): Promise<{ workspace: Workspace; updatedAt: string } | null> {
  const [row] = await sql<WorkspaceRow[]>`
    select layout, updated_at from workspaces where name = ${name}`;
  if (!row) return null;
  const parsed = Workspace.safeParse(row.layout);
  if (!parsed.success) return null;
  return { workspace: parsed.data, updatedAt: row.updatedAt.toISOString() };
}

/** Replaces the stored workspace; returns when it was saved. */
export async function saveWorkspace(
  sql: Queryable,
  workspace: Workspace,
  name = DEFAULT_WORKSPACE,
): Promise<string> {
  const [row] = await sql<{ updatedAt: Date }[]>`
    insert into workspaces (name, layout) values (${name}, ${sql.json(workspace)})
    on conflict (name) do update set layout = excluded.layout, updated_at = now()
    returning updated_at`;
  return row!.updatedAt.toISOString();
}
