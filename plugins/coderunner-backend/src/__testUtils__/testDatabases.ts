import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases every store test runs on: SQLite always, PostgreSQL when the test command
 * found a server (it sets BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING).
 *
 * @internal
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];
  return TestDatabases.create({ ids, disableDocker: true });
}
