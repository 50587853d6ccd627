// @ts-check

/**
 * Log lines get a detected level, and indexes for reads by time (search by time range and
 * the retention task) and by instance (the logs of one instance, e.g. a crashed one).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_log_lines', table => {
    table
      .string('level', 8)
      .nullable()
      .comment(
        'trace, debug, info, warn, error or fatal; none if not detected',
      );
    table.index(
      ['deployment_id', 'created_at'],
      'coderunner_log_lines_time_idx',
    );
    table.index(
      ['deployment_id', 'instance_id', 'seq'],
      'coderunner_log_lines_instance_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('coderunner_log_lines', table => {
    table.dropIndex(
      ['deployment_id', 'instance_id', 'seq'],
      'coderunner_log_lines_instance_idx',
    );
    table.dropIndex(
      ['deployment_id', 'created_at'],
      'coderunner_log_lines_time_idx',
    );
    table.dropColumn('level');
  });
};
