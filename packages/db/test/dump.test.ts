import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  seedBackupRows,
  tableContents,
  type SeededRows,
  type TestDatabase,
} from '@boocode/testkit';
import { emptyDatabase, testDatabase } from '@boocode/testkit/vitest';
import { codeSchemaVersion, databaseSchemaVersion, dumpDatabase, loadDump } from '../src/index.ts';

let source: TestDatabase;
let seeded: SeededRows;
let dir: string;
let dump: Awaited<ReturnType<typeof dumpDatabase>>;
const dbs: TestDatabase[] = [];
beforeAll(async () => {
  source = await testDatabase();
  seeded = await seedBackupRows(source.sql);
  dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-dump-'));
  dump = await dumpDatabase(source.sql, dir);
});
afterAll(async () => {
  for (const d of [source, ...dbs]) await d?.drop();
  await rm(dir, { recursive: true, force: true });
});

async function fresh(): Promise<TestDatabase> {
  const d = await emptyDatabase();
  dbs.push(d);
  return d;
}

describe('dumpDatabase and loadDump', () => {
  it('round-trips every table but the sign-ins into an empty database, rows equal', async () => {
    expect(dump.schemaVersion).toBe(await codeSchemaVersion());
    const names = dump.tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['chats', 'messages', 'terminals', 'arenas']));
    expect(names).not.toContain('sessions');
    expect(dump.tables.find((t) => t.name === 'pending_changes')?.rows).toBe(2);

    const target = await fresh();
    await loadDump(target.sql, dir, dump);
    expect(await tableContents(target.sql, names)).toEqual(await tableContents(source.sql, names));
    expect(await target.sql`select * from sessions`).toEqual([]);
    const [a] = await target.sql<{ winnerSessionId: string }[]>`
      select winner_session_id from arenas where id = ${seeded.arenaId}`;
    expect(a?.winnerSessionId).toBe(seeded.sessionId);
  });

  it('continues identity sequences after the loaded rows', async () => {
    const target = await fresh();
    await loadDump(target.sql, dir, dump);
    const [next] = await target.sql<{ position: string }[]>`
      insert into pending_changes (project_id, path, kind, new_string)
      values (${seeded.projectId}, 'new.txt', 'create', 'y') returning position`;
    const [max] = await source.sql<{ m: string }[]>`select max(position) as m from pending_changes`;
    expect(Number(next!.position)).toBeGreaterThan(Number(max!.m));
  });

  it('refuses a database that already has a schema, and changes nothing', async () => {
    const target = await testDatabase();
    dbs.push(target);
    await expect(loadDump(target.sql, dir, dump)).rejects.toThrow(/already has a boocode schema/);
    expect(await target.sql`select * from chats`).toEqual([]);
  });

  it('refuses a dump newer than the code, naming both versions, before any change', async () => {
    const target = await fresh();
    const code = await codeSchemaVersion();
    const newer = { ...dump, schemaVersion: code + 1 };
    await expect(loadDump(target.sql, dir, newer)).rejects.toThrow(
      `at version ${code + 1}, newer than this boocode's (${code})`,
    );
    expect(await databaseSchemaVersion(target.sql)).toBe(0);
  });

  it('refuses a dump whose columns the schema does not have, and loads nothing', async () => {
    const target = await fresh();
    const bad = {
      ...dump,
      tables: dump.tables.map((t) =>
        t.name === 'chats' ? { ...t, columns: [...t.columns, 'no_such_column'] } : t,
      ),
    };
    await expect(loadDump(target.sql, dir, bad)).rejects.toThrow(/no_such_column/);
    expect(await target.sql`select * from chats`).toEqual([]);
  });
});
