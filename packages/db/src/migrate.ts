import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './sql.ts';

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

/**
 * Applies the pending numbered migrations, each in its own transaction, under an
 * advisory lock so that two services starting together do not race.
 * A database newer than this code stops the start.
 */
export async function migrate(sql: Sql): Promise<{ applied: string[] }> {
  const migrations = await listMigrations();
  const latest = migrations.at(-1)?.version ?? 0;
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('boocode.migrate'))`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const rows = await tx<{ version: number }[]>`select version from schema_migrations`;
    const done = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new Error(
        `the database schema is at version ${newest}, newer than this boocode knows (${latest}): upgrade boocode`,
      );
    }
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      const text = await readFile(path.join(migrationsDir, m.file), 'utf8');
      await tx.unsafe(text);
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
      applied.push(m.file);
    }
  });
  return { applied };
}
