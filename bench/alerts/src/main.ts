/**
 * Alerts benchmark: the CPU time one evaluation of every alert rule takes for 1,000
 * deployments, as a share of one core at the engine's 15 s cadence. Run from the repo root with
 *
 *   node_modules/.bin/tsx bench/alerts/src/main.ts
 *
 * Offline: a temporary database on the PostgreSQL at 127.0.0.1:5432 (dropped afterwards), with
 * the plugin's migrations and, generated in SQL: 500 entities × 2 environments = 1,000 running
 * deployments with a built release and 2 instances each (20 of them crash-looping, 10 with a
 * failed rollout); the gateway's series as its 15 s flushes write them (requests, server errors,
 * connection errors and p95 latency: 30 minutes of raw samples = 480,000 rows) and 6 hours of
 * 1-minute rollups (1,440,000 rows), 2% of the deployments failing 20% of their requests; 100
 * log lines per deployment in the last 15 minutes, 5 deployments with a health-check
 * replacement. The engine runs every rule (crash loop, health replacement, rollout failed,
 * AgentSphere unreachable, error-budget burn, latency, 100 budgets) and delivers to a channel
 * that only counts. "Now" advances 15 s per tick, as the scheduler would; 5 warm-up ticks (the
 * first opens the alerts), then 40 measured ticks: process CPU time (user + system, this
 * process: rule code, drivers, the engine) and wall time per tick. The database server's own
 * CPU is read from /proc (one pooled connection) and reported in its own row. Writes
 * bench/results/alerts.json.
 */
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import { AlertEngine } from '@coderunner/plugin-coderunner-backend/src/alerts/AlertEngine';
import { DatabaseAlertStore } from '@coderunner/plugin-coderunner-backend/src/alerts/DatabaseAlertStore';
import { budgetRule } from '@coderunner/plugin-coderunner-backend/src/alerts/rules/budgetRules';
import {
  crashLoopRule,
  healthReplacementRule,
  rolloutFailedRule,
  runtimeUnreachableRule,
} from '@coderunner/plugin-coderunner-backend/src/alerts/rules/deploymentRules';
import { objectiveRules } from '@coderunner/plugin-coderunner-backend/src/alerts/rules/objectiveRules';
import { readAlertSettings } from '@coderunner/plugin-coderunner-backend/src/alerts/createAlertsCapability';
import { ConfigReader } from '@backstage/config';
import { migrateDatabaseUp } from '@coderunner/plugin-coderunner-backend/src/database/migrateDatabase';
import { PG } from '@coderunner/bench-common/src/databases';
import { headCommit, machine } from '@coderunner/bench-common/src/runInfo';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

const repo = path.resolve(__dirname, '../../..');
const ENTITIES = 500;
const TICK_MS = 15_000;
const WARMUP = 5;
const TICKS = 40;
const NOW = Date.UTC(2026, 11, 29, 12, 0, 0);

