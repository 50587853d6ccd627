// @ts-check

/**
 * Configuration and secrets: versioned variables per entity and scope (an environment, or
 * `shared` for every environment), every value encrypted; change sets as versions; the
 * audit history; the generated development key when no keys are configured.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('coderunner_config_versions', table => {
    table.comment('One saved change set of the configuration of an entity');
    table.string('entity_ref', 255).notNullable();
    table.integer('version').notNullable();
    table.string('author', 255).notNullable();
    table.text('message').nullable();
    table
      .text('scopes')
      .notNullable()
      .comment('JSON list of the scopes the change set touched');
    table
      .text('changes')
      .notNullable()
      .comment('JSON list of {scope, name, change}; never values');
    table
      .integer('rollback_of')
      .nullable()
      .comment('The version this one rolled back to');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['entity_ref', 'version']);
  });

  await knex.schema.createTable('coderunner_config_values', table => {
    table.comment(
      'Variable values, valid from one version until replaced; always encrypted (AES-256-GCM, a data key per value wrapped by a key-encryption key)',
    );
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('scope', 63).notNullable().comment('shared or an environment');
    table.string('name', 128).notNullable();
    table.boolean('secret').notNullable().defaultTo(false);
    table
      .string('key_id', 63)
      .notNullable()
      .comment('The key-encryption key that wraps the data key');
    table
      .text('wrapped_key')
      .notNullable()
      .comment('base64 nonce + encrypted data key + tag');
    table
      .text('ciphertext')
      .notNullable()
      .comment('base64 nonce + encrypted value + tag');
    table
      .string('fingerprint', 16)
      .notNullable()
      .comment('Short keyed hash of the value');
    table.integer('from_version').notNullable();
    table
      .integer('to_version')
      .nullable()
      .comment('The version that replaced or deleted it');
    table.string('updated_by', 255).notNullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(
      ['entity_ref', 'from_version'],
      'coderunner_config_values_entity_idx',
    );
    table.index(['key_id'], 'coderunner_config_values_key_idx');
  });

  await knex.schema.createTable('coderunner_config_audit', table => {
    table.comment(
      'Who changed, rolled back, revealed or exported which names; never values',
    );
    table.increments('id').primary();
    table.string('entity_ref', 255).notNullable();
    table
      .string('action', 15)
      .notNullable()
      .comment('change, rollback, reveal, export, apply');
    table.string('actor', 255).notNullable();
    table.integer('version').nullable();
    table.text('scopes').notNullable().comment('JSON list');
    table.text('names').notNullable().comment('JSON list');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['entity_ref', 'id'], 'coderunner_config_audit_entity_idx');
  });

  await knex.schema.createTable('coderunner_config_dev_keys', table => {
    table.comment(
      'The generated development key, used only when no keys are configured',
    );
    table.string('id', 63).primary().notNullable();
    table.text('secret').notNullable().comment('base64, 32 bytes');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('coderunner_config_dev_keys');
  await knex.schema.dropTable('coderunner_config_audit');
  await knex.schema.dropTable('coderunner_config_values');
  await knex.schema.dropTable('coderunner_config_versions');
};
