-- What drives an agent session, and the backend's own session id where it can be taken up
-- again after coder restarts (the Claude Agent SDK's, whose transcript is in PostgreSQL).
alter table agent_sessions
  add column backend text not null default 'acp'
    check (backend in ('acp', 'opencode', 'claude_sdk', 'pty')),
  add column resume_id text,
  -- the worktree's tree last queued as pending changes: a resumed session queues from there
  add column synced_tree text;

-- A pty agent session's terminal goes with its session (its chat deleted): booterm ends the tmux
-- session of a terminal whose row is gone.
alter table terminals
  add column agent_session_id uuid references agent_sessions (id) on delete cascade;
