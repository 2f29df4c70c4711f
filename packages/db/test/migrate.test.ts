import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { migrate } from '../src/index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.drop());

describe('migrate', () => {
  it('records each migration once and applies nothing the second time', async () => {
    const rows = await db.sql<
      { version: number }[]
    >`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)[0]).toBe(1);
    expect(await migrate(db.sql)).toEqual({ applied: [] });
  });

  it('refuses a database newer than the code', async () => {
    await db.sql`insert into schema_migrations (version, name) values (999, 'future')`;
    await expect(migrate(db.sql)).rejects.toThrow(/newer than this boocode knows/);
    await db.sql`delete from schema_migrations where version = 999`;
  });
});
