import type { GraphReference, GraphSymbol, SymbolKind } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

// Reads of the code graph (written by graph-index.ts). Every read is scoped to a list of
// projects: a chat's roots, or the one project of a REST route.

const SYMBOL_COLS = (s: string) => `f.project_id, f.path, ${s}.start_line as line,
  ${s}.start_col as "column", ${s}.name, ${s}.kind, ${s}.container, ${s}.end_line, ${s}.end_col as end_column`;

export interface GraphCounts {
  files: number;
  symbols: number;
  references: number;
  imports: number;
  languages: Record<string, number>;
}

export async function graphCounts(sql: Queryable, projectId: string): Promise<GraphCounts> {
  const [langs, [c]] = await Promise.all([
    sql<{ language: string; n: number }[]>`
      select language, count(*)::int as n from graph_files where project_id = ${projectId}
      group by language`,
    sql<{ symbols: number; references: number; imports: number }[]>`
      select
        (select count(*)::int from graph_symbols s join graph_files f on f.id = s.file_id
          where f.project_id = ${projectId}) as symbols,
        (select count(*)::int from graph_refs r join graph_files f on f.id = r.file_id
          where f.project_id = ${projectId}) as references,
        (select count(*)::int from graph_imports i join graph_files f on f.id = i.file_id
          where f.project_id = ${projectId}) as imports`,
  ]);
  return {
    files: langs.reduce((n, l) => n + l.n, 0),
    symbols: c!.symbols,
    references: c!.references,
    imports: c!.imports,
    languages: Object.fromEntries(langs.map((l) => [l.language, l.n])),
  };
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Symbols whose name matches `q` loosely: the exact name first, then names that start with it,
 * that hold it, then names alike by trigrams (pg_trgm's `%`, a typo away); shorter names first.
 */
export async function findGraphSymbols(
  sql: Queryable,
  projectIds: string[],
  q: string,
  opts: { kind?: SymbolKind; limit: number },
): Promise<GraphSymbol[]> {
  const lq = q.toLowerCase();
  const like = `%${likeEscape(lq)}%`;
  return sql<GraphSymbol[]>`
    select ${sql.unsafe(SYMBOL_COLS('s'))}
    from graph_symbols s join graph_files f on f.id = s.file_id
    where f.project_id = any(${projectIds}::uuid[])
      and (lower(s.name) like ${like} or lower(s.name) % ${lq})
      and (${opts.kind ?? null}::text is null or s.kind = ${opts.kind ?? null})
    order by (lower(s.name) = ${lq}) desc, (lower(s.name) like ${`${likeEscape(lq)}%`}) desc,
      (lower(s.name) like ${like}) desc, similarity(lower(s.name), ${lq}) desc,
      length(s.name), f.path, s.start_line
    limit ${opts.limit}`;
}

/** The definitions of exactly these names. */
export async function graphDefinitions(
  sql: Queryable,
  projectIds: string[],
  names: string[],
  limit = 200,
): Promise<GraphSymbol[]> {
  if (names.length === 0) return [];
  return sql<GraphSymbol[]>`
    select ${sql.unsafe(SYMBOL_COLS('s'))}
    from graph_symbols s join graph_files f on f.id = s.file_id
    where f.project_id = any(${projectIds}::uuid[]) and s.name = any(${names}::text[])
    order by f.path, s.start_line limit ${limit}`;
}

const REF_COLS = `f.project_id, f.path, r.line, r.col as "column", r.name, r.is_call as call,
  r.via_member as member, c.name as enclosing`;

/** Where a name is used, optionally only in one file or folder (`path`, relative). */
export async function graphReferences(
  sql: Queryable,
  projectIds: string[],
  name: string,
  opts: { path?: string; limit: number },
): Promise<GraphReference[]> {
  const p = opts.path ?? null;
  return sql<GraphReference[]>`
    select ${sql.unsafe(REF_COLS)}
    from graph_refs r join graph_files f on f.id = r.file_id
    left join graph_symbols c on c.file_id = r.file_id and c.ord = r.caller_ord
    where f.project_id = any(${projectIds}::uuid[]) and r.name = ${name}
      and (${p}::text is null or f.path = ${p} or f.path like ${p === null ? '' : `${likeEscape(p)}/%`})
    order by f.path, r.line, r.col limit ${opts.limit}`;
}

/** A call site with the symbol it is made in (null at a file's top level). */
export type GraphCallSite = GraphReference & { caller: GraphSymbol | null };

/** The calls of any of `names`, with their callers. */
export async function graphCallsTo(
  sql: Queryable,
  projectIds: string[],
  names: string[],
  limit: number,
): Promise<GraphCallSite[]> {
  const rows = await sql<(GraphReference & { callerLine: number | null })[]>`
    select ${sql.unsafe(REF_COLS)}, c.kind as caller_kind, c.container as caller_container,
      c.start_line as caller_line, c.start_col as caller_column, c.end_line as caller_end_line,
      c.end_col as caller_end_column
    from graph_refs r join graph_files f on f.id = r.file_id
    left join graph_symbols c on c.file_id = r.file_id and c.ord = r.caller_ord
    where f.project_id = any(${projectIds}::uuid[]) and r.is_call and r.name = any(${names}::text[])
    order by f.path, r.line, r.col limit ${limit}`;
  return rows.map(withCaller);
}

/** The calls made inside any symbol named one of `names`, with that symbol. */
export async function graphCallsFrom(
  sql: Queryable,
  projectIds: string[],
  names: string[],
  limit: number,
): Promise<GraphCallSite[]> {
  const rows = await sql<(GraphReference & { callerLine: number | null })[]>`
    select ${sql.unsafe(REF_COLS)}, c.kind as caller_kind, c.container as caller_container,
      c.start_line as caller_line, c.start_col as caller_column, c.end_line as caller_end_line,
      c.end_col as caller_end_column
    from graph_symbols c join graph_files f on f.id = c.file_id
    join graph_refs r on r.file_id = c.file_id and r.caller_ord = c.ord
    where f.project_id = any(${projectIds}::uuid[]) and c.name = any(${names}::text[]) and r.is_call
    order by f.path, r.line, r.col limit ${limit}`;
  return rows.map(withCaller);
}

function withCaller(r: Record<string, unknown>): GraphCallSite {
  const {
    callerKind,
    callerContainer,
    callerLine,
    callerColumn,
    callerEndLine,
    callerEndColumn,
    ...ref
  } = r as GraphReference & Record<string, unknown>;
  const caller =
    callerLine === null || r.enclosing === null
      ? null
      : ({
          projectId: ref.projectId,
          path: ref.path,
          name: ref.enclosing,
          kind: callerKind,
          container: callerContainer,
          line: callerLine,
          column: callerColumn,
          endLine: callerEndLine,
          endColumn: callerEndColumn,
        } as GraphSymbol);
  return { ...(ref as GraphReference), caller };
}

export interface GraphFileOutline {
  language: string;
  symbols: GraphSymbol[];
  imports: { module: string; names: string[]; line: number; dynamic: boolean }[];
}

/** A file's symbols and imports, in order; null when the file is not in the index. */
export async function graphOutline(
  sql: Queryable,
  projectId: string,
  path: string,
): Promise<GraphFileOutline | null> {
  const [file] = await sql<{ id: string; language: string }[]>`
    select id, language from graph_files where project_id = ${projectId} and path = ${path}`;
  if (!file) return null;
  const [symbols, imports] = await Promise.all([
    sql<GraphSymbol[]>`
      select ${sql.unsafe(SYMBOL_COLS('s'))}
      from graph_symbols s join graph_files f on f.id = s.file_id
      where s.file_id = ${file.id} order by s.ord`,
    sql<GraphFileOutline['imports']>`
      select module, names, line, dynamic from graph_imports where file_id = ${file.id}
      order by line`,
  ]);
  return { language: file.language, symbols, imports };
}

/** The identifier at a position of a file: a use, else the name of a symbol declared on that line. */
export async function graphNameAt(
  sql: Queryable,
  projectId: string,
  path: string,
  line: number,
  column: number,
): Promise<string | null> {
  const [ref] = await sql<{ name: string }[]>`
    select r.name from graph_refs r join graph_files f on f.id = r.file_id
    where f.project_id = ${projectId} and f.path = ${path} and r.line = ${line}
      and r.col <= ${column} and ${column} <= r.col + length(r.name)
    order by r.col desc limit 1`;
  if (ref) return ref.name;
  const [sym] = await sql<{ name: string }[]>`
    select s.name from graph_symbols s join graph_files f on f.id = s.file_id
    where f.project_id = ${projectId} and f.path = ${path} and s.start_line = ${line}
    order by s.ord limit 1`;
  return sym?.name ?? null;
}

/** An import of some of the names asked about, with the file it is in. */
export interface GraphImportOf {
  projectId: string;
  path: string;
  module: string;
  names: string[];
}

/** The imports that bring in any of `names`, in the projects or only in file `file`. */
export async function graphImportsOf(
  sql: Queryable,
  projectIds: string[],
  names: string[],
  file?: { projectId: string; path: string },
): Promise<GraphImportOf[]> {
  if (names.length === 0) return [];
  const at = file ?? null;
  return sql<GraphImportOf[]>`
    select f.project_id, f.path, i.module, i.names
    from graph_imports i join graph_files f on f.id = i.file_id
    where f.project_id = any(${projectIds}::uuid[]) and i.names && ${names}::text[]
      and (${at?.projectId ?? null}::uuid is null
        or (f.project_id = ${at?.projectId ?? null} and f.path = ${at?.path ?? null}))
    order by f.path, i.line`;
}

/**
 * Indexed files whose path holds every word of `q` (case-insensitive): those whose file name
 * starts with the last word first, then shorter paths. One more than `limit` tells truncation.
 */
export async function findGraphFiles(
  sql: Queryable,
  projectId: string,
  q: string,
  limit: number,
): Promise<{ path: string; language: string }[]> {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).map(likeEscape);
  const likes = words.map((w) => `%${w}%`);
  const last = words.at(-1) ?? '';
  return sql<{ path: string; language: string }[]>`
    select path, language from graph_files
    where project_id = ${projectId}
      and lower(path) like all(${likes}::text[])
    order by (lower(regexp_replace(path, '^.*/', '')) like ${`${last}%`}) desc,
      length(path), path
    limit ${limit}`;
}
