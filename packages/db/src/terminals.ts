import type { Terminal } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface TerminalRow {
  id: string;
  title: string;
  projectId: string | null;
  cwd: string;
  sshHostId: string | null;
  cols: number;
  rows: number;
  alive: boolean;
  createdAt: Date;
}

const toTerminal = (r: TerminalRow): Terminal => ({
  id: r.id,
  title: r.title,
  projectId: r.projectId,
  cwd: r.cwd,
  sshHostId: r.sshHostId,
  cols: r.cols,
  rows: r.rows,
  alive: r.alive,
  createdAt: r.createdAt.toISOString(),
});

export async function insertTerminal(
  sql: Queryable,
  t: {
    title: string;
    projectId: string | null;
    cwd: string;
    sshHostId: string | null;
    /** A pty agent session's terminal: its row goes with the session. */
    agentSessionId?: string | null;
    cols: number;
    rows: number;
  },
): Promise<Terminal> {
  const [row] = await sql<TerminalRow[]>`
    insert into terminals (title, project_id, cwd, ssh_host_id, agent_session_id, cols, rows)
    values (${t.title}, ${t.projectId}, ${t.cwd}, ${t.sshHostId}, ${t.agentSessionId ?? null},
      ${t.cols}, ${t.rows})
    returning *`;
  return toTerminal(row!);
}

export async function listTerminals(sql: Queryable): Promise<Terminal[]> {
  const rows = await sql<TerminalRow[]>`select * from terminals order by created_at, id`;
  return rows.map(toTerminal);
}

export async function getTerminal(sql: Queryable, id: string): Promise<Terminal | null> {
  const [row] = await sql<TerminalRow[]>`select * from terminals where id = ${id}`;
  return row ? toTerminal(row) : null;
}

export async function renameTerminal(
  sql: Queryable,
  id: string,
  title: string,
): Promise<Terminal | null> {
  const [row] = await sql<TerminalRow[]>`
    update terminals set title = ${title} where id = ${id} returning *`;
  return row ? toTerminal(row) : null;
}

export async function setTerminalSize(
  sql: Queryable,
  id: string,
  size: { cols: number; rows: number },
): Promise<Terminal | null> {
  const [row] = await sql<TerminalRow[]>`
    update terminals set cols = ${size.cols}, rows = ${size.rows} where id = ${id} returning *`;
  return row ? toTerminal(row) : null;
}

/** Marks the terminals whose session is gone; returns how many changed. */
export async function markTerminalsDead(sql: Queryable, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await sql`
    update terminals set alive = false where id = any(${ids}::uuid[]) and alive returning id`;
  return rows.length;
}

export async function deleteTerminal(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from terminals where id = ${id} returning id`).length > 0;
}
