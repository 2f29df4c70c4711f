-- The chat list is in order of the last message: a rename or another model does not move a chat.
alter table chats add column active_at timestamptz;
update chats set active_at = updated_at;
alter table chats alter column active_at set not null, alter column active_at set default now();
create index chats_active_at_idx on chats (active_at desc);
