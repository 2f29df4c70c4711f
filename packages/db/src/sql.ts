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
