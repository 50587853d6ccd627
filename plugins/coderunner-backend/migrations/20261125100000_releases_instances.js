// @ts-check

/**
 * Releases (immutable numbered snapshots), their built artifacts, instances, and the
 * ordered log lines of builds and instances; the desired state of deployments.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table
      .string('desired_state', 15)
      .notNullable()
      .defaultTo('running')
      .comment('running, stopped or deleted');
    table
      .string('active_release_id', 36)
      .nullable()
      .comment('The release the gateway serves');
    table
      .string('target_release_id', 36)
      .nullable()
      .comment('The release being rolled out, if any');
    table.integer('next_release_number').notNullable().defaultTo(1);
    table
      .bigInteger('log_seq')
      .notNullable()
      .defaultTo(0)
      .comment('Last log line sequence number');
    table
      .string('lease_owner', 63)
      .nullable()
      .comment('The backend replica reconciling it');
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.string('deployed_by', 255).nullable();
    table.timestamp('deployed_at', { useTz: true }).nullable();
  });

  await knex.schema.createTable('coderunner_releases', table => {
    table.comment(
      'Immutable numbered snapshots: source, manifest and config version',
    );
    table.string('id', 36).primary().notNullable();
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.integer('number').notNullable();
    table.string('source_revision', 255).nullable();
    table
      .text('manifest')
      .notNullable()
      .comment('The validated manifest as JSON');
    table.integer('config_version').nullable();
    table
      .string('status', 15)
      .notNullable()
      .defaultTo('pending')
      .comment('pending, building, built, failed');
    table.text('failure_reason').nullable();
    table
      .text('source_summary')
      .nullable()
      .comment('Where the source came from, for people');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('built_at', { useTz: true }).nullable();
    table.unique(['deployment_id', 'number'], {
      indexName: 'coderunner_releases_number_idx',
    });
  });

  await knex.schema.createTable('coderunner_release_files', table => {
    table.comment('The source snapshot and the built artifact of each release');
    table
      .string('release_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_releases')
      .onDelete('CASCADE');
    table.string('kind', 15).notNullable().comment('source or artifact');
    table.binary('content').notNullable().comment('A gzipped tar archive');
    table.integer('size').notNullable();
    table.primary(['release_id', 'kind']);
  });

  await knex.schema.createTable('coderunner_instances', table => {
    table.comment('One sandbox running a release');
    table.string('id', 36).primary().notNullable();
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.string('release_id', 36).notNullable();
    table
      .string('state', 15)
      .notNullable()
      .comment('provisioning, starting, ready, crashed, draining, stopped');
    table.string('sandbox_id', 255).nullable();
    table.integer('pid').nullable();
    table.text('url').nullable().comment('Where the instance serves its port');
    table.integer('restarts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).nullable();
    table.integer('last_exit_code').nullable();
    table
      .text('reason')
      .nullable()
      .comment('Why the state is what it is, for people');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('ready_at', { useTz: true }).nullable();
    table.index(
      ['deployment_id', 'state'],
      'coderunner_instances_deployment_state_idx',
    );
  });

  await knex.schema.createTable('coderunner_log_lines', table => {
    table.comment(
      'Build and runtime output, one row a line, ordered per deployment',
    );
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('coderunner_deployments')
      .onDelete('CASCADE');
    table.bigInteger('seq').notNullable();
    table.string('release_id', 36).nullable();
    table.string('instance_id', 36).nullable();
    table
      .string('stream', 15)
      .notNullable()
      .comment('build, stdout, stderr or system');
    table.text('line').notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['deployment_id', 'seq']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_log_lines');
  await knex.schema.dropTable('coderunner_instances');
  await knex.schema.dropTable('coderunner_release_files');
  await knex.schema.dropTable('coderunner_releases');
  await knex.schema.alterTable('coderunner_deployments', table => {
    table.dropColumn('desired_state');
    table.dropColumn('active_release_id');
    table.dropColumn('target_release_id');
    table.dropColumn('next_release_number');
    table.dropColumn('log_seq');
    table.dropColumn('lease_owner');
    table.dropColumn('lease_expires_at');
    table.dropColumn('deployed_by');
    table.dropColumn('deployed_at');
  });
};