const round = (value: number, digits = 1) =>
  Math.round(value * 10 ** digits) / 10 ** digits;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function seed(knex: Knex) {
  await knex.raw(`
    insert into coderunner_deployments (id, entity_ref, environment, desired_instances, status, created_by, desired_state)
    select md5('d' || e || env), 'component:default/app-' || e, env, 2, 'ready', 'user:default/bench', 'running'
    from generate_series(0, ${
      ENTITIES - 1
    }) e, unnest(array['staging', 'production']) env`);
  await knex.raw(`
    insert into coderunner_releases (id, deployment_id, number, manifest, status, created_by)
    select md5('r' || id), id, 1, '{}', 'built', 'user:default/bench' from coderunner_deployments`);
  await knex.raw(`
    update coderunner_deployments set active_release_id = md5('r' || id)`);
  await knex.raw(`
    insert into coderunner_instances (id, deployment_id, release_id, state, restarts, reason)
    select md5('i' || d.id || n), d.id, md5('r' || d.id), 'ready', 0, null
    from coderunner_deployments d, generate_series(1, 2) n`);
  // 20 crash loops, 10 failed rollouts.
  await knex.raw(`
    update coderunner_instances set state = 'crashed', restarts = 5, reason = 'exited with code 1'
    where deployment_id in (select id from coderunner_deployments order by id limit 20)`);
  await knex.raw(`
    update coderunner_deployments set status = 'failed', status_reason = 'The build failed'
    where id in (select id from coderunner_deployments order by id desc limit 10)`);
  // Gateway series: a flush every 15 s for 30 minutes; 2% of the deployments fail 20%.
  await knex.raw(`
    insert into coderunner_metric_samples (deployment_id, metric, at, sum, count)
    select d.id, m.metric, ${NOW} - s * 15000,
      case m.metric
        when 'requests' then 150
        when 'server_errors' then case when ('x' || substr(d.id, 1, 2))::bit(8)::int < 5 then 30 else 0 end
        when 'connection_errors' then 0
        else 120 * 150 end,
      case m.metric when 'latency_p95_ms' then 150 else 1 end
    from coderunner_deployments d,
      unnest(array['requests', 'server_errors', 'connection_errors', 'latency_p95_ms']) m(metric),
      generate_series(0, 119) s`);
  await knex.raw(`
    insert into coderunner_metric_rollups (deployment_id, metric, minute, sum, count, min, max)
    select d.id, m.metric, ${NOW} - s * 60000,
      case m.metric
        when 'requests' then 600
        when 'server_errors' then case when ('x' || substr(d.id, 1, 2))::bit(8)::int < 5 then 120 else 0 end
        when 'connection_errors' then 0
        else 120 * 600 end,
      case m.metric when 'latency_p95_ms' then 600 else 4 end, 0, 0
    from coderunner_deployments d,
      unnest(array['requests', 'server_errors', 'connection_errors', 'latency_p95_ms']) m(metric),
      generate_series(1, 360) s`);
  await knex.raw(`
    update coderunner_deployments set log_seq = 100`);
  await knex.raw(`
    insert into coderunner_log_lines (deployment_id, seq, stream, line, created_at)
    select d.id, n, case when n = 50 and ('x' || substr(d.id, 1, 2))::bit(8)::int < 2 then 'system' else 'stdout' end,
      case when n = 50 and ('x' || substr(d.id, 1, 2))::bit(8)::int < 2
        then 'Instance 1234abcd failed 3 health checks in a row (GET /healthz: 500); replacing it'
        else 'GET /api/items 200 12ms' end,
      to_timestamp((${NOW} - (100 - n) * 9000) / 1000.0)
    from coderunner_deployments d, generate_series(1, 100) n`);
  await knex.raw('analyze');
}

