import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DatabaseBudgetStore } from './DatabaseBudgetStore';
import { ConfigPriceTable } from './ConfigPriceTable';
import { CostCalculator } from './CostCalculator';
import { CostService, DEFAULT_THRESHOLDS } from './CostService';
import { OwnerResolver } from './OwnerResolver';
import { UsageLedger } from './UsageLedger';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOV = Date.UTC(2026, 10, 1);
const DEC = Date.UTC(2026, 11, 1);
/** "Now" in these tests: 20 November 2026, noon UTC. */
const NOW = Date.UTC(2026, 10, 20, 12);

/** Nano-units per second of each size at the default prices (vCPU 14000, GiB 4500). */
const NANO = { small: 18_500, medium: 37_000, large: 74_000, xlarge: 148_000 };

const entities = [
  component('shop', 'group:default/team-a'),
  component('search', 'team-a'),
  component('billing', 'group:default/team-b'),
];

function component(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner, type: 'service', lifecycle: 'production' },
  };
}

async function setUp(
  databaseId: Parameters<typeof databases.init>[0],
  options: { clock?: () => number; configBudgets?: any[] } = {},
) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseDeploymentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const calculator = new CostCalculator(
    ConfigPriceTable.fromConfig(new ConfigReader({})),
  );
  const service = new CostService({
    ledger: new UsageLedger(knex),
    calculator,
    budgets: await DatabaseBudgetStore.create({ knex }),
    configBudgets: options.configBudgets ?? [],
    defaultThresholds: DEFAULT_THRESHOLDS,
    owners: new OwnerResolver(
      catalogServiceMock({ entities }),
      mockServices.auth(),
    ),
    forecastWindowMs: 24 * HOUR,
    clock: options.clock ?? (() => NOW),
  });
  return { knex, store, service };
}

/** Enters one sandbox's lifetime in the ledger, as the store's hooks do. */
async function usage(
  knex: Knex,
  row: {
    entity: string;
    environment?: string;
    size?: keyof typeof NANO;
    kind?: 'instance' | 'build';
    start: number;
    stop?: number;
  },
) {
  await knex('coderunner_usage').insert({
    id: randomUUID(),
    kind: row.kind ?? 'instance',
    deployment_id: `${row.entity}-${row.environment ?? 'production'}`,
    entity_ref: `component:default/${row.entity}`,
    environment: row.environment ?? 'production',
    size: row.size ?? 'small',
    started_at: row.start,
    stopped_at: row.stop ?? null,
  });
}

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Cents of pico-units, half up: what the service must report. */
const cents = (pico: bigint) =>
  Number((pico + 5_000_000_000n) / 10_000_000_000n);

