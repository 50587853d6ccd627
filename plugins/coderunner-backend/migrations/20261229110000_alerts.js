// @ts-check

/**
 * Alerts raised by the alert engine, open and resolved (the history). `open_key` holds the
 * deduplication key while the alert is open and is emptied when it resolves: its unique index
 * allows one open alert per key on SQLite and PostgreSQL alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_alerts', table => {
    table.comment('Alerts from the alert engine: open ones and their history');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table.string('key', 255).notNullable().comment('Deduplication key');
    table
      .string('open_key', 255)
      .nullable()
      .comment('The key while open, null once resolved');
    table.string('rule_id', 63).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).nullable();
    table
      .string('severity', 15)
      .notNullable()
      .comment('info, warning or critical');
    table.text('title').notNullable();
    table.text('description').notNullable();
    table.text('link').notNullable();
    table.string('status', 15).notNullable().comment('open or resolved');
    table.bigInteger('opened_at').notNullable().comment('ms since the epoch');
    table.bigInteger('last_seen_at').notNullable();
    table.bigInteger('resolved_at').nullable();
    table.unique(['open_key'], { indexName: 'coderunner_alerts_open_key_idx' });
    table.index(['key'], 'coderunner_alerts_key_idx');
    table.index(
      ['entity_ref', 'opened_at'],
      'coderunner_alerts_entity_opened_idx',
    );
    table.index(['status'], 'coderunner_alerts_status_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_alerts');
};
