import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { coderunnerPlugin } from '../plugin';

const databases = createTestDatabases();

// Database set-up inside the tests (PostgreSQL too) takes seconds on a busy machine.
jest.setTimeout(60_000);

function component(name: string, owner: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { owner, type: 'service', lifecycle: 'production' },
  };
}

const SHOP = 'component:default/shop';
const SECRET = 'component:default/secret-app';
const TEAM = 'group:default/team-a';
const IDLE_TEAM = 'group:default/team-idle';
const DAY = 86_400_000;

/**
 * Cost through the API with a permission service that lets `user:default/alice` read only the
 * shop, and `user:default/bob` read both and change shop's budget.
 */
async function startBackend(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) => {
      const user = (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return requests.map(r => {
        const ref = (r as { resourceRef?: string }).resourceRef;
        const allowed =
          user === 'user:default/bob'
            ? r.permission.name === 'coderunner.deployment.read' ||
              (r.permission.name === 'coderunner.budget.write' &&
                [SHOP, TEAM, IDLE_TEAM].includes(ref!))
            : r.permission.name === 'coderunner.deployment.read' &&
              ref === SHOP;
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }) as any;
    },
  });
  const backend = await startTestBackend({
    features: [
      coderunnerPlugin,
      catalogServiceMock.factory({
        entities: [
          component('shop', 'group:default/team-a'),
          component('secret-app', 'group:default/team-a'),
          ...['team-a', 'team-idle'].map(name => ({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: { name, namespace: 'default' },
            spec: { type: 'team', children: [] },
          })),
        ],
      }),
      permissions.factory,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { coderunner: { gateway: { enabled: false } } },
      }),
    ],
  });
  // A day of one small instance each, this month.
  const start = Date.now() - DAY;
  for (const entityRef of [SHOP, SECRET]) {
    await knex('coderunner_usage').insert({
      id: randomUUID(),
      kind: 'instance',
      deployment_id: randomUUID(),
      entity_ref: entityRef,
      environment: 'production',
      size: entityRef === SHOP ? 'small' : 'xlarge',
      started_at: start,
      stopped_at: start + DAY - 1,
    });
  }
  return { backend, knex };
}

const as = (user: string) =>
  `Bearer ${mockCredentials.user.token(`user:default/${user}`)}`;

