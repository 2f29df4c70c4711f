create table projects (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- the real path, as the path guard sees it
  path text not null unique,
  created_at timestamptz not null default now()
);

-- The chat's own project: what its read tools see. Removing the project leaves the chat.
alter table chats add column project_id uuid references projects (id) on delete set null;

-- Read access to more projects (cross-repo grants).
create table chat_grants (
  chat_id uuid not null references chats (id) on delete cascade,
  project_id uuid not null references projects (id) on delete cascade,
  granted_at timestamptz not null default now(),
  primary key (chat_id, project_id)
);
