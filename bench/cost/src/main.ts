/**
 * Cost benchmark: the cost queries over a month of 1,000 deployments. Run from the repo root with
 *
 *   node_modules/.bin/tsx bench/cost/src/main.ts
 *
 * Offline: SQLite in a temporary file and a temporary database on the PostgreSQL at
 * 127.0.0.1:5432 (dropped afterwards). Each database gets the plugin's migrations and a ledger
 * of November 2026 for 1,000 deployments (500 entities in two environments, 20 owners): per
 * deployment 12 instance lifetimes of random sizes and lengths, a few still running, and 6
 * builds. "Now" is 30 November, noon. Rows, each the median (and p95) of 30 runs after 3
 * warm-up runs:
 * - the global summary (spend by owner, environment, owner × environment and entity, with the
 *   forecast) over all 1,000 deployments, the caller allowed to read every entity;
 * - the status of 100 budgets (50 entity, 20 owner, 30 per environment), as alerts read it;
 * - one entity's month (per environment and day, with its budgets).
 * The catalog is an in-process stand-in answering owners for 500 refs at once (the real one is
 * one batched HTTP call), so the figures are the database and the arithmetic.
 * Writes bench/results/cost.json.
 */
import { ConfigReader } from '@backstage/config';
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { DatabaseBudgetStore } from '@coderunner/plugin-coderunner-backend/src/cost/DatabaseBudgetStore';
import { ConfigPriceTable } from '@coderunner/plugin-coderunner-backend/src/cost/ConfigPriceTable';
import { CostCalculator } from '@coderunner/plugin-coderunner-backend/src/cost/CostCalculator';
import { CostService } from '@coderunner/plugin-coderunner-backend/src/cost/CostService';
import { OwnerResolver } from '@coderunner/plugin-coderunner-backend/src/cost/OwnerResolver';
import { UsageLedger } from '@coderunner/plugin-coderunner-backend/src/cost/UsageLedger';
import { temporaryDatabases } from '@coderunner/bench-common/src/databases';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';

const repo = path.resolve(__dirname, '../../..');
const ENTITIES = 500;
const ENVIRONMENTS = ['staging', 'production'];
const OWNERS = 20;
const NOV = Date.UTC(2026, 10, 1);
const NOW = Date.UTC(2026, 10, 30, 12);
const HOUR = 3_600_000;
const RUNS = 30;
const WARMUP = 3;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
const round = (value: number, digits = 1) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

function random(start: number) {
  let state = start >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const entityRef = (i: number) => `component:default/app-${i}`;
const ownerOf = (i: number) => `group:default/team-${i % OWNERS}`;

/** Answers spec.owner for the bench's entities, as the catalog would in one batch. */
const catalog = {
  async getEntitiesByRefs(request: { entityRefs: string[] }) {
    return {
      items: request.entityRefs.map(ref => {
        const i = Number(ref.split('-').pop());
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: `app-${i}`, namespace: 'default' },
          spec: { owner: ownerOf(i) },
        };
      }),
    };
  },
} as any;
const auth = { getOwnServiceCredentials: async () => ({}) } as any;

