/*
 * bench/logs, the Logs tab at 1,000,000 stored lines:
 *
 *   yarn workspace @coderunner/bench-logs tsx src/logsTab.ts [--reps 5]
 *
 * 1. Server side, self-contained: 1,000,000 lines stored through LogStore in a temporary SQLite
 *    file and a throwaway PostgreSQL database on 127.0.0.1:5432 (dropped at the end); times a
 *    search for one line in the middle, the 201 lines around it, and the first line at a time in
 *    the middle.
 * 2. In Chromium, against the portal at PORTAL_URL (start it first: bash scripts/start.sh): a
 *    quiet deployment with 1,000,000 lines (e2e/quietDeployment.mjs), then per repetition a fresh
 *    page: time from choosing its environment to the newest line painted, and from typing a
 *    search for a line in the middle to that line painted (the 300 ms typing pause included).
 * Writes bench/results/logs-tab.json (shape: ../shared/BENCHMARKS.md).
 */
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { DatabaseDeploymentStore } from '@coderunner/plugin-coderunner-backend/src/deployments/DatabaseDeploymentStore';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';
import { temporaryDatabases } from '@coderunner/bench-common/src/databases';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Knex } from 'knex';
import { median, round } from './lib';

const repo = path.resolve(__dirname, '../../..');
const args = process.argv.slice(2);
const REPS = args.includes('--reps')
  ? Number(args[args.indexOf('--reps') + 1])
  : 5;
const LINES = 1_000_000;

type Row = {
  name: string;
  value: number;
  unit: string;
  goal?: number;
  better?: 'lower' | 'higher';
  database?: string;
  spread?: [number, number];
  runs?: number[];
};

const log = (message: string) =>
  process.stdout.write(
    `${new Date().toISOString().slice(11, 19)} ${message}\n`,
  );

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

function row(name: string, runs: number[], extra: Partial<Row> = {}): Row {
  const rounded = runs.map(r => round(r, 1));
  return {
    name,
    value: round(median(runs), 1),
    unit: 'ms',
    better: 'lower',
    spread: [Math.min(...rounded), Math.max(...rounded)],
    runs: rounded,
    ...extra,
  };
}

/** Stores LINES lines for a new deployment through LogStore; times the reads the tab makes. */
async function measureStore(knex: Knex, database: string): Promise<Row[]> {
  await migrateDatabaseUp(knex);
  const deployment = await DatabaseDeploymentStore.fromKnex(
    knex,
  ).ensureDeployment({
    entityRef: 'component:default/bench-logs-tab',
    environment: 'bench',
    createdBy: 'user:default/bench',
  });
  const store = DatabaseLogStore.create({ knex });
  const [insertMs] = await timed(async () => {
    for (let from = 1; from <= LINES; from += 10_000) {
      const lines = Array.from({ length: 10_000 }, (_, i) => ({
        stream: 'stdout' as const,
        line: `INFO line ${from + i}: processed item ${from + i}`,
      }));
      await store.append(deployment.id, lines);
    }
  });
  log(`${database}: stored ${LINES} lines in ${round(insertMs / 1000, 1)} s`);
  const middle = await store.read(deployment.id, {
    after: LINES / 2 - 1,
    limit: 1,
  });
  const search: number[] = [];
  const around: number[] = [];
  const at: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const [searchMs, found] = await timed(() =>
      store.search(deployment.id, { text: 'line 500000:' }),
    );
    if (found.seqs.join() !== '500000')
      throw new Error(`search found ${found.seqs.join()}`);
    search.push(searchMs);
    around.push(
      (
        await timed(() =>
          store.read(deployment.id, { after: 500000 - 101, limit: 201 }),
        )
      )[0],
    );
    const [atMs, page] = await timed(() =>
      store.read(deployment.id, { since: middle.items[0].createdAt, limit: 1 }),
    );
    if (!page.items.length) throw new Error('no line at the middle time');
    at.push(atMs);
  }
  return [
    row(`server: search for one line among 1,000,000 (${database})`, search, {
      database,
    }),
    row(`server: the 201 lines around a match (${database})`, around, {
      database,
    }),
    row(
      `server: first line at or after a time in the middle (${database})`,
      at,
      { database },
    ),
    {
      name: `server: storing 1,000,000 lines through LogStore, batches of 10,000 (${database})`,
      value: round(insertMs / 1000, 1),
      unit: 's',
      database,
    },
  ];
}

