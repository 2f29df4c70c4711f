-- BooCoder: a coder chat's write tools queue changes; nothing reaches the disk until applied.
alter table chats add column kind text not null default 'chat' check (kind in ('chat', 'coder'));
-- The agent may apply its own changes and rewind (the pane's "Auto-apply" toggle).
alter table chats add column auto_apply boolean not null default false;

-- An apply: the prior content and existence of every file it touched, to rewind to.
create table checkpoints (
  id uuid primary key default gen_random_uuid(),
  -- creation order, exact where created_at ties
  position bigint generated always as identity,
  project_id uuid not null references projects (id) on delete cascade,
  chat_id uuid references chats (id) on delete set null,
  created_at timestamptz not null default now(),
  summary text not null,
  -- [{ path, existed, content, mode }]: each file as it was before the apply
  files jsonb not null,
  -- [{ path, kind }]: what the apply did to each
  changes jsonb not null,
  -- directories the apply created (relative paths), removed again on rewind when empty
  created_dirs jsonb not null default '[]',
  -- set when a rewind undid this checkpoint
  rewound_at timestamptz
);
create index checkpoints_project_idx on checkpoints (project_id, position desc);

create table pending_changes (
  id uuid primary key default gen_random_uuid(),
  -- queue order, also between changes made in one transaction
  position bigint generated always as identity,
  chat_id uuid references chats (id) on delete cascade,
  project_id uuid not null references projects (id) on delete cascade,
  -- relative to the project's real path, forward slashes
  path text not null,
  kind text not null check (kind in ('edit', 'create', 'delete')),
  old_string text,
  new_string text,
  -- the content the change was computed on (null: no file) and the content after (null: deleted)
  before_content text,
  after_content text,
  -- sha256 of before_content at queue time; null when the file did not exist
  base_hash text,
  status text not null default 'pending' check (status in ('pending', 'applied', 'rejected')),
  checkpoint_id uuid references checkpoints (id) on delete set null,
  created_at timestamptz not null default now(),
  decided_at timestamptz
);
create index pending_changes_project_idx on pending_changes (project_id, status, position);
create index pending_changes_chat_idx on pending_changes (chat_id, status, position);
