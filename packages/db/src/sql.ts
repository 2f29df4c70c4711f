import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A connection or an open transaction: every query function takes either. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

/** One client per process; columns come back camelCased. */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    transform: postgres.camel,
    onnotice: () => {},
    connection: { application_name: 'boocode' },
  });
}

/**
 * One transaction in one round trip: BEGIN, the statements `issue` sends and
 * COMMIT go out together on a reserved connection, without waiting for each
 * other's answers. `issue` must send every statement before it waits on any
 * answer, as `Promise.all([f(tx), g(tx)])` does: one sent later would land
 * after the COMMIT. When a statement fails, the ones after it fail too and the
 * COMMIT rolls back: nothing is written.
 */
export async function pipelinedTransaction<T>(
  sql: Sql,
  issue: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const tx = await sql.reserve();
  try {
    const begin = tx`begin`.execute();
    begin.catch(() => {}); // looked at below, with the rest
    let failed = false;
    const written = (async () => issue(tx))();
    written.catch(() => (failed = true));
    // postgres.js hands a query to its connection some microtasks after it is
    // awaited; by the next turn of the event loop every statement issued is there.
    await new Promise((resolve) => setImmediate(resolve));
    const end = failed ? tx`rollback`.execute() : tx`commit`.execute();
    const [began, wrote, ended] = await Promise.allSettled([begin, written, end]);
    for (const step of [began, wrote, ended])
      if (step.status === 'rejected') {
        // A failed COMMIT (or a connection lost on the way) leaves no open transaction behind.
        await tx`rollback`.catch(() => {});
        throw step.reason;
      }
    return (wrote as PromiseFulfilledResult<T>).value;
  } finally {
    tx.release();
  }
}