describe('CostService', () => {
  it.each(databases.eachSupportedId())(
    'sums a month of synthetic instance lifecycles exactly to the cent, per entity, environment, owner and day, on %p',
    async databaseId => {
      const { knex, service } = await setUp(databaseId);
      const next = random(20261129);
      const sizes = Object.keys(NANO) as (keyof typeof NANO)[];
      const names = ['shop', 'search', 'billing'];
      const envs = ['development', 'staging', 'production'];
      // Expected pico-units per entity/environment, computed independently from the rows.
      const expected = new Map<string, bigint>();
      const expectedOwner = new Map<string, bigint>();
      let expectedBuilds = 0n;
      const owners: Record<string, string> = {
        shop: 'group:default/team-a',
        search: 'group:default/team-a',
        billing: 'group:default/team-b',
      };
      const rows = [];
      for (let i = 0; i < 400; i++) {
        const entity = names[Math.floor(next() * names.length)];
        const environment = envs[Math.floor(next() * envs.length)];
        const size = sizes[Math.floor(next() * sizes.length)];
        const kind = next() < 0.2 ? 'build' : 'instance';
        // Some start in October and run into November; some are still running.
        const start =
          NOV - 5 * DAY + Math.floor(next() * (NOW - NOV + 5 * DAY - HOUR));
        const length =
          kind === 'build'
            ? Math.floor(next() * 20 * 60_000) + 1
            : Math.floor(next() * 6 * DAY) + 1;
        const stop =
          next() < 0.1 && kind === 'instance' ? undefined : start + length;
        rows.push({ entity, environment, size, kind, start, stop } as const);
        const end = Math.min(stop ?? NOW, NOW);
        const from = Math.max(start, NOV);
        if (end <= from) continue;
        const pico = BigInt(end - from) * BigInt(NANO[size]);
        const key = `${entity}/${environment}`;
        expected.set(key, (expected.get(key) ?? 0n) + pico);
        expectedOwner.set(
          owners[entity],
          (expectedOwner.get(owners[entity]) ?? 0n) + pico,
        );
        if (kind === 'build') expectedBuilds += pico;
      }
      for (const row of rows) await usage(knex, row);

      let total = 0n;
      let totalDaily = 0;
      for (const entity of names) {
        const cost = await service.entityCost({
          entityRef: `component:default/${entity}`,
          environments: envs,
        });
        expect(cost.period).toBe('2026-11');
        let entityTotal = 0n;
        for (const environment of envs) {
          const pico = expected.get(`${entity}/${environment}`) ?? 0n;
          entityTotal += pico;
          const env = cost.environments.find(
            e => e.environment === environment,
          )!;
          expect(Math.round(env.spent * 100)).toBe(cents(pico));
        }
        expect(Math.round(cost.spent * 100)).toBe(cents(entityTotal));
        expect(cost.daily).toHaveLength(20); // 1–20 November
        totalDaily += cost.daily.reduce(
          (sum, d) => sum + d.instances + d.builds,
          0,
        );
        total += entityTotal;
      }

      const summary = await service.summary({
        allowed: async refs => new Set(refs),
      });
      expect(Math.round(summary.spent * 100)).toBe(cents(total));
      for (const [owner, pico] of expectedOwner) {
        expect(
          Math.round(summary.byOwner.find(g => g.key === owner)!.spent * 100),
        ).toBe(cents(pico));
      }
      // 'team-a' (short form) and 'group:default/team-a' are the same owner.
      expect(summary.byOwner.map(g => g.key).sort()).toEqual([
        'group:default/team-a',
        'group:default/team-b',
      ]);
      // Days are each rounded: their sum is within a cent a day of the exact total.
      expect(Math.abs(totalDaily - Number(total) / 1e12)).toBeLessThan(
        0.01 * 20 * names.length,
      );
      expect(expectedBuilds).toBeGreaterThan(0n);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'records instances and builds in the ledger through the store, sized by the release manifest, and keeps their cost after the deployment is deleted, on %p',
    async databaseId => {
      let now = NOW;
      const { knex, store, service } = await setUp(databaseId, {
        clock: () => now,
      });
      const deployment = await store.ensureDeployment({
        entityRef: 'component:default/shop',
        environment: 'production',
        createdBy: 'user:default/guest',
      });
      const release = await store.createRelease({
        deploymentId: deployment.id,
        manifest: { resources: { size: 'medium' } },
        source: Buffer.from('source'),
        desiredInstances: 1,
        createdBy: 'user:default/guest',
      });
      const instance = await store.createInstance({
        deploymentId: deployment.id,
        releaseId: release.id,
      });
      const open = await knex('coderunner_usage').where({ id: instance.id });
      expect(open).toEqual([
        expect.objectContaining({
          kind: 'instance',
          size: 'medium',
          entity_ref: 'component:default/shop',
          environment: 'production',
          stopped_at: null,
        }),
      ]);
      await store.deleteInstance(instance.id);
      const closed = await knex('coderunner_usage')
        .where({ id: instance.id })
        .first();
      expect(Number(closed.stopped_at)).toBeGreaterThanOrEqual(
        Number(closed.started_at),
      );
      // A second instance still running when the deployment is deleted is closed with it.
      const second = await store.createInstance({
        deploymentId: deployment.id,
        releaseId: release.id,
      });
      await store.deleteDeployment(deployment.id);
      const row = await knex('coderunner_usage')
        .where({ id: second.id })
        .first();
      expect(row.stopped_at).not.toBeNull();
      now = Date.now() + 1000;
      const cost = await service.entityCost({
        entityRef: 'component:default/shop',
        environments: ['production'],
        period: new Date(now).toISOString().slice(0, 7),
      });
      expect(cost.environments[0].runningInstances).toBe(0);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'forecasts from the recent run rate and says on which day a budget will be exceeded, on %p',
    async databaseId => {
      const { knex, service } = await setUp(databaseId);
      // Two medium instances since 1 November: 2 × 37,000 nano/s.
      await usage(knex, { entity: 'shop', size: 'medium', start: NOV });
      await usage(knex, { entity: 'shop', size: 'medium', start: NOV });
      const perMs = 2n * 37_000n;
      const spent = perMs * BigInt(NOW - NOV);
      const forecast = perMs * BigInt(DEC - NOV);
      // Spent 19.5 days × $6.39/day ≈ $124.66; the month ≈ $191.81. A $150 budget runs out
      // after 150 / 6.3936 = 23.46 days: on the 24th.
      const status = await service.putBudget({
        scope: { entityRef: 'component:default/shop' },
        amount: 150,
        by: 'user:default/guest',
      });
      expect(Math.round(status.spent * 100)).toBe(cents(spent));
      expect(Math.round(status.forecast * 100)).toBe(cents(forecast));
      expect(status.thresholds).toEqual([0.75, 0.9, 1]);
      expect(status.forecastExceedsOn).toBe('2026-11-24');
      // A budget the month stays under has no such day.
      const roomy = await service.putBudget({
        scope: {
          entityRef: 'component:default/shop',
          environment: 'production',
        },
        amount: 500,
        thresholds: [0.5, 1],
        by: 'user:default/guest',
      });
      expect(roomy.forecastExceedsOn).toBeUndefined();
      expect(roomy.thresholds).toEqual([0.5, 1]);
      // Both show up for the entity, and in the list alerts read.
      const cost = await service.entityCost({
        entityRef: 'component:default/shop',
        environments: ['production'],
      });
      expect(cost.budgets.map(b => b.amount).sort()).toEqual([150, 500]);
      expect(await service.budgetStatuses()).toHaveLength(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "projects a deployment started an hour ago from that hour, and builds at the month's average, on %p",
    async databaseId => {
      const { knex, service } = await setUp(databaseId);
      // A ten-minute build on the 10th, then one medium instance for the last hour.
      await usage(knex, {
        entity: 'search',
        kind: 'build',
        start: NOV + 9 * DAY,
        stop: NOV + 9 * DAY + 600_000,
      });
      await usage(knex, {
        entity: 'search',
        size: 'medium',
        start: NOW - HOUR,
      });
      const build = 600_000n * 18_500n;
      const instance = BigInt(HOUR) * 37_000n;
      const remaining = BigInt(DEC - NOW);
      const expected =
        build +
        instance +
        (instance * remaining) / BigInt(HOUR) +
        (build * remaining) / BigInt(NOW - NOV);
      const cost = await service.entityCost({
        entityRef: 'component:default/search',
        environments: ['production'],
      });
      expect(Math.round(cost.spent * 100)).toBe(cents(build + instance));
      expect(Math.round(cost.builds * 100)).toBe(cents(build));
      expect(Math.round(cost.forecast * 100)).toBe(cents(expected));
      expect(cost.environments[0]).toMatchObject({
        runningInstances: 1,
        instanceSeconds: 3600,
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'turns a hard budget into the most instances the rest of the month pays for, on %p',
    async databaseId => {
      const { knex, service } = await setUp(databaseId);
      // One small instance since 1 November: 19.5 days × $1.5984/day = $31.17 spent.
      await usage(knex, { entity: 'shop', start: NOV });
      expect(
        await service.maxInstances('component:default/shop', 'production'),
      ).toBeUndefined();
      // $60 leaves $28.83 for 10.5 days: one small instance costs $16.78 in that time → 1.
      await service.putBudget({
        scope: {
          entityRef: 'component:default/shop',
          environment: 'production',
        },
        amount: 60,
        hardCap: true,
        by: 'user:default/guest',
      });
      expect(
        await service.maxInstances('component:default/shop', 'production'),
      ).toBe(1);
      // Another environment is not covered by that budget.
      expect(
        await service.maxInstances('component:default/shop', 'staging'),
      ).toBeUndefined();
      // $100 leaves $68.83: 4 small instances.
      await service.putBudget({
        scope: {
          entityRef: 'component:default/shop',
          environment: 'production',
        },
        amount: 100,
        hardCap: true,
        by: 'user:default/guest',
      });
      expect(
        await service.maxInstances('component:default/shop', 'production'),
      ).toBe(4);
      // An owner's hard budget also binds; team-b's app running meanwhile is not team-a's.
      await usage(knex, { entity: 'billing', start: NOW - HOUR });
      await usage(knex, { entity: 'billing', start: NOW - HOUR });
      await service.putBudget({
        scope: { ownerRef: 'group:default/team-a' },
        amount: 40,
        hardCap: true,
        by: 'user:default/guest',
      });
      // team-a: $40 − $31.17 = $8.83 left: not one small instance for 10.5 days.
      expect(
        await service.maxInstances('component:default/shop', 'production'),
      ).toBe(0);
      const statuses = await service.budgetStatuses();
      expect(statuses.find(s => 'entityRef' in s.scope)!.capMaxInstances).toBe(
        4,
      );
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses bad budgets with a message naming the field, and leaves app-config budgets alone, on %p',
    async databaseId => {
      const { knex, service } = await setUp(databaseId, {
        configBudgets: [
          {
            id: 'config:owner:group:default/team-b',
            scope: { ownerRef: 'group:default/team-b' },
            amountCents: 10000,
            currency: 'USD',
            thresholds: DEFAULT_THRESHOLDS,
            hardCap: false,
            source: 'config',
          },
        ],
      });
      const scope = { entityRef: 'component:default/shop' };
      await expect(
        service.putBudget({ scope, amount: 0, by: 'u' }),
      ).rejects.toThrow(InputError);
      await expect(
        service.putBudget({ scope, amount: 10.001, by: 'u' }),
      ).rejects.toThrow(/amount is 10.001/);
      await expect(
        service.putBudget({
          scope,
          amount: 10,
          thresholds: [0.9, 0.75],
          by: 'u',
        }),
      ).rejects.toThrow(/thresholds/);
      await expect(
        service.putBudget({
          scope: { ownerRef: 'group:default/team-b' },
          amount: 10,
          by: 'u',
        }),
      ).rejects.toThrow(ConflictError);
      await expect(service.deleteBudget(scope)).rejects.toThrow(/no budget/);
      await expect(
        service.entityCost({
          entityRef: 'component:default/shop',
          environments: [],
          period: '2026-12',
        }),
      ).rejects.toThrow(/has not started/);
      const statuses = await service.budgetStatuses();
      expect(statuses).toEqual([
        expect.objectContaining({ source: 'config', amount: 100 }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves entities the caller may not read out of every total and hides an owner budget that would sum them, on %p',
    async databaseId => {
      const { knex, service } = await setUp(databaseId);
      await usage(knex, { entity: 'shop', start: NOV, stop: NOV + DAY });
      await usage(knex, {
        entity: 'search',
        size: 'xlarge',
        start: NOV,
        stop: NOV + DAY,
      });
      await service.putBudget({
        scope: { ownerRef: 'group:default/team-a' },
        amount: 100,
        by: 'u',
      });
      const onlyShop = async (refs: string[]) =>
        new Set(refs.filter(r => r === 'component:default/shop'));
      const summary = await service.summary({ allowed: onlyShop });
      const shopDay = cents(BigInt(DAY) * BigInt(NANO.small));
      expect(Math.round(summary.spent * 100)).toBe(shopDay);
      expect(summary.entities.map(e => e.entityRef)).toEqual([
        'component:default/shop',
      ]);
      expect(Math.round(summary.byOwner[0].spent * 100)).toBe(shopDay);
      const cost = await service.entityCost({
        entityRef: 'component:default/shop',
        environments: ['production'],
        allowed: onlyShop,
      });
      expect(cost.budgets).toEqual([]);
      const everything = await service.entityCost({
        entityRef: 'component:default/shop',
        environments: ['production'],
        allowed: async refs => new Set(refs),
      });
      expect(everything.budgets).toHaveLength(1);
      await knex.destroy();
    },
  );
});
