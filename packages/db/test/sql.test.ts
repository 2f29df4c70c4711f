import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { createSql, pipelinedTransaction, type Sql } from '../src/index.ts';

let db: TestDatabase;
let sql: Sql;
beforeAll(async () => {
  db = await testDatabase();
  // One connection: a transaction left open or aborted on it would show in the next query.
  sql = createSql(db.url, { max: 1 });
  await sql`create table pipelined (n int primary key)`;
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

describe('pipelinedTransaction', () => {
  it('runs the statements in one transaction and commits them', async () => {
    const [a, b] = await pipelinedTransaction(sql, (tx) =>
      Promise.all([
        tx<
          { at: Date }[]
        >`insert into pipelined values (1) returning transaction_timestamp() as at`,
        tx<
          { at: Date }[]
        >`insert into pipelined values (2) returning transaction_timestamp() as at`,
      ]),
    );
    // Outside a transaction each statement would have its own start time.
    expect(a[0]!.at.getTime()).toBe(b[0]!.at.getTime());
    const rows = await sql<{ n: number }[]>`select n from pipelined order by n`;
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
  });

  it('writes nothing when a statement fails, and leaves the connection usable', async () => {
    await expect(
      pipelinedTransaction(sql, (tx) =>
        Promise.all([
          tx`insert into pipelined values (3)`,
          tx`insert into pipelined values (1)`, // already there
          tx`insert into pipelined values (4)`,
        ]),
      ),
    ).rejects.toThrow(/duplicate key/);
    const rows = await sql<{ n: number }[]>`select n from pipelined order by n`;
    expect(rows.map((r) => r.n)).toEqual([1, 2]);
    // Left inside a transaction, this insert would fail (aborted) or stay unseen (open).
    await sql`insert into pipelined values (5)`;
    const seen = await db.sql<{ n: number }[]>`select n from pipelined where n = 5`;
    expect(seen).toHaveLength(1);
  });
});
