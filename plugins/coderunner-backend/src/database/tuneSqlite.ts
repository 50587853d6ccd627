import { Knex } from 'knex';
import { LRUCache } from 'lru-cache';

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

/** Statements kept per connection, the least recently used dropped first. */
const KEPT_STATEMENTS = 500;

interface PreparingConnection {
  prepare(sql: string): unknown;
}

/** The statement cache of each connection whose statements are kept. */
const keeping = new WeakMap<
  PreparingConnection,
  { statements: LRUCache<string, object>; bypass: boolean }
>();

/**
 * Makes each better-sqlite3 connection of `knex` keep the statements it prepared, by their SQL.
 * knex prepares every query afresh, which under load took 9% of the backend's CPU for the
 * deployments list (its `in (…)` lists make long statements). A better-sqlite3 statement is made
 * to be run many times; knex runs each to its end (`all` or `run`) before it answers, and SQLite
 * prepares a statement again by itself after a schema change. A query with its own
 * `safeIntegers` option, which knex sets on the statement and which would stay set, gets a
 * statement of its own. Connections are taken as knex first sends a query on them, so those it
 * opens later are covered too.
 */
function keepPreparedStatements(knex: Knex) {
  const client = knex.client as {
    _query(
      connection: PreparingConnection,
      query: { options?: { safeIntegers?: boolean } },
    ): Promise<unknown>;
  };
  const query = client._query;
  client._query = function queryKeepingStatements(connection, sql) {
    if (!connection) return query.call(this, connection, sql);
    let cache = keeping.get(connection);
    if (!cache) {
      const prepare = connection.prepare.bind(connection);
      const kept = {
        statements: new LRUCache<string, object>({ max: KEPT_STATEMENTS }),
        bypass: false,
      };
      connection.prepare = (text: string) => {
        if (kept.bypass) return prepare(text);
        let statement = kept.statements.get(text);
        if (!statement) {
          statement = prepare(text) as object;
          kept.statements.set(text, statement);
        }
        return statement;
      };
      keeping.set(connection, kept);
      cache = kept;
    }
    // knex prepares before its first await, so the flag covers exactly this query's statement.
    cache.bypass = sql?.options?.safeIntegers !== undefined;
    try {
      return query.call(this, connection, sql);
    } finally {
      cache.bypass = false;
    }
  };
}
