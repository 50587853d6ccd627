// @ts-check

/**
 * Old releases lose their stored files (source snapshot and built artifact) to the retention
 * task; the release row and its history stay, marked with when its files were pruned.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_releases', table => {
    table
      .timestamp('files_pruned_at', { useTz: true })
      .nullable()
      .comment(
        'When the retention task deleted its source snapshot and artifact',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('coderunner_releases', table => {
    table.dropColumn('files_pruned_at');
  });
};