/** The Logs tab in Chromium against the running portal. */
async function measureBrowser(): Promise<Row[]> {
  // The browser tests' own helpers (plain ES modules outside any package): the same sign-in and
  // the same quiet deployment as e2e/logs-scale.test.mjs.
  const e2e = (file: string) =>
    import(pathToFileURL(path.join(repo, 'e2e', file)).href);
  const { launchBrowser, PORTAL_URL, signIn } = await e2e('browser.mjs');
  const { ENVIRONMENT, guestApi, prepareQuietDeployment } = await e2e(
    'quietDeployment.mjs',
  );
  const browser = await launchBrowser();
  try {
    const page = await signIn(browser);
    const { head, middle }: { head: number; middle: number } =
      await prepareQuietDeployment(page);
    const api = await guestApi(page);
    const [seq] = (
      await api(
        'GET',
        `/deployments/${ENVIRONMENT}/logs/search?q=${encodeURIComponent(
          `line ${middle}:`,
        )}`,
      )
    ).seqs;
    const painted = (n: number) =>
      page.waitForFunction(
        (wanted: number) =>
          [
            ...document.querySelectorAll(
              '[data-testid="log-line"] span[aria-hidden]',
            ),
          ].some(s => Number(s.textContent) === wanted),
        n,
        { polling: 'raf', timeout: 60_000 },
      );
    const tail: number[] = [];
    const search: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      await page.goto(
        `${PORTAL_URL}/catalog/default/component/ticker-worker/logs`,
      );
      await page.getByLabel('Environment').click({ timeout: 60_000 });
      const option = page.getByRole('option', {
        name: ENVIRONMENT,
        exact: true,
      });
      await option.waitFor();
      const chosen = performance.now();
      await option.click();
      await painted(head);
      tail.push(performance.now() - chosen);
      const box = page.getByLabel('Search logs');
      const typed = performance.now();
      await box.fill(`line ${middle}`);
      await painted(seq);
      search.push(performance.now() - typed);
      log(
        `browser run ${rep + 1}: tail ${round(tail[rep], 0)} ms, search ${round(
          search[rep],
          0,
        )} ms`,
      );
    }
    return [
      row(
        'Logs tab, 1,000,000 stored lines: first paint of the tail (Chromium)',
        tail,
        { goal: 1000, database: 'sqlite (portal)' },
      ),
      row(
        'Logs tab, 1,000,000 stored lines: first search result for a line in the middle (Chromium)',
        search,
        { goal: 2000, database: 'sqlite (portal)' },
      ),
    ];
  } finally {
    await browser.close();
  }
}

async function main() {
  const loadBefore = os.loadavg();
  const results: Row[] = [];
  const databases = temporaryDatabases('logs-tab');
  let pgVersion = '';
  try {
    results.push(...(await measureStore(databases.sqlite, 'sqlite')));
    const pg = await databases.postgres();
    pgVersion = pg.version;
    results.push(...(await measureStore(pg.knex, 'postgresql')));
  } finally {
    await databases.close();
  }
  results.push(...(await measureBrowser()));
  const report = {
    benchmark: 'logs',
    part: 'Logs tab at 1,000,000 lines',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: `sqlite via better-sqlite3 (WAL) and postgresql ${pgVersion} on 127.0.0.1; the browser rows use the portal's SQLite`,
      browser: 'Debian Chromium, headless, through playwright-core',
      loadAverageBefore: loadBefore.map(x => round(x, 2)),
      loadAverageAfter: os.loadavg().map(x => round(x, 2)),
    }),
    setup: {
      lines:
        'Line n reads "INFO line n: processed item n"; the searched line is number 500,000.',
      server: `Times of LogStore calls, ${REPS} repetitions, value = median, spread = min/max. Search = LIKE (SQLite) / ILIKE (PostgreSQL) with escaped wildcards over the deployment's rows in sequence order, no text index.`,
      browser: `Per repetition a fresh page of the Logs tab; tail = from the click on the environment (the stream subscribes with a tail of 5,000 lines) until the row of the newest line exists in the page (polled every animation frame); search = from filling the search box until the row of the matching line exists (includes the 300 ms pause the box waits for typing to stop, the server search and the read of the 201 lines around it). ${REPS} repetitions.`,
    },
    results,
  };
  const out = path.join(repo, 'bench/results/logs-tab.json');
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
