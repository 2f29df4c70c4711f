import type { SshHost } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface SshHostRow {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  identityFile: string | null;
  createdAt: Date;
}

const toSshHost = (r: SshHostRow): SshHost => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  user: r.username,
  identityFile: r.identityFile,
  createdAt: r.createdAt.toISOString(),
});

export async function insertSshHost(
  sql: Queryable,
  h: { name: string; host: string; port: number; user: string; identityFile: string | null },
): Promise<SshHost> {
  const [row] = await sql<SshHostRow[]>`
    insert into ssh_hosts (name, host, port, username, identity_file)
    values (${h.name}, ${h.host}, ${h.port}, ${h.user}, ${h.identityFile})
    returning *`;
  return toSshHost(row!);
}

export async function listSshHosts(sql: Queryable): Promise<SshHost[]> {
  const rows = await sql<SshHostRow[]>`select * from ssh_hosts order by name, created_at`;
  return rows.map(toSshHost);
}

export async function getSshHost(sql: Queryable, id: string): Promise<SshHost | null> {
  const [row] = await sql<SshHostRow[]>`select * from ssh_hosts where id = ${id}`;
  return row ? toSshHost(row) : null;
}

/** Changes the fields given; `identityFile: null` clears it. */
export async function updateSshHost(
  sql: Queryable,
  id: string,
  patch: {
    name?: string;
    host?: string;
    port?: number;
    user?: string;
    identityFile?: string | null;
  },
): Promise<SshHost | null> {
  const [row] = await sql<SshHostRow[]>`
    update ssh_hosts set
      name = coalesce(${patch.name ?? null}, name),
      host = coalesce(${patch.host ?? null}, host),
      port = coalesce(${patch.port ?? null}::integer, port),
      username = coalesce(${patch.user ?? null}, username),
      identity_file = ${patch.identityFile === undefined ? sql`identity_file` : patch.identityFile}
    where id = ${id}
    returning *`;
  return row ? toSshHost(row) : null;
}

export async function deleteSshHost(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from ssh_hosts where id = ${id} returning id`).length > 0;
}
