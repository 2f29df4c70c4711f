-- The code graph (packages/graph): per project, the source files indexed with tree-sitter and
-- what each holds. A file's rows go with it (on delete cascade), so re-indexing a file is
-- deleting its symbols, references and imports and writing the new ones.
-- pg_trgm ships with PostgreSQL (the embedded 16 has it) and is a trusted extension: the
-- database's owner may create it. It makes find_symbol's fuzzy match an index scan.
create extension if not exists pg_trgm;

create table graph_files (
  id bigint generated always as identity primary key,
  project_id uuid not null references projects (id) on delete cascade,
  path text not null,
  language text not null,
  content_hash text not null,
  size bigint not null,
  -- The scan's cheap check: a file whose size and mtime are unchanged is not read again.
  mtime_ms double precision not null,
  indexed_at timestamptz not null default now(),
  unique (project_id, path)
);

-- A file's symbols in document order; `ord` is the index a call's caller refers to.
create table graph_symbols (
  file_id bigint not null references graph_files (id) on delete cascade,
  ord int not null,
  name text not null,
  kind text not null,
  container text,
  start_line int not null,
  start_col int not null,
  end_line int not null,
  end_col int not null,
  primary key (file_id, ord)
);
create index graph_symbols_name_idx on graph_symbols (lower(name));
create index graph_symbols_name_trgm_idx on graph_symbols using gin (lower(name) gin_trgm_ops);

-- Every identifier a file uses that is not a definition's own name; calls are the ones
-- called, with the symbol (by ord) of the function or method they are made in.
create table graph_refs (
  file_id bigint not null references graph_files (id) on delete cascade,
  name text not null,
  line int not null,
  col int not null,
  is_call boolean not null,
  via_member boolean not null,
  caller_ord int
);
create index graph_refs_name_idx on graph_refs (name);
create index graph_refs_file_caller_idx on graph_refs (file_id, caller_ord);

create table graph_imports (
  file_id bigint not null references graph_files (id) on delete cascade,
  module text not null,
  names text[] not null,
  line int not null,
  dynamic boolean not null
);
create index graph_imports_file_idx on graph_imports (file_id);
