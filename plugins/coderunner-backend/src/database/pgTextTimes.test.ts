import { createTestDatabases } from '../__testUtils__/testDatabases';
import { PG_TEXT_TIMES, toIso } from './dbTime';

// Starts databases: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

const databases = createTestDatabases();

describe('PG_TEXT_TIMES', () => {
  it.each(databases.eachSupportedId())(
    'reads the same instants as the driver’s Date, in any session time zone, with other types parsed as usual, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('times', table => {
        table.integer('n');
        table.bigInteger('big');
        table.timestamp('at', { useTz: true });
      });
      const instants = [
        new Date(Date.UTC(2026, 10, 30, 15, 27, 55, 123)),
        new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 0)),
        new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
      ];
      await knex('times').insert(
        instants.map((at, n) => ({ n, big: '9007199254740993', at })),
      );
      const zones =
        knex.client.config.client === 'pg'
          ? ['UTC', 'Asia/Kolkata', 'America/New_York']
          : [undefined];
      for (const zone of zones) {
        await knex.transaction(async tx => {
          if (zone) await tx.raw(`set local time zone '${zone}'`);
          const asText = await tx('times')
            .options(PG_TEXT_TIMES)
            .orderBy('n')
            .select('n', 'big', 'at');
          const asDate = await tx('times')
            .orderBy('n')
            .select('n', 'big', 'at');
          expect(asText.map(r => toIso(r.at))).toEqual(
            instants.map(i => i.toISOString()),
          );
          expect(asDate.map(r => toIso(r.at))).toEqual(
            instants.map(i => i.toISOString()),
          );
          // Only timestamps change: numbers come back as the driver always gives them.
          expect(asText.map(r => [r.n, r.big])).toEqual(
            asDate.map(r => [r.n, r.big]),
          );
          // On PostgreSQL the text itself, not a Date; SQLite's values are as they always are.
          expect(typeof asText[0].at).toBe(
            zone ? 'string' : typeof asDate[0].at,
          );
        });
      }
    },
  );
});
