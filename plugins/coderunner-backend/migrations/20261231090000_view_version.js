// @ts-check

/**
 * A version of what a deployment's view shows besides its own row: its instances and its
 * releases. Every write to those rows raises it in the same transaction, so a replica can keep
 * a deployment's view and know from the row alone whether it is still current.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table
      .bigInteger('view_version')
      .notNullable()
      .defaultTo(0)
      .comment('Raised by every write to its instances and releases');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table.dropColumn('view_version');
  });
};
