-- The panes on screen (a tree of splits, see packages/protocol/src/workspace.ts), one row per
-- workspace. There is one workspace, 'default', for now; the key leaves room for more.
create table workspaces (
  name text primary key,
  layout jsonb not null,
  updated_at timestamptz not null default now()
);
