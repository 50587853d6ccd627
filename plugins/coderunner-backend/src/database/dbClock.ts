import { Knex } from 'knex';

/**
 * Times that several replicas compare (lease expiry, rate-limit windows) come from the
 * database's clock, never a replica's own: replicas' clocks drift apart, the database has one.
 */

const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

/** The database's current time in milliseconds since the epoch, as an SQL expression. */
export function dbNowMs(knex: Knex): Knex.Raw {
  return isPostgres(knex)
    ? knex.raw('(extract(epoch from clock_timestamp()) * 1000)::bigint')
    : knex.raw(`cast((julianday('now') - 2440587.5) * 86400000 as integer)`);
}

/**
 * The database's time `offsetMs` from now, in the form a timestamp column holds: a
 * `timestamptz` on PostgreSQL, milliseconds on SQLite (where knex stores a Date that way).
 */
export function dbTimestamp(knex: Knex, offsetMs = 0): Knex.Raw {
  return isPostgres(knex)
    ? knex.raw(`clock_timestamp() + (? * interval '1 millisecond')`, [offsetMs])
    : knex.raw(`(${dbNowMs(knex).toQuery()}) + ?`, [offsetMs]);
}
