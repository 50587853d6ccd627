/*
 * The databases a benchmark measures on: SQLite in a temporary file and the PostgreSQL server
 * on this machine, with a database made for the run and dropped after it.
 */
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The PostgreSQL server the benchmarks use: 127.0.0.1:5432, user postgres, PGPASSWORD or 'postgres'. */
export const PG = {
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  password: process.env.PGPASSWORD ?? 'postgres',
};

/**
 * A SQLite database in a temporary file `<name>.sqlite`, and a PostgreSQL database
 * `coderunner_bench_<name>_<pid>` made when `postgres()` is first called. `close()` closes
 * both, drops the PostgreSQL database and removes the file, whatever happened before.
 */
export function temporaryDatabases(name: string) {
  const tmp = fs.mkdtempSync(
    path.join(os.tmpdir(), `coderunner-bench-${name}-`),
  );
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(tmp, `${name}.sqlite`) },
    useNullAsDefault: true,
  });
  const pgName = `coderunner_bench_${name.replace(/-/g, '_')}_${process.pid}`;
  const pgAdmin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  let pg: Knex | undefined;
  return {
    sqlite,

    /** Makes the PostgreSQL database and connects to it; also says the server's version. */
    async postgres(): Promise<{ knex: Knex; version: string }> {
      await pgAdmin.raw(`create database ${pgName}`);
      pg = knexFactory({
        client: 'pg',
        connection: { ...PG, database: pgName },
      });
      const version = (await pg.raw('show server_version')).rows[0]
        .server_version;
      return { knex: pg, version };
    },

    async close() {
      await sqlite.destroy();
      await pg?.destroy();
      await pgAdmin
        .raw(`drop database if exists ${pgName}`)
        .catch(() => undefined);
      await pgAdmin.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
