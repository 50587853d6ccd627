import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { tuneSqlite } from './tuneSqlite';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

describe('tuneSqlite', () => {
  it('puts a SQLite file in WAL mode with synchronous NORMAL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coderunner-sqlite-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
    });
    try {
      expect(await knex.raw('pragma journal_mode')).toEqual([
        { journal_mode: 'delete' },
      ]);
      await tuneSqlite(knex);
      expect(await knex.raw('pragma journal_mode')).toEqual([
        { journal_mode: 'wal' },
      ]);
      // 1 = NORMAL (2 = FULL, the default).
      expect(await knex.raw('pragma synchronous')).toEqual([
        { synchronous: 1 },
      ]);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves an in-memory SQLite in memory mode', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    try {
      await tuneSqlite(knex);
      expect(await knex.raw('pragma journal_mode')).toEqual([
        { journal_mode: 'memory' },
      ]);
    } finally {
      await knex.destroy();
    }
  });
});
