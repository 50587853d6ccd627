/*
 * bench/logs appendCost: what one LogStore append costs on SQLite. Of one line, the case of an
 * idle writer (each line stored as it comes): the time per append and the garbage collections
 * (count and pause time) during 5,000 appends, three rounds after a warm-up round. Of 1,000
 * lines, the case of a writer under load: the time per line over 100 appends.
 *
 *   yarn workspace @coderunner/bench-logs tsx src/appendCost.ts
 */
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { tuneSqlite } from '@coderunner/plugin-coderunner-backend/src/database/tuneSqlite';
import { DatabaseDeploymentStore } from '@coderunner/plugin-coderunner-backend/src/deployments/DatabaseDeploymentStore';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

const APPENDS = 5000;
const ROUNDS = 3;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-cost-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'logs.sqlite') },
    useNullAsDefault: true,
  });
  try {
    await migrateDatabaseUp(knex);
    // As the plugin does when it starts (DeploymentStore.create).
    await tuneSqlite(knex);
    const { id } = await DatabaseDeploymentStore.fromKnex(
      knex,
    ).ensureDeployment({
      entityRef: 'component:default/append-cost',
      environment: 'bench',
      createdBy: 'user:default/bench',
    });
    const store = DatabaseLogStore.create({ knex });
    // A live subscriber's feed listens, as in the latency rows.
    store.onAppended(id, () => undefined);
    let collections = 0;
    let pauseMs = 0;
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        collections++;
        pauseMs += entry.duration;
      }
    }).observe({ entryTypes: ['gc'] });
    const padding = 'x'.repeat(60);
    for (let round = 0; round <= ROUNDS; round++) {
      collections = 0;
      pauseMs = 0;
      const started = performance.now();
      for (let n = 0; n < APPENDS; n++) {
        await store.append(id, [
          {
            stream: 'stdout',
            instanceId: 'bench',
            line: `t=${Date.now()} n=${n} ${padding}`,
          },
        ]);
      }
      const perAppendUs = ((performance.now() - started) / APPENDS) * 1000;
      // Lets the observer hear the round's last collections.
      await new Promise(resolve => setTimeout(resolve, 50));
      process.stdout.write(
        `${round === 0 ? 'warm-up' : `round ${round}`}: ${perAppendUs.toFixed(
          1,
        )} µs per 1-line append; ${collections} garbage collections, ${pauseMs.toFixed(
          1,
        )} ms of pauses, in ${APPENDS} appends\n`,
      );
    }
    const batch = Array.from({ length: 1000 }, (_, n) => ({
      stream: 'stdout' as const,
      instanceId: 'bench',
      line: `t=${Date.now()} n=${n} ${padding}`,
    }));
    const started = performance.now();
    for (let n = 0; n < 100; n++) await store.append(id, batch);
    process.stdout.write(
      `1,000-line appends: ${(
        ((performance.now() - started) / 100_000) *
        1000
      ).toFixed(1)} µs per line over 100 appends\n`,
    );
  } finally {
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
