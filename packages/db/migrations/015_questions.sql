-- Questions for the human, asked in free text (an agent's ask_human through boocode's MCP
-- server) and answered once in the Inbox.
create table agent_questions (
  id uuid primary key default gen_random_uuid(),
  asker text not null,
  project_id uuid references projects (id) on delete cascade,
  question text not null,
  status text not null default 'pending' check (status in ('pending', 'answered', 'cancelled')),
  answer text,
  created_at timestamptz not null default now(),
  answered_at timestamptz
);
create index agent_questions_pending_idx on agent_questions (created_at) where status = 'pending';
