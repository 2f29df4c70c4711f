import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queryable, Sql } from './sql.ts';

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

interface Migration {
  version: number;
  name: string;
  file: string;
}

async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f));
  return files
    .map((file) => ({ version: Number(file.slice(0, 3)), name: file.slice(4, -4), file }))
    .sort((a, b) => a.version - b.version);
}

/** The newest migration this code has: the schema version it expects. */
export async function codeSchemaVersion(): Promise<number> {
  return (await listMigrations()).at(-1)?.version ?? 0;
}

/** The database's schema version (its newest applied migration), 0 for a database never migrated. */
export async function databaseSchemaVersion(sql: Queryable): Promise<number> {
  const [t] = await sql<{ t: string | null }[]>`select to_regclass('schema_migrations')::text as t`;
  if (!t?.t) return 0;
  const [row] = await sql<{ v: number | null }[]>`select max(version) as v from schema_migrations`;
  return row?.v ?? 0;
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database schema is at version ${databaseVersion}, newer than this boocode's (${codeVersion}): ` +
        'it was used by a newer boocode. Start that newer boocode again (migrations are forward-only), ' +
        'or restore a backup made by this version. Nothing was changed.',
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrateOptions {
  /** Stop after this version (tests of an upgrade from an older schema). Default: the newest. */
  upTo?: number;
}

/**
 * Applies the pending numbered migrations, all in one transaction, under an advisory lock so
 * that two services starting together do not race. Migrations are forward-only: a database
 * newer than this code ({@link SchemaTooNewError}) stops the start before anything changes.
 */
export async function migrate(sql: Sql, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = await listMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  const upTo = opts.upTo ?? latest;
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('boocode.migrate'))`;
    const newest = await databaseSchemaVersion(tx);
    if (newest > latest) throw new SchemaTooNewError(newest, latest);
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const rows = await tx<{ version: number }[]>`select version from schema_migrations`;
    const done = new Set(rows.map((r) => r.version));
    for (const m of migrations) {
      if (done.has(m.version) || m.version > upTo) continue;
      const text = await readFile(path.join(migrationsDir, m.file), 'utf8');
      await tx.unsafe(text);
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
      applied.push(m.file);
    }
  });
  return { applied };
}
