// @ts-check

/**
 * Deployments: one catalog entity in one environment, with its desired state.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_deployments', table => {
    table.comment('One catalog entity deployed to one environment');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('e.g. component:default/hello-node');
    table.string('environment', 63).notNullable();
    table.integer('desired_instances').notNullable().defaultTo(1);
    table
      .string('status', 31)
      .notNullable()
      .defaultTo('pending')
      .comment('pending, deploying, ready, degraded, stopped, failed');
    table
      .text('status_reason')
      .nullable()
      .comment('Why the status is what it is, for people');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.unique(['entity_ref', 'environment'], {
      indexName: 'coderunner_deployments_entity_environment_idx',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_deployments');
};
