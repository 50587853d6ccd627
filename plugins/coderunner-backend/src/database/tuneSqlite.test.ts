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

  it('prepares a statement once per connection, and a schema change still shows', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const prepared: string[] = [];
    // The driver knex loads: better-sqlite3's Database.
    const driver = (
      knex.client as unknown as {
        driver: { prototype: { prepare(sql: string): unknown } };
      }
    ).driver;
    const original = driver.prototype.prepare;
    const prepare = jest
      .spyOn(driver.prototype, 'prepare')
      .mockImplementation(function counted(this: unknown, sql: string) {
        prepared.push(sql);
        return original.call(this, sql);
      });
    try {
      await tuneSqlite(knex);
      await knex.schema.createTable('things', t => {
        t.integer('id');
      });
      await knex('things').insert([{ id: 1 }, { id: 2 }]);
      prepared.length = 0;
      for (let i = 0; i < 5; i++) {
        expect(await knex('things').where('id', '>', 1)).toEqual([{ id: 2 }]);
      }
      await knex.transaction(async trx => {
        expect(await trx('things').where('id', '>', 1)).toEqual([{ id: 2 }]);
      });
      expect(
        prepared.filter(sql => sql.startsWith('select * from `things`')),
      ).toHaveLength(1);
      await knex.schema.alterTable('things', t => {
        t.string('name').defaultTo('x');
      });
      expect(await knex('things').where('id', '>', 1)).toEqual([
        { id: 2, name: 'x' },
      ]);
      // A query's own safeIntegers option stays with that query.
      expect(
        await knex('things')
          .where('id', '>', 1)
          .options({ safeIntegers: true }),
      ).toEqual([{ id: BigInt(2), name: 'x' }]);
      expect(await knex('things').where('id', '>', 1)).toEqual([
        { id: 2, name: 'x' },
      ]);
    } finally {
      prepare.mockRestore();
      await knex.destroy();
    }
  });
});
