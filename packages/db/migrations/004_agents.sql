-- The agent a chat was started with (an id of the registry: builtin or user-defined); null: none.
alter table chats add column agent_id text;
