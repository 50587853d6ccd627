import { mockServices } from '@backstage/backend-test-utils';
import { AlertEvent } from '@coderunner/plugin-coderunner-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  migrateDatabaseDown,
  migrateDatabaseUp,
} from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import { AlertEngine } from './AlertEngine';
import { DatabaseAlertStore } from './DatabaseAlertStore';
import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import { budgetRule } from './rules/budgetRules';
import { DatabaseLogStore } from '../logs/DatabaseLogStore';
import {
  crashLoopRule,
  healthReplacementRule,
  rolloutFailedRule,
  runtimeUnreachableRule,
} from './rules/deploymentRules';
import { objectiveRules } from './rules/objectiveRules';
import { AlertRule } from './types';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);
const SHOP = 'component:default/shop';

async function setUp(id: Parameters<typeof databases.init>[0]) {
  const knex: Knex = await databases.init(id);
  await migrateDatabaseUp(knex);
  const deployments = DatabaseDeploymentStore.fromKnex(knex);
  const deployment = await deployments.ensureDeployment({
    entityRef: SHOP,
    environment: 'production',
    createdBy: 'user:default/test',
  });
  const releaseId = randomUUID();
  await knex('coderunner_releases').insert({
    id: releaseId,
    deployment_id: deployment.id,
    number: 1,
    manifest: '{}',
    status: 'built',
    created_by: 'user:default/test',
  });
  await knex('coderunner_deployments')
    .where('id', deployment.id)
    .update({ active_release_id: releaseId });
  const instanceId = randomUUID();
  await knex('coderunner_instances').insert({
    id: instanceId,
    deployment_id: deployment.id,
    release_id: releaseId,
    state: 'ready',
    restarts: 0,
  });
  const store = DatabaseAlertStore.create({ knex });
  const events: AlertEvent[] = [];
  const channel = {
    name: 'recording',
    deliver: async (event: AlertEvent) => {
      events.push(event);
    },
  };
  const engine = (rules: AlertRule[]) =>
    new AlertEngine(rules, store, [channel], mockServices.logger.mock());
  const crash = (restarts: number, state = 'crashed') =>
    knex('coderunner_instances')
      .where('id', instanceId)
      .update({ restarts, state, reason: 'exited with code 1' });
  return { knex, store, events, engine, crash, deploymentId: deployment.id };
}

