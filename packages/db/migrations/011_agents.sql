-- BooCoder agent sessions: one agent process working in its own git worktree of a project.
create table agent_sessions (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references chats (id) on delete cascade,
  project_id uuid not null references projects (id) on delete cascade,
  provider text not null,
  mode text,
  model text,
  thinking text,
  status text not null default 'starting'
    check (status in ('starting', 'running', 'idle', 'failed', 'closed')),
  error text,
  worktree_path text not null,
  input_tokens bigint not null default 0,
  output_tokens bigint not null default 0,
  cost_micros bigint not null default 0,
  -- the seq of the newest event; the next one takes last_seq + 1 under the row's lock
  last_seq bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index agent_sessions_chat_idx on agent_sessions (chat_id, created_at desc);
create index agent_sessions_live_idx on agent_sessions (status)
  where status in ('starting', 'running', 'idle');

create table agent_events (
  session_id uuid not null references agent_sessions (id) on delete cascade,
  seq bigint not null,
  event jsonb not null,
  created_at timestamptz not null default now(),
  primary key (session_id, seq)
);

create table agent_permissions (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references agent_sessions (id) on delete cascade,
  tool_call_id text,
  title text not null,
  -- [{ id, name, kind }]: the options the agent offered
  options jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'answered', 'cancelled')),
  option_id text,
  created_at timestamptz not null default now(),
  answered_at timestamptz
);
create index agent_permissions_pending_idx on agent_permissions (session_id)
  where status = 'pending';
