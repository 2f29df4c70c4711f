import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { createSql } from '../src/index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});

// postgres.js 3.4.9 threw from a setImmediate when a connection closed under a write it had
// queued (porsager/postgres#1154, #1208): the process died with "Cannot read properties of null
// (reading 'write')". Our patch (patches/postgres@3.4.9.patch) fails the write instead.
describe('a connection that dies under a transaction', () => {
  it('rejects the transaction, the process lives on, and the next query runs', async () => {
    const sql = createSql(db.url, { max: 2 });
    const killer = createSql(db.url, { max: 1 });
    try {
      let pid = 0;
      let started: () => void = () => {};
      const inFlight = new Promise<void>((r) => (started = r));
      const tx = sql.begin(async (t) => {
        pid = (await t<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
        started();
        // In flight when its backend dies; the transaction then sends its own ROLLBACK.
        await t`select pg_sleep(30)`;
      });
      // Its outcome is taken at once: a rejection with no handler yet would count as unhandled.
      const outcome = tx.then(
        () => null,
        (err: unknown) => err,
      );
      await inFlight;
      await killer`select pg_terminate_backend(${pid})`;
      expect(await outcome).toMatchObject({
        code: expect.stringMatching(/^(57P01|CONNECTION_)/),
      });
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end();
      await killer.end();
    }
  });
});

describe('a connection whose backend is ended under a query', () => {
  it('fails that query, and the next one on the reconnected connection runs', async () => {
    const sql = createSql(db.url, { max: 1 });
    const killer = createSql(db.url, { max: 1 });
    try {
      const pid = (await sql<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
      const running = sql`select pg_sleep(30)`.then(
        () => null,
        (err: unknown) => err,
      );
      await expect
        .poll(
          async () =>
            (await killer`select 1 from pg_stat_activity where pid = ${pid} and state = 'active'`)
              .length,
        )
        .toBe(1);
      await killer`select pg_terminate_backend(${pid})`;
      expect(await running).toMatchObject({ code: expect.stringMatching(/^(57P01|CONNECTION_)/) });
      // The FATAL that ended the old socket is not the new one's: postgres.js kept it, and
      // failed the first query after the reconnect with it (as after a postmaster restart).
      expect(await sql`select 1 as one`).toEqual([{ one: 1 }]);
    } finally {
      await sql.end();
      await killer.end();
    }
  });
});
