/** A timestamp as a database hands it back: SQLite gives strings, PostgreSQL Date objects. */
export type DbTime = Date | string;

export const toIso = (value: DbTime): string => new Date(value).toISOString();
export const toOptionalIso = (value: DbTime | null | undefined) =>
  value ? toIso(value) : undefined;
