-- SSH hosts a terminal can be opened on. `username`: "user" is a reserved word.
create table ssh_hosts (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  host text not null,
  port integer not null default 22,
  username text not null,
  -- absolute path of the private key on the server; null: ssh's defaults
  identity_file text,
  created_at timestamptz not null default now()
);

-- One row per terminal; the terminal itself is the tmux session named after `id`.
create table terminals (
  id uuid primary key default gen_random_uuid(),
  title text not null,
  project_id uuid references projects (id) on delete set null,
  cwd text not null,
  ssh_host_id uuid references ssh_hosts (id) on delete set null,
  cols integer not null,
  rows integer not null,
  -- false once the tmux session is gone; the row stays until the terminal is closed
  alive boolean not null default true,
  created_at timestamptz not null default now()
);
