/*
 * Stores log lines for a deployment through the backend's own LogStore, straight into the
 * portal's SQLite database, until its newest line is number <head>: a million lines in about
 * 10 s, where a worker printing them would wait on the whole pipeline. The deployment must exist
 * and be quiet (deploy and stop it through the API first). A second run adds nothing.
 *
 *   node_modules/.bin/tsx e2e/seedLogs.ts <coderunner.sqlite> <entityRef> <environment> <head>
 *
 * The line numbered n reads "INFO line n: processed item n"; prints the newest sequence number.
 */
import knexFactory from 'knex';
import { DatabaseLogStore } from '../plugins/coderunner-backend/src/logs/DatabaseLogStore';
import {
  LogStore,
  NewLogLine,
} from '../plugins/coderunner-backend/src/logs/LogStore';

const BATCH = 10_000;

async function main() {
  const [file, entityRef, environment, wanted] = process.argv.slice(2);
  const total = Number(wanted);
  if (
    !file ||
    !entityRef ||
    !environment ||
    !Number.isInteger(total) ||
    total < 1
  ) {
    throw new Error(
      'usage: seedLogs.ts <coderunner.sqlite> <entityRef> <environment> <head>',
    );
  }
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  try {
    // The portal writes to the same file: wait for its locks instead of failing at once.
    await knex.raw('PRAGMA busy_timeout = 30000');
    const deployment = await knex('coderunner_deployments')
      .where({ entity_ref: entityRef, environment })
      .first('id');
    if (!deployment)
      throw new Error(
        `${entityRef} has no deployment in ${environment}: deploy it first`,
      );
    const store = DatabaseLogStore.create({ knex });
    let head = await store.head(deployment.id);
    while (head < total) {
      const lines = [];
      for (let n = head + 1; n <= Math.min(head + BATCH, total); n++) {
        lines.push({
          stream: 'stdout' as const,
          line: `INFO line ${n}: processed item ${n}`,
        });
      }
      head = await appendRetrying(store, deployment.id, lines);
    }
    process.stdout.write(`${head}\n`);
  } finally {
    await knex.destroy();
  }
}

/**
 * The portal commits to the same file meanwhile; a transaction that read before its commit may
 * not write after it (SQLITE_BUSY_SNAPSHOT), nor while the portal holds the write lock
 * (SQLITE_BUSY at once: busy_timeout does not apply to a transaction that already reads). It is
 * rolled back whole and retried once the portal has had a moment to commit: while other browser
 * tests run beside this one the portal writes often, and retries in a tight loop all meet the
 * same lock.
 */
async function appendRetrying(
  store: LogStore,
  deploymentId: string,
  lines: NewLogLine[],
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.append(deploymentId, lines);
    } catch (error) {
      if (
        attempt >= 20 ||
        !String((error as { code?: string }).code).startsWith('SQLITE_BUSY')
      )
        throw error;
      await new Promise(resolve => setTimeout(resolve, 50 * attempt));
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
