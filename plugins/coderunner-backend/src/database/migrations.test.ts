import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDatabaseDown, migrateDatabaseUp } from './migrateDatabase';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('migrations', () => {
  it.each(databases.eachSupportedId())(
    'go up and down cleanly on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasTable('coderunner_deployments')).toBe(true);
      expect(await knex.schema.hasTable('coderunner_rate_limits')).toBe(true);
      expect(
        await knex.schema.hasColumn('coderunner_deployments', 'lease_token'),
      ).toBe(true);
      expect(
        await knex.schema.hasColumn('coderunner_releases', 'files_pruned_at'),
      ).toBe(true);
      expect(
        await knex.schema.hasColumn('coderunner_deployments', 'view_version'),
      ).toBe(true);

      await migrateDatabaseDown(knex);
      expect(await knex.schema.hasTable('coderunner_deployments')).toBe(false);
      expect(await knex.schema.hasTable('coderunner_rate_limits')).toBe(false);

      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasTable('coderunner_deployments')).toBe(true);
      await knex.destroy();
    },
  );
});
