// @ts-check

/**
 * Cost: a ledger of billable sandbox time and the monthly budgets set in the UI.
 *
 * The ledger keeps one row per instance and per build sandbox, from when it was created to
 * when it was removed, with the deployment's entity, environment and the instance size. It
 * has no foreign key on purpose: instances and deployments are deleted, their cost stays.
 * Instances that exist when this migration runs are entered as running since their creation.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_usage', table => {
    table.comment('Billable sandbox time of instances and builds');
    table.string('id', 36).primary().notNullable();
    table.string('kind', 15).notNullable().comment('instance or build');
    table.string('deployment_id', 36).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('size', 15).notNullable().comment('resources.size');
    table
      .bigInteger('started_at')
      .notNullable()
      .comment('milliseconds since the epoch');
    table
      .bigInteger('stopped_at')
      .nullable()
      .comment('milliseconds since the epoch; null while running');
    table.index(['entity_ref', 'environment'], 'coderunner_usage_entity_idx');
    table.index(['stopped_at'], 'coderunner_usage_stopped_idx');
    table.index(['started_at'], 'coderunner_usage_started_idx');
  });

  await knex.schema.createTable('coderunner_budgets', table => {
    table.comment('Monthly budgets set in the UI or API');
    table.string('id', 36).primary().notNullable();
    table
      .string('scope_key', 400)
      .notNullable()
      .unique({ indexName: 'coderunner_budgets_scope_idx' })
      .comment('entity:<ref>:<environment or *> or owner:<ref>');
    table.string('entity_ref', 255).nullable();
    table.string('environment', 63).nullable();
    table.string('owner_ref', 255).nullable();
    table
      .bigInteger('amount_cents')
      .notNullable()
      .comment('monthly amount in cents of the currency');
    table.string('currency', 3).notNullable().defaultTo('USD');
    table
      .text('thresholds')
      .notNullable()
      .comment('JSON array of fractions, e.g. [0.75,0.9,1]');
    table.boolean('hard_cap').notNullable().defaultTo(false);
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_at').notNullable();
  });

  const instances = await knex('coderunner_instances as i')
    .join('coderunner_deployments as d', 'd.id', 'i.deployment_id')
    .leftJoin('coderunner_releases as r', 'r.id', 'i.release_id')
    .select(
      'i.id',
      'i.deployment_id',
      'i.created_at',
      'd.entity_ref',
      'd.environment',
      'r.manifest',
    );
  for (const row of instances) {
    let size = 'small';
    try {
      size = JSON.parse(row.manifest).resources?.size ?? size;
    } catch {
      // A release without a readable manifest is billed as the smallest size.
    }
    await knex('coderunner_usage').insert({
      id: row.id,
      kind: 'instance',
      deployment_id: row.deployment_id,
      entity_ref: row.entity_ref,
      environment: row.environment,
      size,
      started_at: new Date(row.created_at).getTime(),
      stopped_at: null,
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_budgets');
  await knex.schema.dropTable('coderunner_usage');
};
