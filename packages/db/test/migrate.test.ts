import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { emptyDatabase as emptyTestDatabase, testDatabase } from '@boocode/testkit/vitest';
import {
  codeSchemaVersion,
  databaseSchemaVersion,
  migrate,
  SchemaTooNewError,
  type Sql,
} from '../src/index.ts';

let db: TestDatabase;
const empties: TestDatabase[] = [];
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  for (const e of empties) await e.drop();
  await db.drop();
});

/** A database with nothing in it, not even schema_migrations. */
async function emptyDatabase(): Promise<Sql> {
  const e = await emptyTestDatabase();
  empties.push(e);
  return e.sql;
}

describe('migrate', () => {
  it('records each migration once and applies nothing the second time', async () => {
    const rows = await db.sql<
      { version: number }[]
    >`select version from schema_migrations order by version`;
    expect(rows.map((r) => r.version)[0]).toBe(1);
    expect(await databaseSchemaVersion(db.sql)).toBe(await codeSchemaVersion());
    expect(await migrate(db.sql)).toEqual({ applied: [] });
  });

  it('refuses a database newer than the code, naming both versions, and changes nothing', async () => {
    const code = await codeSchemaVersion();
    const sql = await emptyDatabase();
    await migrate(sql, { upTo: 3 });
    await sql`insert into schema_migrations (version, name) values (${code + 1}, 'future')`;
    const err: unknown = await migrate(sql).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect((err as Error).message).toContain(`at version ${code + 1}`);
    expect((err as Error).message).toContain(`this boocode's (${code})`);
    // Migration 004 was not applied on the way: the refusal came first.
    const rows = await sql<{ version: number }[]>`select version from schema_migrations`;
    expect(rows.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, code + 1]);
  });

  it('upgrades a database stopped at 011, with rows in it, to the newest with the rows intact', async () => {
    const sql = await emptyDatabase();
    expect(await migrate(sql, { upTo: 11 })).toMatchObject({ applied: { length: 11 } });
    expect(await databaseSchemaVersion(sql)).toBe(11);
    const [project] = await sql<{ id: string }[]>`
      insert into projects (name, path) values ('shop', '/srv/shop') returning id`;
    const [chat] = await sql<{ id: string }[]>`
      insert into chats (title, model, project_id) values ('Old chat', 'm', ${project!.id})
      returning id`;
    await sql`insert into messages (chat_id, position, role, status, parts)
      values (${chat!.id}, 0, 'user', 'complete', ${sql.json([{ type: 'text', text: 'hi' }])})`;
    const [session] = await sql<{ id: string }[]>`
      insert into agent_sessions (chat_id, project_id, provider, status, worktree_path)
      values (${chat!.id}, ${project!.id}, 'qwen', 'idle', '/tmp/wt') returning id`;

    const { applied } = await migrate(sql);
    expect(applied[0]).toMatch(/^012_/);
    expect(await databaseSchemaVersion(sql)).toBe(await codeSchemaVersion());
    const [c] = await sql<{ title: string; projectId: string }[]>`
      select title, project_id from chats where id = ${chat!.id}`;
    expect(c).toEqual({ title: 'Old chat', projectId: project!.id });
    const m = await sql<
      { parts: unknown }[]
    >`select parts from messages where chat_id = ${chat!.id}`;
    expect(m).toEqual([{ parts: [{ type: 'text', text: 'hi' }] }]);
    // 012's new column took its default on the old row.
    const [s] = await sql<{ backend: string; status: string }[]>`
      select backend, status from agent_sessions where id = ${session!.id}`;
    expect(s).toEqual({ backend: 'acp', status: 'idle' });
  });
});
