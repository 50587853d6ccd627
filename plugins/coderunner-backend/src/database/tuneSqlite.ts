import { Knex } from 'knex';

/**
 * On SQLite, switches the database to write-ahead logging with `synchronous = NORMAL`: a commit
 * no longer waits for the disk (only checkpoints do), which takes an fsync of about a
 * millisecond off the event loop for every batch of log lines. The database stays consistent
 * after a crash; a power cut may lose the last commits. Other databases are left alone, and an
 * in-memory SQLite keeps its memory journal.
 *
 * @internal
 */
export async function tuneSqlite(knex: Knex): Promise<void> {
  const client = String(knex.client.config.client);
  if (client !== 'better-sqlite3' && client !== 'sqlite3') {
    return;
  }
  if (client === 'better-sqlite3') keepPreparedStatements(knex);
  await knex.raw('pragma journal_mode = wal');
  await knex.raw('pragma synchronous = normal');
}

/** Statements kept per connection; all are dropped when it fills (a few dozen are hot). */
const KEPT_STATEMENTS = 500;

interface PreparingConnection {
  prepare(sql: string): unknown;
}

/** Connections whose statements are kept. */
const keeping = new WeakSet<PreparingConnection>();

/**
 * Makes each better-sqlite3 connection of `knex` keep the statements it prepared, by their SQL.
 * knex prepares every query afresh, which under load took 9% of the backend's CPU for the
 * deployments list (its `in (…)` lists make long statements). A better-sqlite3 statement is made
 * to be run many times; knex runs each to its end before the next (`all` or `run`), and SQLite
 * prepares a statement again by itself after a schema change. Connections are taken as knex
 * first sends a query on them, so those it opens later are covered too.
 */
function keepPreparedStatements(knex: Knex) {
  const client = knex.client as {
    _query(connection: PreparingConnection, query: unknown): Promise<unknown>;
  };
  const query = client._query;
  client._query = function queryKeepingStatements(connection, sql) {
    if (connection && !keeping.has(connection)) {
      keeping.add(connection);
      const prepare = connection.prepare.bind(connection);
      const statements = new Map<string, unknown>();
      connection.prepare = (text: string) => {
        let statement = statements.get(text);
        if (statement === undefined) {
          if (statements.size >= KEPT_STATEMENTS) statements.clear();
          statement = prepare(text);
          statements.set(text, statement);
        }
        return statement;
      };
    }
    return query.call(this, connection, sql);
  };
}