async function main() {
  const loadBefore = os.loadavg().map(l => round(l, 2));
  const pgAdmin = knexFactory({
    client: 'pg',
    connection: { ...PG, database: 'postgres' },
  });
  const name = `coderunner_bench_alerts_${process.pid}`;
  await pgAdmin.raw(`create database ${name}`);
  const knex = knexFactory({
    client: 'pg',
    connection: { ...PG, database: name },
    // One connection, so that its server process's CPU time can be read from /proc.
    pool: { min: 1, max: 1 },
  });
  try {
    await migrateDatabaseUp(knex);
    await seed(knex);
    const version = (await knex.raw('show server_version')).rows[0]
      .server_version;
    const budgets: BudgetStatus[] = Array.from({ length: 100 }, (_, i) => ({
      budgetId: `b${i}`,
      scope: { entityRef: `component:default/app-${i}` },
      period: '2026-12',
      amount: 100,
      spent: i,
      forecast: i * 1.2,
      currency: 'USD',
      thresholds: [0.75, 0.9, 1],
      hardCap: false,
      source: 'ui',
    }));
    let delivered = 0;
    const engine = new AlertEngine(
      [
        crashLoopRule(knex),
        healthReplacementRule(knex),
        rolloutFailedRule(knex),
        runtimeUnreachableRule(
          knex,
          () => ({ status: 'ok', detail: 'answering' }),
          'agentsphere',
        ),
        ...objectiveRules(
          knex,
          readAlertSettings(new ConfigReader({})).objectives,
        ),
        budgetRule({ list: async () => budgets }),
      ],
      DatabaseAlertStore.create({ knex }),
      [{ name: 'count', deliver: async () => void delivered++ }],
      {
        warn: () => {},
        info: () => {},
        debug: () => {},
        error: () => {},
      } as any,
    );
    const serverPid = (await knex.raw('select pg_backend_pid() as pid')).rows[0]
      .pid;
    const ticksPerSecond = Number(
      execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
    );
    /** CPU milliseconds the connection's PostgreSQL server process used so far. */
    const serverCpuMs = () => {
      const fields = fs
        .readFileSync(`/proc/${serverPid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ');
      return (
        ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000
      );
    };
    let tick = 0;
    const first = await engine.evaluate(new Date(NOW));
    for (let i = 1; i < WARMUP; i++) {
      await engine.evaluate(new Date(NOW + ++tick * TICK_MS));
    }
    const cpuMs: number[] = [];
    const serverMs: number[] = [];
    const wallMs: number[] = [];
    for (let i = 0; i < TICKS; i++) {
      const cpu = process.cpuUsage();
      const server = serverCpuMs();
      const start = process.hrtime.bigint();
      await engine.evaluate(new Date(NOW + ++tick * TICK_MS));
      wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpu);
      cpuMs.push((used.user + used.system) / 1000);
      serverMs.push(serverCpuMs() - server);
    }
    const open = await knex('coderunner_alerts')
      .where('status', 'open')
      .count({ n: '*' });
    const mean = (values: number[]) =>
      values.reduce((a, b) => a + b, 0) / values.length;
    const cpuMean = mean(cpuMs);
    const serverMean = mean(serverMs);
    const share = (ms: number) => round((ms / TICK_MS) * 100, 3);
    console.log(
      `first tick opened ${first.opened} alerts (${delivered} deliveries); ${
        open[0].n
      } open; backend CPU per tick mean ${round(cpuMean, 2)} ms (${share(
        cpuMean,
      )}% of a core at 15 s), p95 ${round(
        percentile(cpuMs, 95),
        2,
      )} ms; PostgreSQL server CPU per tick mean ${round(
        serverMean,
      )} ms (${share(serverMean)}%); wall median ${round(
        percentile(wallMs, 50),
        1,
      )} ms`,
    );
    const report = {
      benchmark: 'alerts',
      date: new Date().toISOString(),
      commit: headCommit(),
      machine: machine({
        database: `postgresql ${version} on 127.0.0.1`,
      }),
      setup: {
        loadAverage: {
          before: loadBefore,
          after: os.loadavg().map(l => round(l, 2)),
        },
        method: `1,000 running deployments (${ENTITIES} entities × 2 environments), 2 instances each, 20 crash-looping, 10 failed rollouts; 30 min of raw gateway samples every 15 s (the rules read 5 min of them) and 6 h of 1-minute rollups for 4 series each (2% failing 20% of requests), 100 log lines each in the last 15 min; 100 budgets; all rules; 'now' advancing 15 s per tick; ${WARMUP} warm-up ticks (the first opened ${first.opened} alerts), then ${TICKS} measured ticks. CPU is this Node.js process's user + system time per tick (rule code, drivers, engine); the PostgreSQL server process's CPU for the same tick is read from /proc and reported in its own row. Objectives: the app-config defaults.`,
      },
      results: [
        {
          name: 'alert evaluation, 1,000 deployments: backend CPU as % of one core at a 15 s cadence (mean of the ticks)',
          value: share(cpuMean),
          unit: '% of one core',
          goal: 1,
          better: 'lower',
        },
        {
          name: 'alert evaluation, 1,000 deployments: PostgreSQL server CPU as % of one core at a 15 s cadence (mean, from /proc, 10 ms resolution)',
          value: share(serverMean),
          unit: '% of one core',
        },
        {
          name: 'alert evaluation, 1,000 deployments: backend CPU time per tick (mean)',
          value: round(cpuMean, 2),
          unit: 'ms',
        },
        {
          name: 'alert evaluation, 1,000 deployments: backend CPU time per tick (p95)',
          value: round(percentile(cpuMs, 95), 2),
          unit: 'ms',
        },
        {
          name: 'alert evaluation, 1,000 deployments: wall time per tick, with the database (median)',
          value: round(percentile(wallMs, 50), 1),
          unit: 'ms',
        },
        {
          name: 'alert evaluation, 1,000 deployments: wall time per tick (p95)',
          value: round(percentile(wallMs, 95), 1),
          unit: 'ms',
        },
      ],
    };
    fs.mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'bench/results/alerts.json'),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    console.log('wrote bench/results/alerts.json');
  } finally {
    await knex.destroy();
    await pgAdmin.raw(`drop database if exists ${name}`).catch(() => {});
    await pgAdmin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
