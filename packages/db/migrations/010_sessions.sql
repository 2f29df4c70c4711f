-- Sign-ins: the printed token is traded for a session of its own, which can be ended alone.
-- Only a hash of the session's secret (the cookie) is kept.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  secret_hash text not null unique,
  user_agent text not null default '',
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);
