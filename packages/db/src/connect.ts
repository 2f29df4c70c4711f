import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createSql, type Sql } from './sql.ts';

/**
 * The database a service other than the server (booterm, coder) uses: DATABASE_URL, or else
 * the embedded cluster that the server runs (its password is in `$BOOCODE_HOME/pg.secret`).
 * It never starts that cluster itself: the server owns its postmaster.
 */
export async function connectDatabase(opts: {
  databaseUrl: string | null;
  home: string;
  pgPort: number;
}): Promise<Sql> {
  let url = opts.databaseUrl;
  const embedded = !url;
  if (!url) {
    const secretFile = path.join(opts.home, 'pg.secret');
    let password: string;
    try {
      password = (await readFile(secretFile, 'utf8')).trim();
    } catch {
      throw new Error(
        `no DATABASE_URL and no embedded PostgreSQL set up in ${opts.home} (${secretFile} is missing): start boocode first (pnpm start), or set DATABASE_URL`,
      );
    }
    url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.pgPort}/postgres`;
  }
  const sql = createSql(url, { max: 5 });
  try {
    await sql`select 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      embedded
        ? `the embedded PostgreSQL on 127.0.0.1:${opts.pgPort} is not running (${why}): start boocode first (pnpm start), or set DATABASE_URL`
        : `cannot reach the database in DATABASE_URL: ${why}`,
    );
  }
  return sql;
}
