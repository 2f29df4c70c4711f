import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BackupTable } from '@boocode/protocol';
import { codeSchemaVersion, databaseSchemaVersion, migrate, SchemaTooNewError } from './migrate.ts';
import type { Queryable, Sql } from './sql.ts';

/**
 * Tables whose rows a backup leaves out: the browsers signed in (`sessions`) belong to the
 * token, which a backup does not hold either; after a restore you sign in again. The code
 * graph (`graph_*`) is made again from the projects' files by the next start.
 */
export const TABLES_NOT_DUMPED = new Set([
  'schema_migrations',
  'sessions',
  'graph_files',
  'graph_symbols',
  'graph_refs',
  'graph_imports',
]);

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const fileOf = (dir: string, table: string) => path.join(dir, `${table}.copy`);

async function tablesOf(sql: Queryable): Promise<{ name: string; columns: string[] }[]> {
  const rows = await sql<{ tableName: string; columnName: string }[]>`
    select c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables t using (table_schema, table_name)
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
    order by c.table_name, c.ordinal_position`;
  const byTable = new Map<string, string[]>();
  for (const r of rows) {
    if (TABLES_NOT_DUMPED.has(r.tableName)) continue;
    byTable.set(r.tableName, [...(byTable.get(r.tableName) ?? []), r.columnName]);
  }
  return [...byTable].map(([name, columns]) => ({ name, columns }));
}

/**
 * Writes every table's rows (but {@link TABLES_NOT_DUMPED}) to `dir/<table>.copy` in COPY's text
 * format, from one consistent snapshot (a read-only repeatable-read transaction: the database
 * may be in use meanwhile). The schema is not dumped: the migrations make it again at restore.
 */
export async function dumpDatabase(
  sql: Sql,
  dir: string,
): Promise<{ schemaVersion: number; tables: BackupTable[] }> {
  return sql.begin('isolation level repeatable read read only', async (tx) => {
    const schemaVersion = await databaseSchemaVersion(tx);
    if (schemaVersion === 0) throw new Error('the database has no boocode schema to back up');
    const tables: BackupTable[] = [];
    for (const t of await tablesOf(tx)) {
      const cols = t.columns.map(ident).join(', ');
      const stream = await tx.unsafe(`copy ${ident(t.name)} (${cols}) to stdout`).readable();
      await pipeline(stream, createWriteStream(fileOf(dir, t.name), { mode: 0o600 }));
      const [count] = await tx.unsafe<{ n: number }[]>(
        `select count(*)::int as n from ${ident(t.name)}`,
      );
      tables.push({ ...t, rows: count?.n ?? 0 });
    }
    return { schemaVersion, tables };
  });
}

/**
 * Loads a dump into a database with no boocode schema: migrates it to the dump's schema
 * version, loads every table in one transaction (foreign keys dropped meanwhile and added back
 * at the end, which checks every row: tables that refer to each other load in any order),
 * moves identity sequences past the loaded rows, then migrates on to this code's newest.
 * A dump newer than this code is refused before anything changes.
 */
export async function loadDump(
  sql: Sql,
  dir: string,
  dump: { schemaVersion: number; tables: BackupTable[] },
): Promise<{ applied: string[] }> {
  const code = await codeSchemaVersion();
  if (dump.schemaVersion > code) throw new SchemaTooNewError(dump.schemaVersion, code);
  if ((await databaseSchemaVersion(sql)) !== 0) {
    throw new Error('the database already has a boocode schema: restore wants an empty one');
  }
  await migrate(sql, { upTo: dump.schemaVersion });
  await sql.begin(async (tx) => {
    const known = new Map((await tablesOf(tx)).map((t) => [t.name, new Set(t.columns)]));
    for (const t of dump.tables) {
      const missing = t.columns.filter((c) => !known.get(t.name)?.has(c));
      if (missing.length) {
        throw new Error(`the backup's table ${t.name} has columns the schema lacks: ${missing}`);
      }
    }
    const fks = await tx<{ tbl: string; conname: string; def: string }[]>`
      select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
      from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`;
    for (const fk of fks)
      await tx.unsafe(`alter table ${fk.tbl} drop constraint ${ident(fk.conname)}`);
    for (const t of dump.tables) {
      const cols = t.columns.map(ident).join(', ');
      const into = await tx.unsafe(`copy ${ident(t.name)} (${cols}) from stdin`).writable();
      await pipeline(createReadStream(fileOf(dir, t.name)), into);
    }
    for (const fk of fks) {
      await tx.unsafe(`alter table ${fk.tbl} add constraint ${ident(fk.conname)} ${fk.def}`);
    }
    await resetIdentities(tx);
  });
  return migrate(sql);
}

/** Each identity column's sequence continues after the largest value loaded. */
async function resetIdentities(tx: Queryable): Promise<void> {
  const cols = await tx<{ tableName: string; columnName: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and is_identity = 'YES'`;
  for (const c of cols) {
    const t = ident(c.tableName);
    const col = ident(c.columnName);
    await tx.unsafe(
      `select setval(pg_get_serial_sequence($1, $2), coalesce(max(${col}), 0) + 1, false) from ${t}`,
      [t, c.columnName],
    );
  }
}