async function seed(knex: Knex): Promise<number> {
  const next = random(1000);
  const sizes = ['small', 'medium', 'large', 'xlarge'];
  const rows: Record<string, unknown>[] = [];
  for (let e = 0; e < ENTITIES; e++) {
    for (const environment of ENVIRONMENTS) {
      const deploymentId = randomUUID();
      const base = {
        deployment_id: deploymentId,
        entity_ref: entityRef(e),
        environment,
      };
      for (let k = 0; k < 12; k++) {
        const start = NOV - 2 * 24 * HOUR + Math.floor(next() * 30 * 24 * HOUR);
        const running = next() < 0.08;
        rows.push({
          ...base,
          id: randomUUID(),
          kind: 'instance',
          size: sizes[Math.floor(next() * sizes.length)],
          started_at: start,
          stopped_at: running
            ? null
            : start + Math.floor(next() * 5 * 24 * HOUR) + 1000,
        });
      }
      for (let k = 0; k < 6; k++) {
        const start = NOV + Math.floor(next() * 29 * 24 * HOUR);
        rows.push({
          ...base,
          id: randomUUID(),
          kind: 'build',
          size: 'small',
          started_at: start,
          stopped_at: start + Math.floor(next() * 10 * 60_000) + 1000,
        });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await knex('coderunner_usage').insert(rows.slice(i, i + 500));
  }
  const budgets = await DatabaseBudgetStore.create({ knex });
  for (let i = 0; i < 50; i++) {
    await budgets.put({
      scope: { entityRef: entityRef(i) },
      amountCents: 50_00,
      currency: 'USD',
      thresholds: [0.75, 0.9, 1],
      hardCap: i % 5 === 0,
      by: 'bench',
    });
  }
  for (let i = 0; i < 30; i++) {
    await budgets.put({
      scope: { entityRef: entityRef(100 + i), environment: 'production' },
      amountCents: 30_00,
      currency: 'USD',
      thresholds: [0.75, 0.9, 1],
      hardCap: true,
      by: 'bench',
    });
  }
  for (let i = 0; i < OWNERS; i++) {
    await budgets.put({
      scope: { ownerRef: ownerOf(i) },
      amountCents: 2000_00,
      currency: 'USD',
      thresholds: [0.75, 0.9, 1],
      hardCap: false,
      by: 'bench',
    });
  }
  return rows.length;
}

async function timed(what: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await what();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    await what();
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { median: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function measure(knex: Knex, database: string) {
  await migrateDatabaseUp(knex);
  const ledgerRows = await seed(knex);
  const service = new CostService({
    ledger: new UsageLedger(knex),
    calculator: new CostCalculator(
      ConfigPriceTable.fromConfig(new ConfigReader({})),
    ),
    budgets: await DatabaseBudgetStore.create({ knex }),
    configBudgets: [],
    defaultThresholds: [0.75, 0.9, 1],
    owners: new OwnerResolver(catalog, auth),
    forecastWindowMs: 24 * HOUR,
    clock: () => NOW,
  });
  const summary = await timed(() =>
    service.summary({ allowed: async refs => new Set(refs) }),
  );
  const check = await service.summary({ allowed: async refs => new Set(refs) });
  if (check.entities.length !== ENTITIES) {
    throw new Error(
      `expected ${ENTITIES} entities, got ${check.entities.length}`,
    );
  }
  const budgets = await timed(() => service.budgetStatuses());
  const entity = await timed(() =>
    service.entityCost({
      entityRef: entityRef(7),
      environments: ENVIRONMENTS,
    }),
  );
  console.log(
    `${database}: ${ledgerRows} ledger rows; summary ${round(
      summary.median,
    )} ms, budgets ${round(budgets.median)} ms, entity ${round(
      entity.median,
    )} ms`,
  );
  const row = (
    name: string,
    t: { median: number; p95: number },
    goal?: number,
  ) => [
    {
      name: `${name}, ${database} (median of ${RUNS})`,
      value: round(t.median),
      unit: 'ms',
      ...(goal !== undefined ? { goal, better: 'lower' as const } : {}),
    },
    {
      name: `${name}, ${database} (p95 of ${RUNS})`,
      value: round(t.p95),
      unit: 'ms',
    },
  ];
  return {
    ledgerRows,
    results: [
      ...row(
        'cost query for 1,000 deployments over a month (global summary by owner, environment and entity, with forecast)',
        summary,
        200,
      ),
      ...row('status of 100 budgets (what alerts read)', budgets),
      ...row(
        "one entity's month (per environment and day, with budgets)",
        entity,
      ),
    ],
  };
}

async function main() {
  const loadBefore = os.loadavg().map(l => round(l, 2));
  const databases = temporaryDatabases('cost');
  let pgVersion = '';
  const results = [];
  let ledgerRows = 0;
  try {
    const lite = await measure(databases.sqlite, 'sqlite');
    results.push(...lite.results);
    ledgerRows = lite.ledgerRows;
    const pg = await databases.postgres();
    pgVersion = pg.version;
    results.push(...(await measure(pg.knex, 'postgresql')).results);
  } finally {
    await databases.close();
  }
  const report = {
    benchmark: 'cost',
    date: new Date().toISOString(),
    commit: headCommit(),
    machine: machine({
      database: `sqlite (better-sqlite3, temporary file) and postgresql ${pgVersion} on 127.0.0.1`,
    }),
    setup: {
      loadAverage: {
        before: loadBefore,
        after: os.loadavg().map(l => round(l, 2)),
      },
      method: `a month (November 2026, now = 30 November 12:00 UTC) of ${ledgerRows} ledger rows: ${ENTITIES} entities × ${ENVIRONMENTS.length} environments = 1,000 deployments, each with 12 instance lifetimes (random size, up to 5 days, 8% still running) and 6 builds; 100 budgets; the CostService as the routes call it, the catalog an in-process stand-in; ${WARMUP} warm-up runs, then the median and p95 of ${RUNS}`,
    },
    results,
  };
  fs.mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(repo, 'bench/results/cost.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.log('wrote bench/results/cost.json');
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
