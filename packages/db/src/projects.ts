import type { Project } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface ProjectRow {
  id: string;
  name: string;
  path: string;
  createdAt: Date;
}

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  path: r.path,
  createdAt: r.createdAt.toISOString(),
});

/** Registers a project, or returns the one already registered at that path. */
export async function upsertProject(
  sql: Queryable,
  input: { name: string; path: string },
): Promise<{ project: Project; created: boolean }> {
  const [row] = await sql<(ProjectRow & { created: boolean })[]>`
    insert into projects (name, path) values (${input.name}, ${input.path})
    on conflict (path) do update set name = projects.name
    returning *, (xmax = 0) as created`;
  return { project: toProject(row!), created: row!.created };
}

export async function listProjects(sql: Queryable): Promise<Project[]> {
  const rows = await sql<ProjectRow[]>`select * from projects order by name, created_at`;
  return rows.map(toProject);
}

export async function getProject(sql: Queryable, id: string): Promise<Project | null> {
  const [row] = await sql<ProjectRow[]>`select * from projects where id = ${id}`;
  return row ? toProject(row) : null;
}

export async function deleteProject(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from projects where id = ${id} returning id`).length > 0;
}

export async function listGrants(sql: Queryable, chatId: string): Promise<string[]> {
  const rows = await sql<{ projectId: string }[]>`
    select project_id from chat_grants where chat_id = ${chatId} order by granted_at`;
  return rows.map((r) => r.projectId);
}

export async function grant(sql: Queryable, chatId: string, projectId: string): Promise<void> {
  await sql`insert into chat_grants (chat_id, project_id) values (${chatId}, ${projectId})
    on conflict do nothing`;
}

export async function revoke(sql: Queryable, chatId: string, projectId: string): Promise<void> {
  await sql`delete from chat_grants where chat_id = ${chatId} and project_id = ${projectId}`;
}

/** The projects a chat's tools may read: its own first, then its grants. */
export async function chatRoots(sql: Queryable, chatId: string): Promise<Project[]> {
  const rows = await sql<ProjectRow[]>`
    select p.* from chats c join projects p on p.id = c.project_id where c.id = ${chatId}
    union all
    select p.* from chat_grants g join projects p on p.id = g.project_id
    where g.chat_id = ${chatId}
      and p.id is distinct from (select project_id from chats where id = ${chatId})`;
  return rows.map(toProject);
}

export async function copyGrants(
  sql: Queryable,
  fromChatId: string,
  toChatId: string,
): Promise<void> {
  await sql`insert into chat_grants (chat_id, project_id)
    select ${toChatId}, project_id from chat_grants where chat_id = ${fromChatId}`;
}
