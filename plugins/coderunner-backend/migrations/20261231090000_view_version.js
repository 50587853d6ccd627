// @ts-check

/** The deployment row's columns a view shows. */
const SHOWN = [
  'entity_ref',
  'environment',
  'status',
  'status_reason',
  'desired_state',
  'desired_instances',
  'active_release_id',
  'target_release_id',
  'deployed_by',
  'deployed_at',
  'created_at',
  'updated_at',
];

/** The tables of a deployment's rows that its view shows. */
const CHILDREN = ['coderunner_instances', 'coderunner_releases'];

/**
 * A version of everything a deployment's view shows: the row's own shown columns, its instances
 * and its releases. A replica keeps the views its lists made and uses one only while the row's
 * version is the one it was made at, so every write to those rows must raise it in the same
 * transaction. These triggers raise it for every writer: the store (which locks the deployment
 * row before writing its instances and releases, in the lock order of its other transactions),
 * a replica of an older release during a rolling upgrade, or a fix made by hand in SQL.
 *
 * On SQLite knex alters a table by rebuilding it (copy, drop, rename): a later migration that
 * alters coderunner_deployments, coderunner_instances or coderunner_releases that way must drop
 * these triggers first and create them again after.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('coderunner_deployments', table => {
    table
      .bigInteger('view_version')
      .notNullable()
      .defaultTo(0)
      .comment(
        'Raised by every write to what the deployment view shows: its shown columns, instances and releases',
      );
  });
  if (knex.client.config.client === 'pg') {
    const columns = (/** @type {string} */ row) =>
      SHOWN.map(c => `${row}.${c}`).join(', ');
    // The functions resolve table names with the search path of this migration (the plugin's
    // schema where Backstage gives each plugin one), whoever writes.
    await knex.raw(`
      create function coderunner_raise_view_version_of_row() returns trigger
      language plpgsql set search_path from current as $$
      begin
        new.view_version := old.view_version + 1;
        return new;
      end $$`);
    await knex.raw(`
      create trigger coderunner_deployments_raise_view
      before update of ${SHOWN.join(', ')} on coderunner_deployments
      for each row when (new.view_version = old.view_version
        and (${columns('new')}) is distinct from (${columns('old')}))
      execute function coderunner_raise_view_version_of_row()`);
    await knex.raw(`
      create function coderunner_raise_view_version() returns trigger
      language plpgsql set search_path from current as $$
      begin
        if tg_op <> 'INSERT' then
          update coderunner_deployments set view_version = view_version + 1
          where id = old.deployment_id;
        end if;
        if tg_op = 'INSERT' then
          update coderunner_deployments set view_version = view_version + 1
          where id = new.deployment_id;
        elsif tg_op = 'UPDATE' then
          if new.deployment_id is distinct from old.deployment_id then
            update coderunner_deployments set view_version = view_version + 1
            where id = new.deployment_id;
          end if;
        end if;
        return null;
      end $$`);
    for (const table of CHILDREN) {
      await knex.raw(`
        create trigger ${table}_raise_view
        after insert or update or delete on ${table}
        for each row execute function coderunner_raise_view_version()`);
    }
    return;
  }
  // SQLite: an AFTER trigger per statement kind; the nested update names no column the
  // deployment trigger watches, so it fires nothing more.
  await knex.raw(`
    create trigger coderunner_deployments_raise_view
    after update of ${SHOWN.join(', ')} on coderunner_deployments
    when new.view_version = old.view_version
    begin
      update coderunner_deployments set view_version = view_version + 1 where id = new.id;
    end`);
  for (const table of CHILDREN) {
    const raise = (/** @type {string} */ ids) =>
      `update coderunner_deployments set view_version = view_version + 1 where id in (${ids});`;
    await knex.raw(`
      create trigger ${table}_raise_view_insert after insert on ${table}
      begin ${raise('new.deployment_id')} end`);
    await knex.raw(`
      create trigger ${table}_raise_view_update after update on ${table}
      begin ${raise('old.deployment_id, new.deployment_id')} end`);
    await knex.raw(`
      create trigger ${table}_raise_view_delete after delete on ${table}
      begin ${raise('old.deployment_id')} end`);
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    for (const table of CHILDREN) {
      await knex.raw(`drop trigger ${table}_raise_view on ${table}`);
    }
    await knex.raw(
      'drop trigger coderunner_deployments_raise_view on coderunner_deployments',
    );
    await knex.raw('drop function coderunner_raise_view_version()');
    await knex.raw('drop function coderunner_raise_view_version_of_row()');
  } else {
    for (const table of CHILDREN) {
      for (const kind of ['insert', 'update', 'delete']) {
        await knex.raw(`drop trigger ${table}_raise_view_${kind}`);
      }
    }
    await knex.raw('drop trigger coderunner_deployments_raise_view');
    // SQLite's own drop column: knex's rebuild would drop the table, and with it (foreign keys
    // on) every instance, release and log line.
    await knex.raw(
      'alter table coderunner_deployments drop column view_version',
    );
    return;
  }
  await knex.schema.alterTable('coderunner_deployments', table => {
    table.dropColumn('view_version');
  });
};
