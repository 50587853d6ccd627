/** A timestamp as a database hands it back: SQLite gives strings, PostgreSQL Date objects. */
export type DbTime = Date | string;

/** SQLite's own text timestamps (`CURRENT_TIMESTAMP`): UTC, to the second. */
const SQLITE_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * The ISO 8601 form of a stored timestamp. SQLite's text form is UTC and is rewritten as such
 * (a JavaScript `Date` would read it as local time, and parse it about ten times slower).
 */
export const toIso = (value: DbTime): string =>
  typeof value === 'string' && SQLITE_TEXT.test(value)
    ? `${value.slice(0, 10)}T${value.slice(11)}.000Z`
    : new Date(value).toISOString();
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