describe('AlertEngine', () => {
  it.each(databases.eachSupportedId())(
    'opens a crash-loop alert once, keeps it while the loop goes on, and resolves it when the instance is ready, on %p',
    async id => {
      const { knex, store, events, engine, crash } = await setUp(id);
      const alerts = engine([crashLoopRule(knex)]);

      await crash(2);
      expect((await alerts.evaluate(new Date(1000))).opened).toBe(0);

      await crash(3);
      expect(await alerts.evaluate(new Date(2000))).toMatchObject({
        opened: 1,
        resolved: 0,
      });
      await crash(5);
      expect(await alerts.evaluate(new Date(3000))).toMatchObject({
        opened: 0,
      });
      const [open] = await store.listOpen();
      expect(open).toMatchObject({
        key: `crash-loop:${SHOP}:production`,
        severity: 'critical',
        status: 'open',
        environment: 'production',
        link: '/catalog/default/component/shop/logs',
        lastSeenAt: new Date(3000).toISOString(),
      });

      await crash(0, 'ready');
      expect(await alerts.evaluate(new Date(4000))).toMatchObject({
        resolved: 1,
      });
      expect(await store.listOpen()).toEqual([]);
      expect(events.map(e => e.type)).toEqual(['opened', 'resolved']);
      const history = await store.list({ entityRefs: [SHOP], limit: 10 });
      expect(history).toEqual([
        expect.objectContaining({
          id: open.id,
          status: 'resolved',
          resolvedAt: new Date(4000).toISOString(),
        }),
      ]);

      // The same condition later is a new alert with its own history entry.
      await crash(4);
      await alerts.evaluate(new Date(5000));
      expect(await store.list({ entityRefs: [SHOP], limit: 10 })).toHaveLength(
        2,
      );
      expect(events.map(e => e.type)).toEqual(['opened', 'resolved', 'opened']);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the alerts of a rule that fails, and two engines open one alert per key, on %p',
    async id => {
      const { knex, store, events, engine, crash } = await setUp(id);
      await crash(3);
      await engine([crashLoopRule(knex)]).evaluate(new Date(1000));
      const broken: AlertRule = {
        id: 'crash-loop',
        evaluate: async () => {
          throw new Error('database went away');
        },
      };
      const result = await engine([broken]).evaluate(new Date(2000));
      expect(result).toMatchObject({
        resolved: 0,
        failedRules: ['crash-loop'],
      });
      expect(await store.listOpen()).toHaveLength(1);

      await crash(0, 'ready');
      await engine([crashLoopRule(knex)]).evaluate(new Date(3000));
      await crash(3);
      // Two replicas evaluating at once: the unique open key lets one of them open it.
      await Promise.all([
        engine([crashLoopRule(knex)]).evaluate(new Date(4000)),
        engine([crashLoopRule(knex)]).evaluate(new Date(4000)),
      ]);
      expect(await store.listOpen()).toHaveLength(1);
      expect(events.filter(e => e.type === 'opened')).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'raises rollout-failed and runtime-unreachable from the deployment state, on %p',
    async id => {
      const { knex, store, engine, deploymentId } = await setUp(id);
      let runtime: { status: 'ok' | 'failing'; detail: string } = {
        status: 'failing',
        detail: 'circuit breaker open',
      };
      await knex('coderunner_deployments')
        .where('id', deploymentId)
        .update({ status: 'failed', status_reason: 'The build failed' });
      const alerts = engine([
        rolloutFailedRule(knex),
        runtimeUnreachableRule(knex, () => runtime, 'agentsphere'),
      ]);
      await alerts.evaluate(new Date(1000));
      const open = await store.listOpen();
      expect(open.map(a => [a.ruleId, a.severity]).sort()).toEqual([
        ['rollout-failed', 'warning'],
        ['runtime-unreachable', 'critical'],
      ]);
      runtime = { status: 'ok', detail: 'fine' };
      await knex('coderunner_deployments')
        .where('id', deploymentId)
        .update({ status: 'ready', status_reason: null });
      expect(await alerts.evaluate(new Date(2000))).toMatchObject({
        resolved: 2,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    "raises instance-replaced from the health prober's log line for 15 minutes, on %p",
    async id => {
      const { knex, store, engine, deploymentId } = await setUp(id);
      const alerts = engine([healthReplacementRule(knex)]);
      const logs = DatabaseLogStore.create({ knex });
      await logs.append(deploymentId, [
        {
          stream: 'stdout',
          line: 'failed 3 health checks in a row; replacing it',
        },
      ]);
      await alerts.evaluate(new Date());
      expect(await store.listOpen()).toEqual([]);
      await logs.append(deploymentId, [
        {
          stream: 'system',
          line: 'Instance 1234abcd failed 3 health checks in a row (GET /healthz: 500); replacing it',
        },
      ]);
      await alerts.evaluate(new Date());
      expect(await store.listOpen()).toEqual([
        expect.objectContaining({
          ruleId: 'instance-replaced',
          severity: 'warning',
          link: '/catalog/default/component/shop/logs',
        }),
      ]);
      await alerts.evaluate(new Date(Date.now() + 16 * 60_000));
      expect(await store.listOpen()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'alerts on an error budget burning on both windows and escalates, on %p',
    async id => {
      const { knex, store, events, engine, deploymentId } = await setUp(id);
      const now = Date.UTC(2026, 11, 29, 12, 0, 0);
      const metrics = DatabaseMetricsStore.create({
        knex,
        rawRetentionMs: 24 * 3600_000,
        now: () => now,
      });
      const alerts = engine(
        objectiveRules(knex, {
          availability: 0.99,
          latencyP95Ms: 500,
          minRequests: 20,
        }),
      );
      const write = async (
        minutesAgo: number[],
        requests: number,
        errors: number,
        p95: number,
      ) => {
        await metrics.write(
          minutesAgo.flatMap(m => {
            const at = new Date(now - m * 60_000 - 1000);
            return [
              { deploymentId, metric: 'requests', at, sum: requests, count: 1 },
              {
                deploymentId,
                metric: 'server_errors',
                at,
                sum: errors,
                count: 1,
              },
              {
                deploymentId,
                metric: 'latency_p95_ms',
                at,
                sum: p95 * 100,
                count: 100,
              },
            ] as const;
          }),
        );
        await metrics.rollUp({
          from: new Date(now - 7 * 3600_000),
          to: new Date(now),
        });
      };
      // An hour of 10% errors is a 10× burn: a warning (6× on 6 h and 30 min), not critical.
      await write(
        Array.from({ length: 60 }, (_, i) => i),
        100,
        10,
        400,
      );
      // Ratio over 6 h counts only the hour that had requests: 10%, so 10× on both.
      await alerts.evaluate(new Date(now));
      expect(await store.listOpen()).toEqual([
        expect.objectContaining({
          ruleId: 'error-budget-burn',
          severity: 'warning',
        }),
      ]);
      // Now the last hour fails at 30%: 30× on 1 h and 5 min is critical; p95 averages 650 ms.
      await write(
        Array.from({ length: 60 }, (_, i) => i),
        0,
        20,
        900,
      );
      // A minute later: the long windows are read from the rollups once a minute.
      await alerts.evaluate(new Date(now + 60_000));
      const open = await store.listOpen();
      expect(open.map(a => [a.ruleId, a.severity]).sort()).toEqual([
        ['error-budget-burn', 'critical'],
        ['latency-objective', 'warning'],
      ]);
      expect(events.map(e => e.type).sort()).toEqual([
        'escalated',
        'opened',
        'opened',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'notifies each budget threshold once per period, on %p',
    async id => {
      const { store, events, engine } = await setUp(id);
      let budget: BudgetStatus = {
        budgetId: 'b1',
        scope: { entityRef: SHOP, environment: 'production' },
        period: '2026-12',
        amount: 100,
        spent: 80,
        forecast: 120,
        currency: 'USD',
        thresholds: [0.75, 0.9, 1],
        forecastExceedsOn: '2026-12-23',
        hardCap: false,
        source: 'ui',
      };
      const alerts = engine([budgetRule({ list: async () => [budget] })]);
      await alerts.evaluate(new Date(1000));
      expect(
        events.map(e => [e.type, e.alert.title, e.alert.severity]),
      ).toEqual([
        ['opened', 'Budget 75% reached for 2026-12', 'warning'],
        ['opened', 'Budget forecast to be exceeded in 2026-12', 'warning'],
      ]);
      expect(events[1].alert.description).toContain('on the 23rd');
      budget = { ...budget, spent: 95 };
      await alerts.evaluate(new Date(2000));
      expect(events.map(e => e.alert.title).slice(2)).toEqual([
        'Budget 90% reached for 2026-12',
      ]);
      expect(events[2].alert.severity).toBe('critical');
      // The budget is raised, then spending passes 75% of it again: no second notification.
      budget = { ...budget, amount: 200, forecast: 150, spent: 95 };
      await alerts.evaluate(new Date(3000));
      budget = { ...budget, spent: 160 };
      await alerts.evaluate(new Date(4000));
      expect(
        events.filter(
          e => e.type === 'opened' && e.alert.title.startsWith('Budget 75%'),
        ),
      ).toHaveLength(1);
      expect(await store.listOpen()).toEqual([
        expect.objectContaining({ key: 'budget:b1:2026-12:0.75' }),
      ]);
      // A new period notifies again.
      budget = { ...budget, period: '2027-01' };
      await alerts.evaluate(new Date(5000));
      expect(
        events.filter(
          e => e.type === 'opened' && e.alert.title.startsWith('Budget 75%'),
        ),
      ).toHaveLength(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'migrates the alerts table down and up, on %p',
    async id => {
      const knex: Knex = await databases.init(id);
      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasTable('coderunner_alerts')).toBe(true);
      await migrateDatabaseDown(knex);
      expect(await knex.schema.hasTable('coderunner_alerts')).toBe(false);
      await migrateDatabaseUp(knex);
      expect(await knex.schema.hasTable('coderunner_alerts')).toBe(true);
    },
  );
});
