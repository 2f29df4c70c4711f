-- Transcripts of Claude Agent SDK sessions, mirrored by the SDK's SessionStore, so that a Claude
-- session resumes after boocode restarts. One row per transcript (a session's main one, subpath
-- '', and its subagents'), one row per JSONL entry.
create table claude_session_keys (
  project_key text not null,
  session_id text not null,
  subpath text not null default '',
  -- the store's clock (epoch ms, rising on every append): listSessions' and the summaries' mtime
  mtime bigint not null,
  -- the position the next appended entry takes
  next_position bigint not null default 0,
  -- the SDK's opaque SessionSummaryEntry.data (foldSessionSummary), main transcript only
  summary jsonb,
  primary key (project_key, session_id, subpath)
);

create table claude_session_entries (
  project_key text not null,
  session_id text not null,
  subpath text not null,
  position bigint not null,
  -- the entry's uuid, its idempotency key; entries without one are appended without dedup
  uuid text,
  entry jsonb not null,
  created_at timestamptz not null default now(),
  primary key (project_key, session_id, subpath, position),
  foreign key (project_key, session_id, subpath)
    references claude_session_keys (project_key, session_id, subpath) on delete cascade
);
create unique index claude_session_entries_uuid_idx
  on claude_session_entries (project_key, session_id, subpath, uuid) where uuid is not null;
