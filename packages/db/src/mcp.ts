import type { Queryable } from './sql.ts';

/** The MCP servers turned off in a chat, by name. */
export async function chatMcpDisabled(sql: Queryable, chatId: string): Promise<string[]> {
  const rows = await sql<{ serverName: string }[]>`
    select server_name from chat_mcp_disabled where chat_id = ${chatId} order by server_name`;
  return rows.map((r) => r.serverName);
}

/** Turns an MCP server on or off in one chat. */
export async function setChatMcpServer(
  sql: Queryable,
  chatId: string,
  serverName: string,
  enabled: boolean,
): Promise<void> {
  if (enabled) {
    await sql`delete from chat_mcp_disabled
      where chat_id = ${chatId} and server_name = ${serverName}`;
  } else {
    await sql`insert into chat_mcp_disabled (chat_id, server_name)
      values (${chatId}, ${serverName}) on conflict do nothing`;
  }
}

/** Forgets a removed server everywhere, so one added later under its name starts on. */
export async function forgetMcpServer(sql: Queryable, serverName: string): Promise<void> {
  await sql`delete from chat_mcp_disabled where server_name = ${serverName}`;
}

/** A forked chat keeps the MCP servers switched off in its source. */
export async function copyChatMcpDisabled(sql: Queryable, from: string, to: string): Promise<void> {
  await sql`
    insert into chat_mcp_disabled (chat_id, server_name)
    select ${to}, server_name from chat_mcp_disabled where chat_id = ${from}
    on conflict do nothing`;
}
