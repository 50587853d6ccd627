// @ts-check

/**
 * Rate-limit counters shared by every replica: one fixed window per principal and bucket
 * (mutations, previews, exports, stream connects), counted with an atomic upsert.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_rate_limits', table => {
    table.comment(
      'Requests per principal and bucket in the current window, shared by every replica',
    );
    table
      .string('principal', 255)
      .notNullable()
      .comment('A user or service entity ref');
    table
      .string('bucket', 32)
      .notNullable()
      .comment('mutations, previews, exports or streamConnects');
    table
      .bigInteger('window_start')
      .notNullable()
      .comment('Milliseconds since the epoch, by the database clock');
    table.integer('count').notNullable();
    table.primary(['principal', 'bucket']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_rate_limits');
};
