import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmbedded, TABLES_NOT_DUMPED } from '@boocode/db';
import {
  freePort,
  seedBackupRows,
  tableContents,
  type SeededRows,
  type TestDatabase,
} from '@boocode/testkit';
import { emptyDatabase, testDatabase } from '@boocode/testkit/vitest';
import { boocode } from './harness.ts';

let tmp: string;
let source: TestDatabase;
let seeded: SeededRows;
let sourceHome: string;
let archive: string;
let tables: string[];
const dbs: TestDatabase[] = [];

/** A home as a user has it: settings to keep, and what a backup must leave out. */
const HOME_FILES: Record<string, string> = {
  'mcp.json': '{"servers":{"everything":{"command":"npx","args":["everything"]}}}\n',
  'coder-providers.json': '{"providers":{"qwen":{"enabled":false}}}\n',
  known_hosts: 'box.lan ssh-ed25519 AAAAC3Nza\n',
  'skills/review/SKILL.md': '---\nname: review\n---\nLook twice.\n',
  'agents/reviewer.md': '---\nname: Reviewer\n---\nBe strict.\n',
};
const LEFT_OUT: Record<string, string> = {
  token: 'the-secret-token\n',
  'pg.secret': 'cluster-password\n',
  'agents/claude/home/.credentials.json': '{"oauth":"x"}\n',
  'coder-probes.json': '{}\n',
};

async function writeTree(root: string, files: Record<string, string>) {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text, { mode: 0o600 });
  }
}

async function fresh(): Promise<TestDatabase> {
  const d = await emptyDatabase();
  dbs.push(d);
  return d;
}

const names = async (sql: TestDatabase['sql']) =>
  (await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public'`)
    .map((r) => r.tablename)
    .filter((t) => !TABLES_NOT_DUMPED.has(t))
    .sort();

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-backup-test-'));
  source = await testDatabase();
  seeded = await seedBackupRows(source.sql);
  tables = await names(source.sql);
  sourceHome = path.join(tmp, 'home');
  await writeTree(sourceHome, { ...HOME_FILES, ...LEFT_OUT });
  archive = path.join(tmp, 'boocode.tar.gz');
  const r = await boocode(['backup', archive], {
    BOOCODE_HOME: sourceHome,
    DATABASE_URL: source.url,
  });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(async () => {
  for (const d of [source, ...dbs]) await d?.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe('boocode backup and restore', () => {
  test('the archive is private (0600), and an existing file is never overwritten', async () => {
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
    const again = await boocode(['backup', archive], {
      BOOCODE_HOME: sourceHome,
      DATABASE_URL: source.url,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
  });

  test('restore into an empty home and database brings back every row and setting, no secret', async () => {
    const home = path.join(tmp, 'restored');
    const target = await fresh();
    const r = await boocode(['restore', archive], { BOOCODE_HOME: home, DATABASE_URL: target.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Restored');
    expect(await tableContents(target.sql, tables)).toEqual(
      await tableContents(source.sql, tables),
    );
    const [chat] = await target.sql<{ title: string }[]>`
      select title from chats where id = ${seeded.chatId}`;
    expect(chat?.title).toBe('Prices');
    expect(await target.sql`select id from terminals`).toEqual([{ id: seeded.terminalId }]);
    const pending = await target.sql`select id from pending_changes where status = 'pending'`;
    expect(pending).toEqual([{ id: seeded.pendingId }]);
    for (const [rel, text] of Object.entries(HOME_FILES)) {
      expect(await readFile(path.join(home, rel), 'utf8'), rel).toBe(text);
    }
    for (const rel of Object.keys(LEFT_OUT))
      expect(existsSync(path.join(home, rel)), rel).toBe(false);
  });

  test('restore refuses a home with settings, and --force replaces them', async () => {
    const home = path.join(tmp, 'used-home');
    await writeTree(home, { 'mcp.json': '{"servers":{}}\n', 'skills/old/SKILL.md': 'old\n' });
    const target = await fresh();
    const env = { BOOCODE_HOME: home, DATABASE_URL: target.url };
    const refused = await boocode(['restore', archive], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already has settings (mcp.json');
    expect(await readFile(path.join(home, 'mcp.json'), 'utf8')).toBe('{"servers":{}}\n');
    expect(await target.sql`select to_regclass('chats') as t`).toEqual([{ t: null }]);

    const forced = await boocode(['restore', archive, '--force'], env);
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(home, 'mcp.json'), 'utf8')).toBe(HOME_FILES['mcp.json']);
    expect(existsSync(path.join(home, 'skills/old/SKILL.md'))).toBe(false);
  });

  test('restore refuses a database with boocode data, and --force replaces it', async () => {
    const target = await testDatabase();
    dbs.push(target);
    await target.sql`insert into chats (title) values ('Someone else')`;
    const env = { BOOCODE_HOME: path.join(tmp, 'home-for-used-db'), DATABASE_URL: target.url };
    const refused = await boocode(['restore', archive], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already holds boocode data');
    expect(await target.sql`select title from chats`).toEqual([{ title: 'Someone else' }]);

    const forced = await boocode(['restore', archive, '--force'], env);
    expect(forced.code).toBe(0);
    expect(await target.sql`select title from chats`).toEqual([{ title: 'Prices' }]);
  });

  test('restore refuses a file that is not a boocode backup, changing nothing', async () => {
    const bogus = path.join(tmp, 'bogus.tar.gz');
    await writeFile(bogus, 'not an archive');
    const home = path.join(tmp, 'untouched');
    const r = await boocode(['restore', bogus], {
      BOOCODE_HOME: home,
      DATABASE_URL: (await fresh()).url,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a boocode backup');
    expect(existsSync(home)).toBe(false);
  });

  test('without DATABASE_URL: restore makes the embedded database, backup reads it while it runs', async () => {
    const home = path.join(tmp, 'embedded-home');
    const env = { BOOCODE_HOME: home, BOOCODE_PG_PORT: String(await freePort()) };
    const restored = await boocode(['restore', archive], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    // As boocode would while running: the cluster up; a backup now reads the running one.
    const cluster = await startEmbedded({
      dataDir: path.join(home, 'pg'),
      port: Number(env.BOOCODE_PG_PORT),
    });
    try {
      const again = path.join(tmp, 'from-embedded.tar.gz');
      const r = await boocode(['backup', again], env);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('the embedded PostgreSQL');
      const busy = await boocode(['restore', again, '--force'], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('is running: stop boocode');
      const check = await fresh();
      const back = await boocode(['restore', again], {
        BOOCODE_HOME: path.join(tmp, 'check-home'),
        DATABASE_URL: check.url,
      });
      expect(back.code).toBe(0);
      expect(await tableContents(check.sql, tables)).toEqual(
        await tableContents(source.sql, tables),
      );
    } finally {
      await cluster.stop();
      await rm(cluster.clusterDir, { recursive: true, force: true }); // as root, outside the home
    }
  });
});
