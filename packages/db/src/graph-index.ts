import type { GraphLanguage, SymbolKind } from '@boocode/protocol';
import type { Queryable, Sql } from './sql.ts';

/** What the code graph keeps of one file (packages/graph extracts it). Lines, columns 1-based. */
export interface GraphFileRows {
  symbols: {
    name: string;
    kind: SymbolKind;
    container: string | null;
    startLine: number;
    startCol: number;
    endLine: number;
    endCol: number;
  }[];
  refs: {
    name: string;
    line: number;
    col: number;
    call: boolean;
    member: boolean;
    /** The index in `symbols` of the function or method it is in. */
    callerOrd: number | null;
  }[];
  imports: { module: string; names: string[]; line: number; dynamic: boolean }[];
}

/** A file as the last scan left it: what tells whether it must be read again. */
export interface GraphFileStamp {
  path: string;
  contentHash: string;
  size: number;
  mtimeMs: number;
}

export async function graphFileStamps(
  sql: Queryable,
  projectId: string,
): Promise<GraphFileStamp[]> {
  return sql<GraphFileStamp[]>`
    select path, content_hash, size::float8 as size, mtime_ms
    from graph_files where project_id = ${projectId}`;
}

/** Re-stamps a file whose content is unchanged (its mtime moved). */
export async function touchGraphFile(
  sql: Queryable,
  projectId: string,
  stamp: Omit<GraphFileStamp, 'contentHash'>,
): Promise<void> {
  await sql`update graph_files set size = ${stamp.size}, mtime_ms = ${stamp.mtimeMs}
    where project_id = ${projectId} and path = ${stamp.path}`;
}

export async function deleteGraphFiles(
  sql: Queryable,
  projectId: string,
  paths: string[],
): Promise<void> {
  if (paths.length === 0) return;
  await sql`delete from graph_files where project_id = ${projectId} and path = any(${paths})`;
}

/** postgres.js sends a JS boolean array as one boolean: booleans go as text, cast back. */
const bool = (b: boolean) => (b ? 't' : 'f');

/**
 * Writes a file's graph in place of the one it had, in one transaction: the file's row is
 * kept (or made), its symbols, references and imports replaced. Columns go as arrays through
 * `unnest`, so a file with 50,000 references is one statement of nine parameters.
 */
export async function writeGraphFile(
  sql: Sql,
  projectId: string,
  file: GraphFileStamp & { language: GraphLanguage },
  rows: GraphFileRows,
): Promise<void> {
  await sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into graph_files (project_id, path, language, content_hash, size, mtime_ms)
      values (${projectId}, ${file.path}, ${file.language}, ${file.contentHash}, ${file.size}, ${file.mtimeMs})
      on conflict (project_id, path) do update set language = excluded.language,
        content_hash = excluded.content_hash, size = excluded.size, mtime_ms = excluded.mtime_ms,
        indexed_at = now()
      returning id`;
    const id = row!.id;
    await tx`delete from graph_symbols where file_id = ${id}`;
    await tx`delete from graph_refs where file_id = ${id}`;
    await tx`delete from graph_imports where file_id = ${id}`;
    const s = rows.symbols;
    if (s.length > 0)
      await tx`insert into graph_symbols
        (file_id, ord, name, kind, container, start_line, start_col, end_line, end_col)
        select ${id}, * from unnest(
          ${s.map((_, i) => i)}::int[], ${s.map((x) => x.name)}::text[], ${s.map((x) => x.kind)}::text[],
          ${s.map((x) => x.container)}::text[], ${s.map((x) => x.startLine)}::int[],
          ${s.map((x) => x.startCol)}::int[], ${s.map((x) => x.endLine)}::int[],
          ${s.map((x) => x.endCol)}::int[])`;
    const r = rows.refs;
    if (r.length > 0)
      await tx`insert into graph_refs (file_id, name, line, col, is_call, via_member, caller_ord)
        select ${id}, * from unnest(
          ${r.map((x) => x.name)}::text[], ${r.map((x) => x.line)}::int[], ${r.map((x) => x.col)}::int[],
          ${r.map((x) => bool(x.call))}::text[]::bool[], ${r.map((x) => bool(x.member))}::text[]::bool[],
          ${r.map((x) => x.callerOrd)}::int[])`;
    // An array of arrays does not go through unnest: each import's names go joined by \x01.
    const m = rows.imports;
    if (m.length > 0)
      await tx`insert into graph_imports (file_id, module, names, line, dynamic)
        select ${id}, u.module, string_to_array(u.names, chr(1)), u.line, u.dynamic from unnest(
          ${m.map((x) => x.module)}::text[], ${m.map((x) => x.names.join('\x01'))}::text[],
          ${m.map((x) => x.line)}::int[], ${m.map((x) => bool(x.dynamic))}::text[]::bool[])
          as u(module, names, line, dynamic)`;
  });
}
