import { getTypeParser } from 'pg-types';

/**
 * A timestamp as a database hands it back: SQLite gives strings (or numbers), PostgreSQL Date
 * objects, or its own text under {@link PG_TEXT_TIMES}.
 */
export type DbTime = Date | string;

/** SQLite's own text timestamps (`CURRENT_TIMESTAMP`): UTC, to the second. */
const SQLITE_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** PostgreSQL's text for a `timestamptz` in a UTC session (DateStyle ISO), to the microsecond. */
const PG_UTC_TEXT =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

/** PostgreSQL's type id of `timestamp with time zone`, the type of every timestamp we store. */
const TIMESTAMPTZ_OID = 1184;

const keepText = (value: string) => value;

/**
 * Query options (knex's `.options()`, handed on to the `pg` driver, ignored on SQLite) under
 * which PostgreSQL's `timestamptz` values come back as the server's text instead of a `Date`;
 * every other type is parsed as usual. For reads that only answer with the ISO form: the
 * driver's `Date` parsing was an eighth of the backend's CPU for a page of 500 log lines, and
 * {@link toIso} rewrites the text of a UTC session without parsing it.
 */
export const PG_TEXT_TIMES = {
  types: {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === TIMESTAMPTZ_OID && format !== 'binary'
        ? keepText
        : getTypeParser(oid, format),
  },
};

/**
 * The ISO 8601 form of a stored timestamp. SQLite's text form is UTC and is rewritten as such
 * (a JavaScript `Date` would read it as local time, and parse it about ten times slower), and
 * so is PostgreSQL's text in UTC (to the millisecond, as its `Date` would be); any other offset
 * is parsed.
 */
export function toIso(value: DbTime): string {
  if (typeof value === 'string') {
    if (SQLITE_TEXT.test(value)) {
      return `${value.slice(0, 10)}T${value.slice(11)}.000Z`;
    }
    const pg = PG_UTC_TEXT.exec(value);
    if (pg) {
      return `${pg[1]}T${pg[2]}.${(pg[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
    }
  }
  return new Date(value).toISOString();
}
export const toOptionalIso = (value: DbTime | null | undefined) =>
  value ? toIso(value) : undefined;

/**
 * A {@link toIso} for a run of rows that often share a timestamp (lines stored in one batch):
 * it converts a value once and hands back the same string while the next rows repeat it.
 */
export function toIsoRun(): (value: DbTime) => string {
  let last: DbTime | undefined;
  let iso = '';
  return value => {
    const same =
      value === last ||
      (value instanceof Date &&
        last instanceof Date &&
        value.getTime() === last.getTime());
    if (!same) {
      iso = toIso(value);
      last = value;
    }
    return iso;
  };
}
