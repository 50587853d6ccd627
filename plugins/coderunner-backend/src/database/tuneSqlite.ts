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
  await knex.raw('pragma journal_mode = wal');
  await knex.raw('pragma synchronous = normal');
}
