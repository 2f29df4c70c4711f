-- The Arena: one prompt to several agent sessions of a coder chat (its entrants), compared, one
-- picked. An entrant's changes stay in its worktree until the pick queues the winner's.
create table arenas (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references chats (id) on delete cascade,
  project_id uuid not null references projects (id) on delete cascade,
  prompt text not null,
  winner_session_id uuid references agent_sessions (id) on delete set null,
  -- { sessionId: [{ path, kind, additions, deletions, binary }] }: what each entrant changed,
  -- kept at the pick, when the losers' worktrees go
  files jsonb,
  picked_at timestamptz,
  created_at timestamptz not null default now()
);
create index arenas_chat_idx on arenas (chat_id, created_at desc);

alter table agent_sessions
  add column arena_id uuid references arenas (id) on delete cascade;
create index agent_sessions_arena_idx on agent_sessions (arena_id) where arena_id is not null;
