// @ts-check

/**
 * Time series of each deployment's metrics: raw samples (kept a day by default) and their
 * 1-minute rollups (kept 15 days). A sample holds a sum and a count, so that samples from
 * several backend replicas and instances add up: a counter's sum is its increase over the
 * flush interval; a gauge's sum is its value times its weight.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_metric_samples', table => {
    table.increments('id');
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.string('metric', 64).notNullable();
    table
      .bigInteger('at')
      .notNullable()
      .comment('milliseconds since the epoch');
    table.double('sum').notNullable();
    table.double('count').notNullable();
    table.index(
      ['deployment_id', 'metric', 'at'],
      'coderunner_metric_samples_series_idx',
    );
    table.index(['at'], 'coderunner_metric_samples_at_idx');
  });
  await knex.schema.createTable('coderunner_metric_rollups', table => {
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.string('metric', 64).notNullable();
    table
      .bigInteger('minute')
      .notNullable()
      .comment('start of the minute, milliseconds since the epoch');
    table.double('sum').notNullable();
    table.double('count').notNullable();
    table
      .double('min')
      .notNullable()
      .comment('smallest sample value (sum / count) in the minute');
    table.double('max').notNullable();
    table.primary(['deployment_id', 'metric', 'minute']);
    table.index(['minute'], 'coderunner_metric_rollups_minute_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_metric_rollups');
  await knex.schema.dropTable('coderunner_metric_samples');
};
