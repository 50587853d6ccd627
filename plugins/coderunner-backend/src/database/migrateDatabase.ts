import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@coderunner/plugin-coderunner-backend',
  'migrations',
);

/**
 * Brings the plugin's tables up to the newest migration.
 *
 * @internal
 */
export async function migrateDatabaseUp(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: migrationsDir,
    tableName: 'coderunner_knex_migrations',
  });
}

/**
 * Rolls every migration back, newest first. Used by the migration tests.
 *
 * @internal
 */
export async function migrateDatabaseDown(knex: Knex): Promise<void> {
  await knex.migrate.rollback(
    { directory: migrationsDir, tableName: 'coderunner_knex_migrations' },
    true,
  );
}
