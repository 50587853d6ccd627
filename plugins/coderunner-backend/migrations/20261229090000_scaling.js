// @ts-check

/**
 * Live autoscaling: policy override versions per deployment, the controller's state per
 * deployment (pause, manual hold, what the engine learned), and the decision history with its
 * inputs and explanation.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_scaling_policy_versions', table => {
    table.comment(
      'Saved scaling policy overrides of a deployment; the newest version applies',
    );
    table.string('deployment_id', 36).notNullable();
    table.integer('version').notNullable();
    table
      .text('policy_values')
      .notNullable()
      .comment(
        'JSON {template?, minInstances?, maxInstances?, targets?}; {} clears',
      );
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable().comment('Epoch milliseconds');
    table.primary(['deployment_id', 'version']);
  });

  await knex.schema.createTable('coderunner_scaling_state', table => {
    table.comment('Pause, manual hold and engine memory of one deployment');
    table.string('deployment_id', 36).primary();
    table.string('paused_by', 255).nullable();
    table.bigInteger('paused_at').nullable();
    table.text('paused_reason').nullable();
    table.integer('hold_instances').nullable();
    table.text('hold_reason').nullable();
    table.bigInteger('hold_expires_at').nullable();
    table.string('hold_by', 255).nullable();
    table.bigInteger('hold_at').nullable();
    table
      .text('engine_memory')
      .nullable()
      .comment(
        'JSON ScalingMemory the engine passes from one decision to the next',
      );
    table.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('coderunner_scaling_decisions', table => {
    table.comment('Every scaling decision with its explanation and inputs');
    table.increments('seq').primary();
    table.string('id', 36).notNullable().unique();
    table.string('deployment_id', 36).notNullable();
    table.bigInteger('at').notNullable().comment('Epoch milliseconds');
    table
      .bigInteger('tick')
      .nullable()
      .comment(
        'The controller tick (at / interval) of an autoscaler decision; unique per deployment so that two replicas never both decide one tick',
      );
    table.integer('from_count').notNullable();
    table.integer('to_count').notNullable();
    table.string('direction', 8).notNullable();
    table.string('cause', 16).notNullable();
    table.text('explanation').notNullable();
    table
      .text('inputs')
      .notNullable()
      .comment('JSON {metrics, targets, stale?}');
    table.string('decided_by', 255).nullable();
    table.unique(['deployment_id', 'tick'], {
      indexName: 'coderunner_scaling_decisions_tick_uq',
    });
    table.index(['deployment_id', 'at'], 'coderunner_scaling_decisions_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_scaling_decisions');
  await knex.schema.dropTable('coderunner_scaling_state');
  await knex.schema.dropTable('coderunner_scaling_policy_versions');
};
