import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

/** A fresh, migrated database on the cluster that pg-global-setup.ts started for this run. */
export function testDatabase(): Promise<TestDatabase> {
  return createTestDatabase(inject('pgUrl' as never) as string);
}
