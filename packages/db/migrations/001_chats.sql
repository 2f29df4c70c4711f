create table chats (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  model text,
  -- last seq of the chat's event stream that is reflected in the rows below
  last_seq bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index chats_updated_at_idx on chats (updated_at desc);

create table messages (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references chats (id) on delete cascade,
  position integer not null,
  role text not null check (role in ('user', 'assistant', 'system')),
  status text not null check (status in ('streaming', 'complete', 'stopped', 'interrupted', 'error')),
  parts jsonb not null default '[]',
  model text,
  prompt_tokens integer,
  completion_tokens integer,
  created_at timestamptz not null default now(),
  unique (chat_id, position)
);
create index messages_streaming_idx on messages (status) where status = 'streaming';
