import { randomBytes } from 'node:crypto';
import { createSql, migrate, type Sql } from '@boocode/db';

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the test run's cluster (see pg-global-setup.ts),
 * so that each test file starts from nothing.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const db = await createEmptyDatabase(adminUrl);
  await migrate(db.sql);
  return db;
}

/** A fresh database with nothing in it, not even `schema_migrations`. */
export async function createEmptyDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const sql = createSql(url);
  return {
    url,
    sql,
    drop: async () => {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
