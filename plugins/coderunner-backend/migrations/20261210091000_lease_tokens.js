// @ts-check

/**
 * A fencing token per deployment lease: it grows each time another replica takes the lease,
 * and every write a lease holder makes checks it, so a stale holder's writes change nothing.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table
      .bigInteger('lease_token')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Fencing token: incremented on each acquisition of the lease by a new holder',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table.dropColumn('lease_token');
  });
};