describe('cost routes', () => {
  it.each(databases.eachSupportedId())(
    'never show the cost of an entity the caller may not read, alone or inside a total, on %p',
    async databaseId => {
      const { backend, knex } = await startBackend(databaseId);
      const { server } = backend;
      const base = '/api/coderunner/entities/component/default';

      const own = await request(server)
        .get(`${base}/shop/cost`)
        .set('authorization', as('alice'));
      expect(own.status).toBe(200);
      expect(own.body.environments.map((e: any) => e.environment)).toContain(
        'production',
      );
      const hidden = await request(server)
        .get(`${base}/secret-app/cost`)
        .set('authorization', as('alice'));
      expect(hidden.status).toBe(403);
      expect(
        (
          await request(server)
            .get(`${base}/secret-app/cost/advice`)
            .set('authorization', as('alice'))
        ).status,
      ).toBe(403);

      const summaryOf = async (user: string) => {
        const response = await request(server)
          .get('/api/coderunner/cost/summary')
          .set('authorization', as(user));
        expect(response.status).toBe(200);
        return response.body;
      };
      const alice = await summaryOf('alice');
      const bob = await summaryOf('bob');
      expect(alice.entities.map((e: any) => e.entityRef)).toEqual([SHOP]);
      expect(bob.entities.map((e: any) => e.entityRef).sort()).toEqual([
        SECRET,
        SHOP,
      ]);
      // The team's and the environment's totals hold only what alice may read.
      const shopSpent = bob.entities.find(
        (e: any) => e.entityRef === SHOP,
      ).spent;
      expect(alice.spent).toBe(shopSpent);
      expect(alice.byOwner).toEqual([
        expect.objectContaining({
          key: 'group:default/team-a',
          spent: shopSpent,
        }),
      ]);
      expect(alice.byEnvironment[0].spent).toBe(shopSpent);
      expect(bob.spent).toBeGreaterThan(alice.spent);

      // Budgets: only with coderunner.budget.write; bad input names the field.
      const denied = await request(server)
        .put(`${base}/shop/cost/budget`)
        .set('authorization', as('alice'))
        .send({ amount: 50 });
      expect(denied.status).toBe(403);
      const bad = await request(server)
        .put(`${base}/shop/cost/budget`)
        .set('authorization', as('bob'))
        .send({ amount: 50, environment: 'moon' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/environment is 'moon'/);
      const negative = await request(server)
        .put(`${base}/shop/cost/budget`)
        .set('authorization', as('bob'))
        .send({ amount: -5 });
      expect(negative.status).toBe(400);
      expect(negative.body.error.message).toMatch(/amount/);
      const set = await request(server)
        .put(`${base}/shop/cost/budget`)
        .set('authorization', as('bob'))
        .send({ amount: 50, environment: 'production', hardCap: true });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        scope: { entityRef: SHOP, environment: 'production' },
        amount: 50,
        thresholds: [0.75, 0.9, 1],
        hardCap: true,
        source: 'ui',
      });
      const withBudget = await request(server)
        .get(`${base}/shop/cost`)
        .set('authorization', as('alice'));
      expect(withBudget.body.budgets).toHaveLength(1);
      const removed = await request(server)
        .delete(`${base}/shop/cost/budget?environment=production`)
        .set('authorization', as('bob'));
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      await backend.stop();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "sets, shows and removes a group's budget only with coderunner.budget.write on the group, and refuses bad input without saving it, on %p",
    async databaseId => {
      const { backend, knex } = await startBackend(databaseId);
      const { server } = backend;
      const put = (user: string, body: object) =>
        request(server)
          .put('/api/coderunner/cost/owner-budget')
          .set('authorization', as(user))
          .send(body);
      const summaryOf = async (user: string) => {
        const response = await request(server)
          .get('/api/coderunner/cost/summary')
          .set('authorization', as(user));
        expect(response.status).toBe(200);
        return response.body;
      };

      const denied = await put('alice', { ownerRef: TEAM, amount: 100 });
      expect(denied.status).toBe(403);
      const deniedDelete = await request(server)
        .delete(`/api/coderunner/cost/owner-budget?ownerRef=${TEAM}`)
        .set('authorization', as('alice'));
      expect(deniedDelete.status).toBe(403);

      // The spec refuses a threshold over 200%, the service descending ones: both name it.
      const tooHigh = await put('bob', {
        ownerRef: TEAM,
        amount: 100,
        thresholds: [0.5, 3],
      });
      expect(tooHigh.status).toBe(400);
      expect(tooHigh.body.error.message).toMatch(/thresholds/);
      const descending = await put('bob', {
        ownerRef: TEAM,
        amount: 100,
        thresholds: [0.9, 0.5],
      });
      expect(descending.status).toBe(400);
      expect(descending.body.error.message).toMatch(/thresholds/);
      const noOwner = await put('bob', { amount: 100 });
      expect(noOwner.status).toBe(400);
      expect(noOwner.body.error.message).toMatch(/ownerRef/);
      expect((await summaryOf('bob')).ownerBudgets).toEqual([]);

      const set = await put('bob', {
        ownerRef: TEAM,
        amount: 250.5,
        thresholds: [0.5, 1],
        hardCap: true,
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        scope: { ownerRef: TEAM },
        amount: 250.5,
        thresholds: [0.5, 1],
        hardCap: true,
        source: 'ui',
      });
      const bob = await summaryOf('bob');
      expect(bob.ownerBudgets).toEqual([
        expect.objectContaining({
          scope: { ownerRef: TEAM },
          amount: 250.5,
          spent: bob.byOwner[0].spent,
        }),
      ]);
      // alice may not read secret-app, whose spend the team's budget sums: she sees none.
      expect((await summaryOf('alice')).ownerBudgets).toEqual([]);

      // A team that spent nothing sums nothing alice could be checked against: only who may
      // change its budget sees it.
      const idle = await put('bob', { ownerRef: IDLE_TEAM, amount: 75 });
      expect(idle.status).toBe(200);
      const scopes = async (user: string) =>
        (await summaryOf(user)).ownerBudgets.map(
          (b: { scope: { ownerRef: string } }) => b.scope.ownerRef,
        );
      expect(await scopes('bob')).toEqual([TEAM, IDLE_TEAM]);
      expect(await scopes('alice')).toEqual([]);

      const removed = await request(server)
        .delete(`/api/coderunner/cost/owner-budget?ownerRef=${TEAM}`)
        .set('authorization', as('bob'));
      expect(removed.status).toBe(204);
      expect(await scopes('bob')).toEqual([IDLE_TEAM]);
      const again = await request(server)
        .delete(`/api/coderunner/cost/owner-budget?ownerRef=${TEAM}`)
        .set('authorization', as('bob'));
      expect(again.status).toBe(404);
      await backend.stop();
      await knex.destroy();
    },
  );
});
