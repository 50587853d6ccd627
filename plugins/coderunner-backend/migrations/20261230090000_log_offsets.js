// @ts-check

/**
 * How many bytes of each output stream of an instance are stored as log lines. A replica that
 * takes an instance over reads the sandbox's output buffer on from there, so what the app
 * printed while no backend read it is stored once, and nothing twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_log_offsets', table => {
    table.comment(
      'Per instance and output stream: the byte offset up to which its output is stored',
    );
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.string('instance_id', 36).notNullable();
    table.string('stream', 15).notNullable().comment('stdout or stderr');
    table
      .bigInteger('stored_bytes')
      .notNullable()
      .comment('Bytes of the stream, from its start, that are stored as lines');
    table.primary(['instance_id', 'stream']);
    table.index('deployment_id');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_log_offsets');
};
