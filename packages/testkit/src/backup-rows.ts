import type { Sql } from '@boocode/db';

/** What {@link seedBackupRows} put in: the ids to look for after a restore. */
export interface SeededRows {
  projectId: string;
  chatId: string;
  terminalId: string;
  pendingId: string;
  arenaId: string;
  sessionId: string;
}

/**
 * Rows of every kind a backup must keep, written with plain SQL: a project, a chat with two
 * messages, an SSH host and a terminal on it, a checkpoint and a pending change (identity
 * columns), an arena and its agent session (tables that refer to each other) with an event,
 * and a browser sign-in (which a backup leaves out).
 */
export async function seedBackupRows(sql: Sql): Promise<SeededRows> {
  const one = async (q: Promise<{ id: string }[]>) => (await q)[0]!.id;
  const projectId = await one(sql`
    insert into projects (name, path) values ('shop', '/srv/shop') returning id`);
  const chatId = await one(sql`
    insert into chats (title, model, project_id, kind) values ('Prices', 'm', ${projectId}, 'coder')
    returning id`);
  for (const [position, role, text] of [
    [0, 'user', 'raise the price'],
    [1, 'assistant', 'done: "12" — with a tab\tand a newline\n and a backslash \\'],
  ] as const) {
    await sql`insert into messages (chat_id, position, role, status, parts)
      values (${chatId}, ${position}, ${role}, 'complete', ${sql.json([{ type: 'text', text }])})`;
  }
  const hostId = await one(sql`
    insert into ssh_hosts (name, host, username) values ('box', 'box.lan', 'me') returning id`);
  const terminalId = await one(sql`
    insert into terminals (title, project_id, cwd, ssh_host_id, cols, rows)
    values ('build', ${projectId}, '/srv/shop', ${hostId}, 120, 40) returning id`);
  const checkpointId = await one(sql`
    insert into checkpoints (project_id, chat_id, summary, files, changes)
    values (${projectId}, ${chatId}, 'first', '[]', '[]') returning id`);
  await sql`insert into pending_changes (chat_id, project_id, path, kind, new_string, status, checkpoint_id)
    values (${chatId}, ${projectId}, 'old.txt', 'create', 'x', 'applied', ${checkpointId})`;
  const pendingId = await one(sql`
    insert into pending_changes (chat_id, project_id, path, kind, old_string, new_string)
    values (${chatId}, ${projectId}, 'price.txt', 'edit', 'price: 10', 'price: 12') returning id`);
  const arenaId = await one(sql`
    insert into arenas (chat_id, project_id, prompt) values (${chatId}, ${projectId}, 'race')
    returning id`);
  const sessionId = await one(sql`
    insert into agent_sessions (chat_id, project_id, provider, status, worktree_path, arena_id)
    values (${chatId}, ${projectId}, 'qwen', 'closed', '/tmp/wt', ${arenaId}) returning id`);
  await sql`update arenas set winner_session_id = ${sessionId} where id = ${arenaId}`;
  await sql`insert into agent_events (session_id, seq, event)
    values (${sessionId}, 1, ${sql.json({ type: 'text', text: 'hi' })})`;
  await sql`insert into sessions (secret_hash) values ('a-browser-sign-in')`;
  return { projectId, chatId, terminalId, pendingId, arenaId, sessionId };
}

/** Every dumped table's rows, sorted, to compare a database before and after a round trip. */
export async function tableContents(sql: Sql, tables: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rows = await sql.unsafe<{ r: string }[]>(`select to_jsonb(x)::text as r from "${t}" x`);
    out[t] = rows.map((x) => x.r).sort();
  }
  return out;
}
