-- The MCP servers a chat does not use. Servers live in $BOOCODE_HOME/mcp.json, keyed by
-- name; every server is on in every chat unless a row here turns it off.
create table chat_mcp_disabled (
  chat_id uuid not null references chats (id) on delete cascade,
  server_name text not null,
  primary key (chat_id, server_name)
);
