import { inject } from 'vitest';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from './test-db.ts';

/** A fresh, migrated database on the cluster that pg-global-setup.ts started for this run. */
export function testDatabase(): Promise<TestDatabase> {
  return createTestDatabase(inject('pgUrl' as never) as string);
}

/** A database with nothing in it (no migrations), on the same cluster. */
export function emptyDatabase(): Promise<TestDatabase> {
  return createEmptyDatabase(inject('pgUrl' as never) as string);
}
